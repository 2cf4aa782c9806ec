// Core throughput: rounded multiply-adds per second, one thread, against a plain float64
// multiply-add loop over the same data in the same worker (so the ratio is meaningful).
import { add, fma, fromFloat64, mul, RNE, RTZ, type RoundingCode, toFloat64 } from '../core/arith.js';
import { type FixedPath, fixedKernel, type FixedKernelSpec } from '../core/fixed-acc.js';
import { type FixedSpec, makeFixed } from '../core/fixed.js';
import { type Format, parseFormatName } from '../core/format.js';
import { DotKernel } from '../core/dot.js';
import type { DotCell } from '../core/lanes.js';
import { MacKernel, type MacPath } from '../core/mac.js';
import { measure, type Rate } from './measure.js';

const N = 1 << 16;
/** Dot-product length: the accumulator restarts every K terms, as in a GEMM. */
export const BENCH_K = 256;
/** Inputs: a normal distribution with this standard deviation, quantized into the input format. */
export const BENCH_SIGMA = 0.25;

function randomCodes(f: Format, seed: number): Uint32Array {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const out = new Uint32Array(N);
  for (let i = 0; i < N; i++) out[i] = fromFloat64(BENCH_SIGMA * Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand()), f, RNE);
  return out;
}

interface Case {
  label: string;
  a: string;
  w: string;
  product: string | null;
  /** The accumulator format; with `fixed`, the output format of the fixed-point register. */
  acc: string;
  fixed?: FixedSpec;
  mode: RoundingCode;
  /** A dot-product cell (core/dot.ts) instead of the multiply-add kernel. */
  cell?: DotCell;
}

export const CORE_CASES: Case[] = [
  { label: 'e4m3 x e4m3 -> e5m10 product, e4m7 b10 accumulator, rtz', a: 'e4m3', w: 'e4m3', product: 'fp16', acc: 'e4m7_b10', mode: RTZ },
  { label: 'e4m3 x e4m3 fused (exact product), e4m7 b10 accumulator, rne', a: 'e4m3', w: 'e4m3', product: null, acc: 'e4m7_b10', mode: RNE },
  { label: 'e4m3 x e4m3 fused, fp32 accumulator, rne (the OCP FP8 baseline)', a: 'e4m3', w: 'e4m3', product: null, acc: 'fp32', mode: RNE },
  { label: 'fp32 fused (a*b+acc, one rounding)', a: 'fp32', w: 'fp32', product: null, acc: 'fp32', mode: RNE },
  {
    label: 'e4m3 x e4m3 fused, 8 lanes, 24-bit window, fp32 accumulator, rtz (a tensor-core-like dot-product cell)',
    a: 'e4m3',
    w: 'e4m3',
    product: null,
    acc: 'fp32',
    mode: RTZ,
    cell: { lanes: 8, alignBits: 24 },
  },
  {
    label: 'e4m3 x e4m3, exact products into the 49-bit Kulisch register (lbamac formats --kulisch e4m3 e4m3 --k 4096), fp32 out, rne',
    a: 'e4m3',
    w: 'e4m3',
    product: null,
    acc: 'fp32',
    fixed: { msb: 29, lsb: -18, overflow: 'saturate' },
    mode: RNE,
  },
];

export interface CoreBenchRow {
  label: string;
  /** Which MacKernel (or FixedKernel) path the configuration takes, or "dot" for a dot-product cell. */
  path: MacPath | FixedPath | 'dot';
  /** The compiled kernel, and what it is measured against beside float64: the generic integer
   *  operations, for a fixed-point register its bigint kernel, for a dot-product cell nothing. */
  kernel: Rate;
  generic: Rate | null;
  float64: Rate;
  /** kernel / float64 */
  ratio: number;
}

/** The float64 baseline: one monomorphic loop, the fastest plain JS can do. */
function float64Loop(A: Float64Array, B: Float64Array, ops: number): number {
  let acc = 0;
  let sum = 0;
  for (let i = 0; i < ops; i++) {
    const j = i & (N - 1);
    if (j % BENCH_K === 0) {
      sum += acc;
      acc = 0;
    }
    acc += A[j]! * B[j]!;
  }
  return sum + acc;
}

