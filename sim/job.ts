// A job for the simulator, checked against the array before any cycle runs, and flattened into
// typed arrays for the feeder.
import { LbamacError } from '../core/errors.js';
import { compress24 } from '../core/sparse.js';
import { formatOf } from '../arch/build.js';
import type { Arch, FormatDesc } from '../arch/types.js';

export interface SimJob {
  /** M×K codes of the activation format. */
  A: readonly (readonly number[])[];
  /** K×N codes of the weight format (dense, also in 2:4 mode: the array's compressor packs it). */
  B: readonly (readonly number[])[];
  /** M×N codes of the output format (the chunk-total format when chunked, else the accumulator's). */
  C?: readonly (readonly number[])[];
  /** What the job needs of the array; when given it must match the array's sparsity. */
  sparsity?: 'dense' | '2:4';
  /** Cycles in which flags_clear is 1 (arrays with sticky flags; the schedule never needs it). */
  flagsClear?: readonly number[];
}

export interface PreparedJob {
  M: number;
  K: number;
  N: number;
  /** A[m][k] at m*K + k. */
  A: Uint32Array;
  /** Dense B[k][n] at k*N + n (dense arrays only). */
  B: Uint32Array | null;
  /** 2:4 slots: value and index of (group g, column n, slot s) at (g*N + n)*2 + s. */
  slotValue: Uint32Array | null;
  slotIndex: Uint8Array | null;
  /** C[m][n] at m*N + n, or null. */
  C: Uint32Array | null;
  /** Cycles that pulse flags_clear. */
  flagsClear: ReadonlySet<number>;
}

function shapeOf(name: string, m: unknown): [number, number] {
  if (!Array.isArray(m)) throw new LbamacError(`job: ${name} must be an array of rows, got ${typeof m}`);
  if (m.length === 0) throw new LbamacError(`job: ${name} has no rows; every matrix needs at least one row and one column (zero-sized jobs are not allowed)`);
  let cols = -1;
  m.forEach((row: unknown, i) => {
    if (!Array.isArray(row)) throw new LbamacError(`job: ${name}[${i}] must be an array, got ${typeof row}`);
    if (cols < 0) cols = row.length;
    else if (row.length !== cols) throw new LbamacError(`job: ${name} is ragged: row ${i} has ${row.length} elements, row 0 has ${cols}`);
  });
  if (cols === 0) throw new LbamacError(`job: ${name} has rows of length 0; every matrix needs at least one row and one column (zero-sized jobs are not allowed)`);
  return [m.length, cols];
}

function flatten(name: string, m: readonly (readonly number[])[], f: FormatDesc): Uint32Array {
  const rows = m.length;
  const cols = m[0]!.length;
  const out = new Uint32Array(rows * cols);
  const limit = 2 ** f.width;
  for (let i = 0; i < rows; i++) {
    const row = m[i]!;
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= limit) {
        throw new LbamacError(`job: ${name}[${i}][${j}] = ${JSON.stringify(v)} is not a code of ${f.name} (an integer from 0 to ${limit - 1})`);
      }
      out[i * cols + j] = v;
    }
  }
  return out;
}

export function prepareJob(arch: Arch, job: SimJob): PreparedJob {
  if (job.sparsity !== undefined && job.sparsity !== arch.sparsity) {
    throw new LbamacError(
      job.sparsity === '2:4'
        ? `job: a 2:4 sparse job cannot run on this array: it was built dense (config sparsity = "dense"); build it with "sparsity": "2:4"`
        : `job: a dense job cannot run on this array: it was built for 2:4 sparse weights (config sparsity = "2:4"); build it with "sparsity": "dense"`,
    );
  }
  const [M, K] = shapeOf('A', job.A);
  const [Kb, N] = shapeOf('B', job.B);
  if (Kb !== K) throw new LbamacError(`job: A is ${M}×${K} but B is ${Kb}×${N}; B needs K = ${K} rows`);
  const A = flatten('A', job.A, arch.formats.a);
  const Bflat = flatten('B', job.B, arch.formats.w);
  let C: Uint32Array | null = null;
  if (job.C !== undefined) {
    const [Mc, Nc] = shapeOf('C', job.C);
    if (Mc !== M || Nc !== N) throw new LbamacError(`job: C is ${Mc}×${Nc} but D is ${M}×${N}`);
    C = flatten('C', job.C, arch.formats.out);
  }
  const clears = job.flagsClear ?? [];
  if (clears.length > 0 && !arch.flags) throw new LbamacError('job: flagsClear pulses flags_clear, but this array has no sticky flags (config "flags": true)');
  for (const c of clears) if (!Number.isInteger(c) || c < 0) throw new LbamacError(`job: flagsClear cycle ${JSON.stringify(c)} is not allowed; expected non-negative integers`);
  const flagsClear = new Set(clears);
  if (arch.sparsity === 'dense') return { M, K, N, A, B: Bflat, slotValue: null, slotIndex: null, C, flagsClear };
  let s;
  try {
    s = compress24(job.B, formatOf(arch.formats.w), N);
  } catch (e) {
    if (e instanceof LbamacError) throw new LbamacError(`job: ${e.message}`);
    throw e;
  }
  return { M, K, N, A, B: null, slotValue: Uint32Array.from(s.values), slotIndex: s.index, C, flagsClear };
}
