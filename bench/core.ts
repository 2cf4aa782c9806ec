// Core throughput: rounded multiply-adds per second against a plain float64 multiply-add loop.
import { add, fma, fromFloat64, mul, RNE, RTZ, type Rounding, toFloat64 } from '../core/arith.js';
import { type Format, parseFormatName } from '../core/format.js';
import { measure, type Rate } from './measure.js';

const N = 1 << 16;

function randomCodes(f: Format, seed: number): Uint32Array {
  // Values of a unit normal distribution quantized into f: what an accelerator multiplies.
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const out = new Uint32Array(N);
  for (let i = 0; i < N; i++) out[i] = fromFloat64(Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand()), f, RNE);
  return out;
}

interface Case {
  label: string;
  a: Format;
  w: Format;
  product: Format | null;
  acc: Format;
  mode: Rounding;
}

const CASES: Case[] = [
  { label: 'fp32 fused (a*b+acc, one rounding)', a: parseFormatName('fp32'), w: parseFormatName('fp32'), product: null, acc: parseFormatName('fp32'), mode: RNE },
  { label: 'e4m3 x e4m3 -> e5m10 product, e4m7 b10 accumulator, rtz', a: parseFormatName('e4m3'), w: parseFormatName('e4m3'), product: parseFormatName('e5m10'), acc: parseFormatName('e4m7_b10'), mode: RTZ },
];

/** The float64 baseline: one top-level monomorphic loop, the fastest plain JS can do. */
function float64Loop(A: Float64Array, B: Float64Array, ops: number): number {
  let acc = 0;
  for (let i = 0; i < ops; i++) {
    const j = i & (N - 1);
    if (j === 0) acc = 0;
    acc += A[j]! * B[j]!;
  }
  return acc;
}

export interface CoreBenchRow {
  label: string;
  core: Rate;
  float64: Rate;
  ratio: number;
}

export function benchCore(): CoreBenchRow[] {
  return CASES.map((c) => {
    const A = randomCodes(c.a, 1);
    const B = randomCodes(c.w, 2);
    const Af = Float64Array.from(A, (x) => toFloat64(x, c.a));
    const Bf = Float64Array.from(B, (x) => toFloat64(x, c.w));
    const core = (ops: number) => {
      let acc = 0;
      for (let i = 0; i < ops; i++) {
        const j = i & (N - 1);
        // Restart the sum every N terms so it stays in range, as a tiled GEMM would.
        if (j === 0) acc = 0;
        if (c.product === null) acc = fma(c.a, A[j]!, c.w, B[j]!, c.acc, acc, c.acc, c.mode);
        else acc = add(c.acc, acc, c.product, mul(c.a, A[j]!, c.w, B[j]!, c.product, c.mode), c.acc, c.mode);
      }
      return acc;
    };
    const float64 = (ops: number) => float64Loop(Af, Bf, ops);
    const [coreRate, f64Rate] = measure([{ name: 'core', run: core }, { name: 'float64', run: float64 }], 4_000_000);
    return { label: c.label, core: coreRate!, float64: f64Rate!, ratio: coreRate!.opsPerSecond / f64Rate!.opsPerSecond };
  });
}
