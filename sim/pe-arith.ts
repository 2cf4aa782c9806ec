// The PE's arithmetic units (arch pe.units) on codes, with SPEC section 5's events counted per PE
// and per output. Every result and every event comes from the same code coreGemm runs
// (core/gemm.ts Accumulation): a term (multiplier + accumulator adder, or the fused multiply-add)
// is its MacKernel step, with the table and exact-float64 fast paths, and a chunk close is its
// addChunk. This file only attributes the counted events to the PE and the output they belong to.
import { mul, type RoundingCode, roundingCode } from '../core/arith.js';
import type { Format } from '../core/format.js';
import { Accumulation } from '../core/gemm.js';
import type { MacKernel } from '../core/mac.js';
import type { ArrayConfig } from '../config/resolve.js';
import { formatOf } from '../arch/build.js';
import type { Arch } from '../arch/types.js';
import { type ProductLut, productLut } from './lut.js';

/** Event counters per PE and per output, in core/events.ts EVENT_NAMES order (= core/mac.ts EVI). */
export const N_EVENTS = 6;

/** The units of one set of formats and roundings, with their tables. */
interface Units {
  accumulation: Accumulation;
  fa: Format;
  fw: Format;
  fp: Format | null;
  modeP: RoundingCode;
  /** The product register's value for small operands (pipelined arrays only). */
  lut: ProductLut | null;
}

/** Building the tables (tens of milliseconds for 8-bit operands) can take longer than simulating a
 *  small job, so the units of the last few format sets are kept and reused: a run leaves no state
 *  in them (the kernel's event counters are drained after every operation). */
const UNITS_KEPT = 8;
const unitsCache = new Map<string, Units>();

/** The arithmetic part of an ArrayConfig, rebuilt from the arch (what Accumulation reads). */
function arithmeticConfig(arch: Arch): ArrayConfig {
  const acc = formatOf(arch.formats.acc);
  return {
    rows: arch.rows,
    cols: arch.cols,
    dataflow: arch.dataflow,
    a: formatOf(arch.formats.a),
    w: formatOf(arch.formats.w),
    product: arch.formats.product === null ? null : formatOf(arch.formats.product),
    acc,
    total: arch.formats.total === null ? acc : formatOf(arch.formats.total),
    rounding: { input: 'rne', ...arch.rounding },
    chunk: arch.chunk,
    sparsity: arch.sparsity,
    pipeline: { multiplier: arch.pipeline.multiplier },
  };
}

function unitsOf(arch: Arch): Units {
  const key = JSON.stringify([arch.formats, arch.rounding, arch.chunk, arch.pipeline]);
  const hit = unitsCache.get(key);
  if (hit !== undefined) return hit;
  const cfg = arithmeticConfig(arch);
  const modeP = roundingCode(cfg.rounding.product);
  const units: Units = {
    accumulation: new Accumulation(cfg),
    fa: cfg.a,
    fw: cfg.w,
    fp: cfg.product,
    modeP,
    lut: cfg.product !== null && arch.pipeline.multiplier === 1 ? productLut(cfg.a, cfg.w, cfg.product, modeP) : null,
  };
  if (unitsCache.size >= UNITS_KEPT) unitsCache.delete(unitsCache.keys().next().value!);
  unitsCache.set(key, units);
  return units;
}

export class PeArith {
  private readonly units: Units;
  private readonly accumulation: Accumulation;
  private readonly mac: MacKernel;
  /** The kernel's event counters, drained into peEv/outEv after every operation. */
  private readonly ev: Float64Array;
  /** Events per PE at q*6 + slot and per output at o*6 + slot. */
  readonly peEv: Int32Array;
  readonly outEv: Int32Array;

  constructor(arch: Arch, outputs: number) {
    this.units = unitsOf(arch);
    this.accumulation = this.units.accumulation;
    this.mac = this.accumulation.mac;
    this.ev = this.mac.events;
    this.ev.fill(0); // a run that threw may have left counts behind
    this.peEv = new Int32Array(arch.rows * arch.cols * N_EVENTS);
    this.outEv = new Int32Array(outputs * N_EVENTS);
  }

  /**
   * One term: acc + a·w with the product rounded into the product format (or exact, fused) and
   * the sum rounded into the accumulator format, at PE q for output o.
   */
  term(acc: number, a: number, w: number, q: number, o: number): number {
    const out = this.mac.step(acc, a, w);
    this.attribute(q, o);
    return out;
  }

  /** total + s (a closed chunk) rounded into the chunk-total format (the total adder). */
  close(total: number, s: number, q: number, o: number): number {
    const out = this.accumulation.addChunk(total, s);
    this.attribute(q, o);
    return out;
  }

  /** The code the multiplier's pipeline register holds: a·w rounded into the product format. */
  product(a: number, w: number): number {
    const u = this.units;
    if (u.lut !== null) return u.lut.code[(a << u.lut.wShift) | w]!;
    return mul(u.fa, a, u.fw, w, u.fp!, u.modeP);
  }

  private attribute(q: number, o: number): void {
    const ev = this.ev;
    if (ev[0]! + ev[1]! + ev[2]! + ev[3]! + ev[4]! + ev[5]! === 0) return;
    for (let s = 0; s < N_EVENTS; s++) {
      const n = ev[s]!;
      if (n !== 0) {
        this.peEv[q * N_EVENTS + s]! += n;
        this.outEv[o * N_EVENTS + s]! += n;
        ev[s] = 0;
      }
    }
  }
}
