// The sweep's GEMM on a dot-product cell (docs/arithmetic.md §3, "Dot-product cells"): each output
// steps through its terms G at a time with the core's DotKernel, as coreGemm does, and skips the
// steps whose G products are all zeros where that provably changes nothing.
//
// A step of zero products leaves the accumulator's code unchanged and counts no event when the
// accumulator is
//   - +0, outside rdn: a sum of zeros, +0 among them, is +0 (under rdn a -0 product makes -0);
//   - finite and nonzero, with a window at least as wide as its significand (W >= acc.man + 1 or
//     "exact"): it is the largest term, so the alignment keeps all of it, and rounding it is exact
//     (a narrower window truncates the accumulator itself: that step is computed);
//   - an infinity or NaN: zeros change neither.
// A -0 accumulator meets its zero products like any other step. Inputs are finite here (sweepGemm
// sends inf and NaN to coreGemm), so a zero product is an exact zero without events.
// test/sweep/gemm-lanes.test.ts checks D and the events against coreGemm.
import { isFiniteNonzeroCode, toFloat64 } from '../core/arith.js';
import { Accumulation, takeEvents } from '../core/gemm.js';
import type { DotCell } from '../core/lanes.js';
import { type ArrayConfig, outputFormat } from '../config/resolve.js';
import { type CodeMat, nonzeroByRow, type RowIndex, valueTable } from '../workloads/matrix.js';
import type { GemmRun, PreparedB } from './gemm.js';

export function sweepGemmLanes(cfg: ArrayConfig, cell: DotCell, A: CodeMat, B: PreparedB, rows?: RowIndex): GemmRun {
  const M = A.rows;
  const { K, N, T, wT, term, aIndex, weight } = B;
  const G = cell.lanes;
  const steps = Math.ceil(T / G);
  const accumulation = new Accumulation(cfg);
  const kernel = accumulation.cell!;
  const stepsPerChunk = cfg.chunk === null ? 0 : cfg.chunk / G;
  const accNegZero = cfg.acc.signBit;
  const plusZeroStays = cfg.rounding.acc !== 'rdn';
  const keepsAcc = cell.alignBits === 'exact' || cell.alignBits >= cfg.acc.man + 1;
  const idx = rows ?? nonzeroByRow(A);
  const out = outputFormat(cfg);
  const table = valueTable(out);
  const a = A.data;
  const aBuf = new Float64Array(G);
  const wBuf = new Float64Array(G);
  const D = new Float64Array(M * N);
  let terms = 0;
  for (let i = 0; i < M; i++) {
    const s = idx.start[i]!;
    const e = idx.start[i + 1]!;
    const aOff = i * K;
    for (let j = 0; j < N; j++) {
      const wOff = j * K;
      const tOff = j * T;
      let acc = 0;
      let total = 0;
      let p = s;
      for (let g = 0; g < steps; ) {
        // The next group holding a nonzero product (both factors nonzero), and how many it holds.
        let live = steps;
        for (; p < e; p++) {
          const k = idx.cols[p]!;
          if (wT[wOff + k]! < 0) continue;
          const grp = Math.floor((term === null ? k : term[wOff + k]!) / G);
          if (live === steps) live = grp;
          else if (grp !== live) break;
          terms++;
        }
        for (; g <= live && g < steps; g++) {
          const skip = g < live && (acc === 0 ? plusZeroStays : acc !== accNegZero && (keepsAcc || !isFiniteNonzeroCode(acc, cfg.acc)));
          if (!skip) {
            for (let x = 0; x < G; x++) {
              const t = g * G + x;
              const z = t < T ? aIndex[tOff + t]! : -1;
              aBuf[x] = z < 0 ? 0 : a[aOff + z]!;
              wBuf[x] = t < T ? weight[tOff + t]! : 0;
            }
            acc = kernel.step(acc, aBuf, wBuf);
          }
          if (stepsPerChunk !== 0 && ((g + 1) % stepsPerChunk === 0 || g === steps - 1)) {
            total = accumulation.addChunk(total, acc);
            acc = 0;
          }
        }
      }
      const code = stepsPerChunk === 0 ? acc : total;
      D[i * N + j] = table ? table[code]! : toFloat64(code, out);
    }
  }
  return { D, events: takeEvents(kernel.events), terms };
}
