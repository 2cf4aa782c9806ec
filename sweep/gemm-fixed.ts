// The sweep's GEMM on a fixed-point (Kulisch-style) accumulator (docs/arithmetic.md §3,
// "Fixed-point accumulation"): each output runs the core's FixedKernel over its terms, as
// coreGemm does. A zero product adds nothing to the register but may change the sign of a zero
// register, so zero terms are skipped only while the register is nonzero or a special was seen.
// test/sweep/gemm-fixed.test.ts checks D and the events against coreGemm.
import { toFloat64 } from '../core/arith.js';
import { takeEvents } from '../core/gemm.js';
import { FixedAccumulation, NO_SPECIAL } from '../core/fixed-acc.js';
import type { FixedAccumulator } from '../core/fixed.js';
import type { ArrayConfig } from '../config/resolve.js';
import { type CodeMat, nonzeroByRow, type RowIndex, valueTable } from '../workloads/matrix.js';
import type { GemmRun, PreparedB } from './gemm.js';

export function sweepGemmFixed(cfg: ArrayConfig, fixed: FixedAccumulator, A: CodeMat, B: PreparedB, rows?: RowIndex): GemmRun {
  const M = A.rows;
  const { K, N, T, wT, term, aIndex, weight } = B;
  const kernel = new FixedAccumulation(cfg, fixed).kernel;
  const s = kernel.newState();
  const idx = rows ?? nonzeroByRow(A);
  const table = valueTable(cfg.acc);
  const a = A.data;
  const D = new Float64Array(M * N);
  let terms = 0;
  for (let i = 0; i < M; i++) {
    const start = idx.start[i]!;
    const end = idx.start[i + 1]!;
    const aOff = i * K;
    for (let j = 0; j < N; j++) {
      const wOff = j * K;
      const tOff = j * T;
      kernel.start(s, 0);
      let t = 0;
      for (let p = start; p <= end; p++) {
        // The next term with both factors nonzero (T past the last), and the zero terms before it.
        let next = T;
        if (p < end) {
          const k = idx.cols[p]!;
          if (wT[wOff + k]! < 0) continue;
          next = term === null ? k : term[wOff + k]!;
        }
        for (; t < next; t++) {
          if (s.special === NO_SPECIAL && (s.reg === 0 || s.reg === 0n)) {
            const z = aIndex[tOff + t]!;
            kernel.step(s, z < 0 ? 0 : a[aOff + z]!, weight[tOff + t]!);
          }
        }
        if (next < T) {
          kernel.step(s, a[aOff + aIndex[tOff + next]!]!, weight[tOff + next]!);
          terms++;
          t = next + 1;
        }
      }
      const code = kernel.finish(s);
      D[i * N + j] = table ? table[code]! : toFloat64(code, cfg.acc);
    }
  }
  return { D, events: takeEvents(kernel.events), terms };
}
