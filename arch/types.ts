// The architecture description: one plain, JSON-serializable object that fixes the array the
// cycle simulator runs and the RTL generator emits — ports, PE registers, edge (skew) registers,
// arithmetic units and timing constants. Both walk the same object, so they cannot drift apart.
// docs/architecture.md explains every field; docs/timing.md the schedule built on it.
import type { FormatSpec, RoundingMode } from '../core/format.js';

export const ARCH_VERSION = 1;

/** A float format as the hardware sees it: the resolved fields plus name and width. */
export interface FormatDesc extends Required<FormatSpec> {
  name: string;
  /** 1 + exp + man bits. */
  width: number;
}

/**
 * A port of the array top. Every port is a vector of `count` elements of `elemWidth` bits, packed
 * little-end first: element e occupies bits [e*elemWidth +: elemWidth] of the `width`-bit port.
 * `index` says what the element index counts.
 */
export interface PortDesc {
  name: string;
  dir: 'in' | 'out';
  /** clock and reset are not traced per cycle; every other port is a signal. */
  kind: 'clock' | 'reset' | 'signal';
  count: number;
  elemWidth: number;
  width: number;
  /** scalar: count 1; row: element r is array row r; col: element j is array column j;
   *  rowLane: element r*4+q is lane q (A[·][4g+q]) of row r. */
  index: 'scalar' | 'row' | 'col' | 'rowLane';
  meaning: string;
}

/**
 * A register of every PE. `lanes` > 1 means `lanes` values of `laneWidth` bits packed lane 0 in the
 * least significant bits (total width lanes*laneWidth). All registers reset to 0.
 */
export interface RegisterDesc {
  name: string;
  width: number;
  lanes: number;
  laneWidth: number;
  reset: 0;
  /** Which path the register belongs to (for drawing and for grouping in the RTL). */
  path: 'a' | 'b' | 'w' | 'product' | 'acc' | 'psum';
  meaning: string;
  /** Next-state rule in register-transfer notation (see docs/architecture.md). */
  next: string;
}

/** One signal carried by an edge line, with its width. */
export interface LineSignal {
  /** A port name (skew lines) or a PE register name (deskew lines). */
  source: string;
  width: number;
}

/**
 * Registers at the array's edge. A line of depth d is d registers in series; in cycle x its k-th
 * register (k = 1..d) holds what its source held in cycle x - k, so its output is the source
 * delayed by d cycles (depth 0: the source itself). `depth[e]` is the depth for element e (row or
 * column index). A chain (`shared: true`) is one register per column, register j feeding
 * register j + 1, tapped after depth[j] registers: the depths are then 1, 2, ..., count.
 */
export interface LineDesc {
  name: string;
  kind: 'skew' | 'deskew';
  index: 'row' | 'col';
  shared: boolean;
  signals: LineSignal[];
  depth: number[];
  /** Where the line ends. */
  feeds: string;
  meaning: string;
}

/** An arithmetic unit of the PE (combinational). The simulator computes it with core/arith. */
export interface UnitDesc {
  name: 'selector' | 'multiplier' | 'fma' | 'accAdder' | 'totalAdder';
  /** Operand and result formats by role. */
  inputs: string[];
  output: string;
  rounding: RoundingMode | null;
  meaning: string;
}

/** Timing constants; the formulas built on them are in arch/schedule.ts and docs/timing.md. */
export interface TimingDesc {
  /** A term presented on the ports in cycle c is multiplied by PE(r, j) in cycle c + r + j + inToMul. */
  inToMul: number;
  /** Cycles from the multiply to the add that consumes it (the multiplier pipeline depth). */
  mulToAdd: number;
  /** Terms per output: K (dense) or 2·ceil(K/4) (2:4). */
  termsFormula: string;
  /** Closed-form cycle counts (R rows, C cols, T terms, P = mulToAdd). */
  cyclesFormula: string;
  notes: string[];
}

export interface Arch {
  version: typeof ARCH_VERSION;
  /** Module name of the array top. */
  top: string;
  rows: number;
  cols: number;
  dataflow: 'os' | 'ws';
  sparsity: 'dense' | '2:4';
  /** A values carried per row: 1 (dense) or 4 (a 2:4 group). */
  lanes: 1 | 4;
  /** Chunk size in terms, or null. */
  chunk: number | null;
  /** Products exact (fused multiply-add) or rounded into formats.product. */
  fused: boolean;
  pipeline: { multiplier: 0 | 1 };
  formats: {
    a: FormatDesc;
    w: FormatDesc;
    product: FormatDesc | null;
    acc: FormatDesc;
    /** The chunk-total format (chunked arrays only). */
    total: FormatDesc | null;
    /** The format of C and D: total when chunked, else acc. */
    out: FormatDesc;
  };
  rounding: { product: RoundingMode; acc: RoundingMode; total: RoundingMode };
  ports: PortDesc[];
  pe: { registers: RegisterDesc[]; units: UnitDesc[] };
  edge: LineDesc[];
  timing: TimingDesc;
}
