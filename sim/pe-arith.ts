// The arithmetic behind the PE's units (arch/units.ts evaluates them with this kernel) and the
// attribution of the events (docs/arithmetic.md section 5) to the PE and the output they belong to. Every result and
// every event comes from the same code coreGemm runs (core/gemm.ts Accumulation): a term is its
// MacKernel (with the table and exact-float64 fast paths), a chunk close its addChunk.
import { Accumulation } from '../core/gemm.js';
import { EV_SINCE } from '../core/mac.js';
import type { ArrayConfig } from '../config/resolve.js';
import { formatOf } from '../arch/build.js';
import type { Arch } from '../arch/types.js';

/** Event counters per PE and per output, in core/events.ts EVENT_NAMES order (= core/mac.ts EVI). */
export const N_EVENTS = 6;

/** Building the tables (tens of milliseconds for 8-bit operands) can take longer than simulating a
 *  small job, so the kernels of the last few format sets are kept and reused: a run leaves no state
 *  in them (the kernel's event counters are drained after every operation). */
const KERNELS_KEPT = 8;
const kernels = new Map<string, Accumulation>();

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
    pipeline: { stages: arch.pipeline.stages },
    ...(arch.random === null ? {} : { random: arch.random }),
    ...(arch.dot === null ? {} : { lanes: arch.dot.lanes, alignBits: arch.dot.alignBits }),
  };
}

/** The same Arch object is simulated many times: its kernel found by identity first. */
const byArch = new WeakMap<Arch, Accumulation>();

/** The kernel of an architecture's formats and modes, shared by every run with them. */
export function kernelOf(arch: Arch): Accumulation {
  const known = byArch.get(arch);
  if (known !== undefined) return known;
  const key = JSON.stringify([arch.formats, arch.rounding, arch.chunk, arch.random, arch.dot]);
  let k = kernels.get(key);
  if (k === undefined) {
    k = new Accumulation(arithmeticConfig(arch));
    if (kernels.size >= KERNELS_KEPT) kernels.delete(kernels.keys().next().value!);
    kernels.set(key, k);
  }
  byArch.set(arch, k);
  return k;
}

export class PeArith {
  readonly accumulation: Accumulation;
  /** The kernel's event counters, drained into peEv/outEv after every operation. */
  private readonly ev: Float64Array;
  /** Events per PE at q*6 + slot and per output at o*6 + slot. */
  readonly peEv: Int32Array;
  readonly outEv: Int32Array;

  /** `arrays` places the counters (sim/compile.ts stepArrays: where the step can count into them). */
  constructor(arch: Arch, outputs: number, arrays: { i32(name: string, length: number): Int32Array }) {
    this.accumulation = kernelOf(arch);
    this.ev = this.accumulation.mac.events;
    this.ev.fill(0); // a run that threw may have left counts behind
    this.peEv = arrays.i32('PEV', arch.rows * arch.cols * N_EVENTS);
    this.outEv = arrays.i32('OEV', outputs * N_EVENTS);
  }

  /** Moves the events the last unit counted to PE q and output o. */
  readonly attribute = (q: number, o: number): void => {
    const ev = this.ev;
    if (ev[EV_SINCE] === 0) return;
    ev[EV_SINCE] = 0;
    for (let s = 0; s < N_EVENTS; s++) {
      const n = ev[s]!;
      if (n !== 0) {
        this.peEv[q * N_EVENTS + s]! += n;
        this.outEv[o * N_EVENTS + s]! += n;
        ev[s] = 0;
      }
    }
  };
}
