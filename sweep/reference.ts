// The float reference of docs/arithmetic.md §6: the exact real value of Σ_k A[i][k]·B[k][j] on
// the quantized inputs, rounded once to the nearest float64 (ties to even).
//
// Two exact methods, chosen per GEMM:
//   - plain float64 summation, when a bound proves that every product and every partial sum is an
//     integer multiple of the smallest product bit 2^L below 2^(L+53): then each addition is exact
//     (the FP8 and e4m7 workloads: L = -18 and sums below 2^30);
//   - otherwise an expansion (Shewchuk's error-free two-sum chain: a sum of non-overlapping
//     float64 components), folded into one BigInt at the end and rounded once.
// Products of values with at most 24 significant bits are exact in float64, and the inputs of a
// sweep are quantized float64 data, so they are finite and well inside float64's range; anything
// else (inf or NaN inputs, extreme biases) is refused rather than approximated.
import { LbamacError } from '../core/errors.js';
import type { RowIndex } from '../workloads/matrix.js';

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** Exponent of the lowest set bit of a finite nonzero double (its "ulp position" for exactness). */
export function lowestBit(v: number): number {
  F64[0] = v;
  const hi = U32[1]!;
  const lo = U32[0]!;
  const bexp = (hi >>> 20) & 0x7ff;
  let q = bexp === 0 ? -1074 : bexp - 1075;
  const mhi = bexp === 0 ? hi & 0xfffff : (hi & 0xfffff) | 0x100000;
  if (lo !== 0) return q + ctz32(lo);
  return q + 32 + ctz32(mhi);
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

interface Bounds {
  lsb: number;
  max: number;
}

function bounds(values: Float64Array): Bounds {
  let lsb = Infinity;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === 0) continue;
    if (!Number.isFinite(v)) throw new LbamacError('the exact reference needs finite inputs; a quantized input is inf or NaN');
    const a = Math.abs(v);
    if (a > max) max = a;
    const l = lowestBit(v);
    if (l < lsb) lsb = l;
  }
  return { lsb, max };
}

export type ReferenceMethod = 'float64' | 'expansion';

export interface Reference {
  values: Float64Array;
  method: ReferenceMethod;
}

/**
 * ref[i][j] = Σ_k A[i][k]·B[k][j] exactly, rounded to float64. A is M×K values, B is K×N values
 * (row-major); `rows` lists each row's nonzero columns (zeros contribute nothing).
 */
export function exactGemm(A: Float64Array, B: Float64Array, M: number, K: number, N: number, rows: RowIndex): Reference {
  const ba = bounds(A);
  const bb = bounds(B);
  const values = new Float64Array(M * N);
  if (ba.max === 0 || bb.max === 0) return { values, method: 'float64' };
  if (ba.max > 2 ** 400 || bb.max > 2 ** 400 || ba.lsb < -480 || bb.lsb < -480) {
    throw new LbamacError('the exact reference supports inputs between 2^-480 and 2^400 in magnitude');
  }
  const L = ba.lsb + bb.lsb;
  const plain = K * ba.max * bb.max < 2 ** (L + 52);
  // B transposed: one column's K values contiguous.
  const BT = new Float64Array(K * N);
  for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) BT[j * K + k] = B[k * N + j]!;
  const exp = plain ? null : new Expansion();
  for (let i = 0; i < M; i++) {
    const s = rows.start[i]!;
    const e = rows.start[i + 1]!;
    const aOff = i * K;
    for (let j = 0; j < N; j++) {
      const bOff = j * K;
      if (exp === null) {
        let sum = 0;
        for (let p = s; p < e; p++) {
          const k = rows.cols[p]!;
          sum += A[aOff + k]! * BT[bOff + k]!;
        }
        values[i * N + j] = sum;
      } else {
        exp.clear();
        for (let p = s; p < e; p++) {
          const k = rows.cols[p]!;
          exp.add(A[aOff + k]! * BT[bOff + k]!);
        }
        values[i * N + j] = exp.round();
      }
    }
  }
  return { values, method: plain ? 'float64' : 'expansion' };
}

/** An exact sum of doubles as non-overlapping components, smallest magnitude first. */
export class Expansion {
  private e = new Float64Array(64);
  private n = 0;

  clear(): void {
    this.n = 0;
  }

  /** Adds b exactly (Shewchuk's GROW-EXPANSION with zero elimination). */
  add(b: number): void {
    if (b === 0) return;
    let q = b;
    let k = 0;
    const e = this.e;
    for (let i = 0; i < this.n; i++) {
      const x = e[i]!;
      const s = q + x;
      const bv = s - q;
      const av = s - bv;
      const err = q - av + (x - bv);
      q = s;
      if (err !== 0) e[k++] = err;
    }
    if (k === e.length) {
      const bigger = new Float64Array(e.length * 2);
      bigger.set(e);
      this.e = bigger;
    }
    this.e[k++] = q;
    this.n = k;
  }

  /** The exact sum rounded once to the nearest double (ties to even). */
  round(): number {
    const n = this.n;
    if (n === 0) return 0;
    if (n === 1) return this.e[0]!;
    let lsb = Infinity;
    for (let i = 0; i < n; i++) if (this.e[i] !== 0) lsb = Math.min(lsb, lowestBit(this.e[i]!));
    if (lsb === Infinity) return 0;
    let S = 0n;
    for (let i = 0; i < n; i++) {
      const v = this.e[i]!;
      if (v === 0) continue;
      // v / 2^lsb is an integer below 2^53 · 2^(exponent gap): exact through a scaled double and BigInt shifts.
      const l = lowestBit(v);
      const m = v * 2 ** -l; // an odd integer below 2^53, exact
      S += BigInt(m) << BigInt(l - lsb);
    }
    if (S === 0n) return 0;
    // Number(S) rounds to nearest-even; scaling by 2^lsb is exact for results in the normal range.
    const r = Number(S);
    const half = Math.trunc(lsb / 2);
    const out = r * 2 ** half * 2 ** (lsb - half);
    if (!Number.isFinite(out) || Math.abs(out) < 2 ** -1000) throw new LbamacError('the exact reference left float64 range');
    return out;
  }
}
