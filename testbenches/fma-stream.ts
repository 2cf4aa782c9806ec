// Streaming independent fused multiply-adds through a 1×1 weight-stationary fused array, one
// case a cycle: the way to push large vector sets (TestFloat's) through the generated cell as the
// PE instantiates it. A GEMM job cannot do this (every row of a job meets the same weight), so
// the stimulus is built here from the timing the architecture states (arch/types.ts, docs/timing.md):
//   - a weight shifted in with w_shift in cycle x is in PE(0, 0)'s w register from cycle x + 2;
//   - an A row presented in cycle c is multiplied in cycle c + 1 (c + r + j + 1) against that
//     register, its partial sum (s_acc, presented in the same cycle) is added in, and the result
//     is on d_acc in cycle c + R + C + P = c + 2.
// So case i's weight goes in in cycle i, its a and c in cycle i + 1, and d_acc in cycle i + 3 is
// fma(a, w, c) rounded once into the accumulator format.
import { LbamacError } from '../core/errors.js';
import type { Arch } from '../arch/types.js';
import { signalPorts, TraceBuffer, traceLayout, type TraceLayout, unpackElement } from '../cosim/trace.js';

export interface FmaStream {
  inputs: TraceLayout;
  outputs: TraceLayout;
  stimulus: Uint32Array;
  cycles: number;
}

function checkArch(arch: Arch): void {
  if (arch.rows !== 1 || arch.cols !== 1 || arch.dataflow !== 'ws' || !arch.fused || arch.chunk !== null || arch.sparsity !== 'dense') {
    throw new LbamacError('fma stream: needs a 1×1 weight-stationary dense array with product "exact" and no chunking');
  }
}

/** Cycles from a case's weight to its result: 1 (weight to A row) + L·R + C + D (docs/timing.md). */
function resultLead(arch: Arch): number {
  return 1 + arch.pipeline.loop * arch.rows + arch.cols + arch.pipeline.termDepth;
}

/** The stimulus for `count` cases, a, b, c at cases[3i], [3i+1], [3i+2] (codes of a, w, acc). */
export function fmaStream(arch: Arch, cases: Uint32Array): FmaStream {
  checkArch(arch);
  const count = cases.length / 3;
  const inputs = traceLayout(signalPorts(arch, 'in'));
  const outputs = traceLayout(signalPorts(arch, 'out'));
  const lead = resultLead(arch);
  const cycles = count + lead;
  const buf = new TraceBuffer(inputs, cycles);
  const one = Uint32Array.of(1);
  const zero = Uint32Array.of(0);
  for (let x = 0; x < cycles; x++) {
    const w = x < count; // case x's weight
    const i = x - 1; // case whose a and c are presented now
    const a = i >= 0 && i < count;
    buf.push({
      w_shift: w ? one : zero,
      w_valid: w ? one : zero,
      w_data: w ? cases.subarray(3 * x + 1, 3 * x + 2) : zero,
      a_valid: a ? one : zero,
      a_data: a ? cases.subarray(3 * i, 3 * i + 1) : zero,
      s_valid: a ? one : zero,
      s_acc: a ? cases.subarray(3 * i + 2, 3 * i + 3) : zero,
    });
  }
  return { inputs, outputs, stimulus: buf.words(), cycles };
}

/** The results of the cases from the output trace (d_acc in cycle i + 3 for case i). */
export function fmaStreamResults(arch: Arch, stream: FmaStream, outputs: Uint32Array): Uint32Array {
  checkArch(arch);
  const { ports, offsets, stride } = stream.outputs;
  const valid = ports.findIndex((p) => p.name === 'd_valid');
  const acc = ports.findIndex((p) => p.name === 'd_acc');
  const lead = resultLead(arch);
  const count = stream.cycles - lead;
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const at = (i + lead) * stride;
    if (unpackElement(ports[valid]!, outputs, at + offsets[valid]!, 0) !== 1) throw new Error(`fma stream: d_valid is 0 in cycle ${i + lead}, where case ${i}'s result is due`);
    out[i] = unpackElement(ports[acc]!, outputs, at + offsets[acc]!, 0);
  }
  return out;
}
