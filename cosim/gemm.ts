// The Verilated RTL as an engine (`lbamac gemm --engine verilator`): the simulator's schedule
// drives the generated top, and D is collected from the RTL's own output ports, the way the
// simulator's collector reads them. The stimulus comes from a simulator run of the same job
// (it holds the feeder), and in weight-stationary arrays that stimulus feeds partial sums back
// in between K tiles; so the engine also compares every output port with the simulator's and
// refuses a result when they differ (the mismatch is reported as `lbamac verify` would).
import type { EventCounts } from '../core/events.js';
import { LbamacError } from '../core/errors.js';
import type { Arch } from '../arch/types.js';
import type { ArrayConfig } from '../config/resolve.js';
import { generateRtl } from '../rtl-gen/generate.js';
import type { Schedule } from '../arch/schedule.js';
import { buildArrayHarness, runArrayHarness } from './array-harness.js';
import { compareTraces } from './compare.js';
import { mismatchReport } from './cosimulate.js';
import { traceJob, type TraceLayout, unpackElement } from './trace.js';

export interface VerilatorGemmResult {
  D: number[][];
  /** Counted by the simulator run that drives the RTL (the RTL has no event counters). */
  events: EventCounts;
  /** From cycle 0 through the cycle the RTL put the last D row on its output port. */
  cycles: number;
}

/** D from the RTL's output trace: the k-th row with d_valid set is placed as the schedule says. */
export function collectD(arch: Arch, sched: Schedule, M: number, N: number, layout: TraceLayout, outputs: Uint32Array): { D: number[][]; lastCycle: number } {
  const { ports, offsets, stride } = layout;
  const port = (name: string) => {
    const k = ports.findIndex((p) => p.name === name);
    return { p: ports[k]!, at: offsets[k]! };
  };
  const valid = port('d_valid');
  const data = port(arch.dataflow === 'os' || arch.fixed !== null ? 'd_data' : arch.chunk !== null ? 'd_total' : 'd_acc');
  const D = Array.from({ length: M }, () => new Array<number>(N).fill(-1));
  let k = 0;
  let lastCycle = -1;
  const cycles = outputs.length / stride;
  for (let x = 0; x < cycles; x++) {
    const base = x * stride;
    if (unpackElement(valid.p, outputs, base + valid.at, 0) === 0) continue;
    let m0: number, n0: number, rows: number, cols: number, r: number;
    if (sched.kind === 'os') {
      const tile = sched.tiles[Math.floor(k / arch.rows)];
      if (tile === undefined) throw new LbamacError(`engine verilator: the RTL put out more D rows than the schedule has (cycle ${x})`);
      ({ m0, n0, rows, cols } = tile);
      r = k % arch.rows;
    } else {
      const tile = sched.tiles[Math.floor(k / M)];
      if (tile === undefined) throw new LbamacError(`engine verilator: the RTL put out more partial-sum rows than the schedule has (cycle ${x})`);
      if (!tile.last) {
        k++;
        continue;
      }
      ({ n0, cols } = tile);
      m0 = 0;
      rows = M;
      r = k % M;
    }
    k++;
    lastCycle = x;
    if (r >= rows) continue;
    for (let j = 0; j < cols; j++) D[m0 + r]![n0 + j] = unpackElement(data.p, outputs, base + data.at, j);
  }
  const missing = D.findIndex((row) => row.includes(-1));
  if (missing >= 0) throw new LbamacError(`engine verilator: the RTL never put out D row ${missing} (${k} rows with d_valid in ${cycles} cycles)`);
  return { D, lastCycle };
}

export function verilatorGemm(cfg: ArrayConfig, A: number[][], B: number[][], C?: number[][]): VerilatorGemmResult {
  const rtl = generateRtl(cfg);
  const trace = traceJob(rtl.arch, C === undefined ? { A, B } : { A, B, C });
  const build = buildArrayHarness([rtl]);
  const [run] = runArrayHarness(build, [{ top: 0, stimulus: trace.stimulus }]);
  const cmp = compareTraces(rtl.arch, trace.outputs, trace.expected, run!.outputs);
  if (cmp.total > 0) {
    const report = mismatchReport({ label: 'this job', top: 0, cycles: trace.cycles, comparison: cmp, rtlSeconds: run!.seconds });
    throw new LbamacError(`engine verilator: ${report}`);
  }
  const { D, lastCycle } = collectD(rtl.arch, trace.result.schedule, A.length, B[0]!.length, trace.outputs, run!.outputs);
  return { D, events: trace.result.events, cycles: lastCycle + 1 };
}