/** Runs one case; bench/run.ts gives each case a fresh worker so no JIT state is shared. */
export function benchCoreCase(index: number): CoreBenchRow {
  const spec = CORE_CASES[index]!;
  const c = { a: parseFormatName(spec.a), w: parseFormatName(spec.w), product: spec.product === null ? null : parseFormatName(spec.product), acc: parseFormatName(spec.acc), mode: spec.mode };
  const A = randomCodes(c.a, 1);
  const B = randomCodes(c.w, 2);
  const Af = Float64Array.from(A, (x) => toFloat64(x, c.a));
  const Bf = Float64Array.from(B, (x) => toFloat64(x, c.w));
  const generic = (ops: number) => {
    let acc = 0;
    let sum = 0;
    for (let i = 0; i < ops; i++) {
      const j = i & (N - 1);
      if (j % BENCH_K === 0) {
        sum += acc;
        acc = 0;
      }
      if (c.product === null) acc = fma(c.a, A[j]!, c.w, B[j]!, c.acc, acc, c.acc, c.mode);
      else acc = add(c.acc, acc, c.product, mul(c.a, A[j]!, c.w, B[j]!, c.product, c.mode), c.acc, c.mode);
    }
    return sum + acc;
  };
  if (spec.fixed !== undefined) return benchFixed(spec, { a: c.a, w: c.w, product: c.product, out: c.acc, fixed: makeFixed(spec.fixed), modeProduct: c.mode, modeAcc: c.mode, modeInput: c.mode }, A, B, Af, Bf);
  const kernel = new MacKernel({ a: c.a, w: c.w, product: c.product, acc: c.acc, modeProduct: c.mode, modeAcc: c.mode });
  if (spec.cell !== undefined) return benchDotCell(spec.label, spec.cell, kernel, A, B, Af, Bf);
  const compiled = (ops: number) => {
    let acc = 0;
    let sum = 0;
    for (let i = 0; i < ops; i++) {
      const j = i & (N - 1);
      if (j % BENCH_K === 0) {
        sum += acc;
        acc = 0;
      }
      acc = kernel.step(acc, A[j]!, B[j]!);
    }
    return sum + acc;
  };
  const [kernelRate, genericRate, f64Rate] = measure(
    [
      { name: 'MacKernel', run: compiled },
      { name: 'generic ops', run: generic },
      { name: 'float64', run: (ops) => float64Loop(Af, Bf, ops) },
    ],
    4_000_000,
  );
  return { label: spec.label, path: kernel.path, kernel: kernelRate!, generic: genericRate!, float64: f64Rate!, ratio: kernelRate!.opsPerSecond / f64Rate!.opsPerSecond };
}

/** A dot-product cell's steps of G terms, counted per term, against the same float64 loop. */
function benchDotCell(label: string, cell: DotCell, mac: MacKernel, A: Uint32Array, B: Uint32Array, Af: Float64Array, Bf: Float64Array): CoreBenchRow {
  const dot = new DotKernel(cell, mac);
  const G = cell.lanes;
  // The operands are gathered into the step's buffers, as core/dot.ts's output loop does.
  const a = new Float64Array(G);
  const w = new Float64Array(G);
  const compiled = (ops: number) => {
    let acc = 0;
    let sum = 0;
    for (let i = 0; i < ops; i += G) {
      const j = i & (N - 1);
      if (j % BENCH_K === 0) {
        sum += acc;
        acc = 0;
      }
      for (let x = 0; x < G; x++) {
        a[x] = A[j + x]!;
        w[x] = B[j + x]!;
      }
      acc = dot.step(acc, a, w);
    }
    return sum + acc;
  };
  const [kernelRate, f64Rate] = measure(
    [
      { name: 'DotKernel', run: compiled },
      { name: 'float64', run: (ops) => float64Loop(Af, Bf, ops) },
    ],
    4_000_000,
  );
  return { label, path: 'dot', kernel: kernelRate!, generic: null, float64: f64Rate!, ratio: kernelRate!.opsPerSecond / f64Rate!.opsPerSecond };
}

/** A fixed-point register: its float64 kernel, its bigint kernel, the float64 loop. */
function benchFixed(spec: Case, k: FixedKernelSpec, A: Uint32Array, B: Uint32Array, Af: Float64Array, Bf: Float64Array): CoreBenchRow {
  const loop = (path: FixedPath) => {
    const kernel = fixedKernel(k, path);
    const s = kernel.newState();
    return (ops: number) => {
      let sum = 0;
      kernel.start(s, 0);
      for (let i = 0; i < ops; i++) {
        const j = i & (N - 1);
        if (j % BENCH_K === 0) {
          sum += kernel.finish(s);
          kernel.start(s, 0);
        }
        kernel.step(s, A[j]!, B[j]!);
      }
      return sum + kernel.finish(s);
    };
  };
  const [kernelRate, bigintRate, f64Rate] = measure(
    [
      { name: 'FixedKernel float64', run: loop('float64') },
      { name: 'FixedKernel bigint', run: loop('bigint') },
      { name: 'float64', run: (ops) => float64Loop(Af, Bf, ops) },
    ],
    4_000_000,
  );
  return { label: spec.label, path: 'float64', kernel: kernelRate!, generic: bigintRate!, float64: f64Rate!, ratio: kernelRate!.opsPerSecond / f64Rate!.opsPerSecond };
}
