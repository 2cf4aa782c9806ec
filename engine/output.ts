// The JSON an engine run produces: D as bit patterns (the contract's result) plus their values
// (for reading), the event counts and the output format, so the file stands on its own.
import { toFloat64 } from '../core/arith.js';
import { hexCode } from '../core/describe.js';
import { EVENT_NAMES, type EventCounts } from '../core/events.js';
import { type FormatSpec, formatSpecOf } from '../core/format.js';
import { type ArrayConfig, outputFormat } from '../config/resolve.js';
import type { ArrayActivity, EngineResult } from './index.js';
import type { Job, MatrixConversions } from './job.js';
import { encodeNpy, type NpyDtype } from './npy.js';

/** A value; the strings are what a JSON number cannot say (JSON.stringify writes -0 as 0). */
export type OutputValue = number | 'nan' | 'inf' | '-inf' | '-0';

export interface GemmOutput {
  engine: string;
  /** The format of D: its canonical name and resolved fields. */
  format: { name: string } & Required<FormatSpec>;
  /** Clock cycles of the run, or null for engines that do not model time. */
  cycles: number | null;
  events: EventCounts;
  /** "0x" + hex, zero-padded to the format's width. */
  D: string[][];
  /** The value of each D code as a float64. Exact for man <= 23, except that a bias far from the
   *  default can put values beyond float64's range; D is the authoritative result. */
  values: OutputValue[][];
  /** Cycle-level engines only: useful multiply-adds / (PEs · cycles). */
  utilization?: number;
  /** Cycle-level engines only: per-PE counts, each a rows × cols matrix (PE(r, j) at [r][j]). */
  pe?: PeCounts;
  /** What converting the job's real values into their formats did, per matrix (engine/job.ts). */
  inputs?: Record<string, InputConversions>;
}

export interface InputConversions extends Omit<MatrixConversions, 'largestOverflow'> {
  largestOverflow: { value: OutputValue; became: OutputValue } | null;
}

export interface PeCounts {
  /** Useful multiply-adds done by each PE. */
  terms: number[][];
  /** Per event name: how often each PE counted it. */
  events: Record<keyof EventCounts, number[][]>;
}

/** Per-PE counts as one matrix per event (compact in JSON: one line per PE row). */
export function peCounts(a: ArrayActivity): PeCounts {
  const events = {} as Record<keyof EventCounts, number[][]>;
  for (const name of EVENT_NAMES) events[name] = a.perPE.map((row) => row.map((e) => e[name]));
  return { terms: a.peTerms, events };
}

export function toGemmOutput(engine: string, cfg: ArrayConfig, result: EngineResult, conversions?: Job['conversions']): GemmOutput {
  const f = outputFormat(cfg);
  return {
    engine,
    format: { name: f.name, ...formatSpecOf(f) },
    cycles: result.cycles ?? null,
    events: result.events,
    D: result.D.map((row) => row.map((code) => hexCode(code, f))),
    values: result.D.map((row) => row.map((code) => valueOf(toFloat64(code, f)))),
    ...(result.array === undefined ? {} : { utilization: result.array.utilization, pe: peCounts(result.array) }),
    ...(conversions === undefined ? {} : { inputs: inputConversions(conversions) }),
  };
}

function inputConversions(conversions: Job['conversions']): Record<string, InputConversions> {
  const out: Record<string, InputConversions> = {};
  for (const [matrix, c] of Object.entries(conversions)) {
    const o = c.largestOverflow;
    out[matrix] = { ...c, largestOverflow: o === null ? null : { value: valueOf(o.value), became: valueOf(o.became) } };
  }
  return out;
}

function valueOf(x: number): OutputValue {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  return x;
}

function numberOf(v: OutputValue): number {
  return v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === '-0' ? -0 : v;
}

/** D's codes as a .npy file, in the smallest uint dtype that holds the output format's width. */
export function codesNpy(out: GemmOutput): Uint8Array {
  const width = 1 + out.format.exp + out.format.man;
  const dtype: NpyDtype = width <= 8 ? 'uint8' : width <= 16 ? 'uint16' : 'uint32';
  return encodeNpy({ dtype, shape: [out.D.length, out.D[0]!.length], data: out.D.flat().map(Number) });
}

/** D's values as a float64 .npy file. */
export function valuesNpy(out: GemmOutput): Uint8Array {
  return encodeNpy({ dtype: 'float64', shape: [out.values.length, out.values[0]!.length], data: out.values.flat().map(numberOf) });
}
