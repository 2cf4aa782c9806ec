// The architecture description: one plain, JSON-serializable object that fixes the array the
// cycle simulator runs and the RTL generator emits — ports, PE registers, edge (skew) registers,
// arithmetic units and timing constants. Both walk the same object, so they cannot drift apart.
// docs/architecture.md explains every field; docs/timing.md the schedule built on it.
import type { FixedOverflow } from '../core/fixed.js';
import type { FormatSpec, RoundingMode } from '../core/format.js';
import type { DotCell } from '../core/lanes.js';
import type { DrawKind, RandomSpec } from '../core/random-stream.js';

export const ARCH_VERSION = 5;

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
   *  rowLane: element r*L+q is lane q of row r (L = Arch.lanes); colLane: element j*G+l is lane l
   *  of column j (G = Arch.dot.lanes); pe: element r*C+j is PE(r, j). */
  index: 'scalar' | 'row' | 'col' | 'rowLane' | 'colLane' | 'pe';
  meaning: string;
}

/**
 * A combinational expression inside a PE: the next-state rules of the registers, the operands of
 * the units and the enables are built from these (arch/ir.ts has the constructors and printers).
 * `reg` is this PE's register in the current cycle, `in` a PE input (a neighbour's register or an
 * edge line), `wire` a named PE signal, `unit` the result of a unit instance. `and`/`or` take
 * 1-bit operands; `mux` is `sel ? then : else`. `lanes` is lanes first..first+count-1 of a
 * multi-lane register or input (`of`, lanes of `width` bits); `concat` packs values of one width
 * as lanes, args[0] in lane 0 (a dot-product unit's packed operands).
 */
export type Expr =
  | { op: 'reg'; name: string }
  | { op: 'in'; name: string }
  | { op: 'wire'; name: string }
  | { op: 'unit'; name: string }
  | { op: 'zero'; width: number }
  | { op: 'const'; width: number; value: number }
  /** The unit's status in the sticky-flag layout (FLAG_NAMES): 5 bits. */
  | { op: 'status'; unit: string }
  | { op: 'and'; args: Expr[] }
  | { op: 'or'; args: Expr[] }
  | { op: 'mux'; sel: Expr; then: Expr; else: Expr }
  | { op: 'lanes'; of: Expr; first: number; count: number; width: number }
  | { op: 'concat'; args: Expr[]; width: number };

/** The sticky flags of a PE, bit i = FLAG_NAMES[i]: a unit's result was inexact, overflowed,
 *  underflowed (tiny and inexact), was an invalid operation, or an adder's sum equalled its
 *  accumulator input although the term was finite and nonzero (swamping). */
export const FLAG_NAMES = ['inexact', 'overflow', 'underflow', 'invalid', 'swamping'] as const;
export const FLAG_WIDTH = FLAG_NAMES.length;

/** What output a value belongs to, for attributing events (the simulator's tags, not hardware):
 *  an A row, an output column, or one output (row and column). */
export type TagKind = 'row' | 'col' | 'output';

/**
 * A register of every PE. `lanes` > 1 means `lanes` values of `laneWidth` bits packed lane 0 in the
 * least significant bits (total width lanes*laneWidth). All registers reset to 0. After a rising
 * edge the register holds `next` when `enable` was 1 (every cycle when `enable` is null), else
 * its old value.
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
  enable: Expr | null;
  next: Expr;
  /** The output identity the value carries, when it carries an operand of a term. */
  tag: TagKind | null;
}

/** A named 1-bit-or-wider combinational signal of the PE (no units inside: it is always cheap). */
export interface WireDesc {
  name: string;
  width: number;
  expr: Expr;
  meaning: string;
}

/** Where a PE neighbour sits, seen from the PE that reads it. */
export type Neighbour = 'left' | 'above' | 'below';

/**
 * An input of the PE. With `from`, it is register `register` of that neighbour, and the PEs on the
 * array's edge (no such neighbour) take element e of `edge` instead (e = the row for `left`, the
 * column otherwise). Without `from`, every PE takes the edge line's element for its column (a
 * column-wide tap, such as the shift enable).
 */
export interface PeInputDesc {
  name: string;
  width: number;
  from: Neighbour | null;
  register: string | null;
  edge: { line: string; signal: string };
  meaning: string;
}

/** The kinds of unit; arch/units.ts gives each its evaluation and its Verilog. `fixload`,
 *  `fixadd` and `fixround` are the fixed-point accumulator's (arch.fixed): C onto the grid, a
 *  product into the register's state, the state rounded into `out`. */
export type UnitKind = 'selector' | 'mul' | 'add' | 'fma' | 'round' | 'draw' | 'dot' | 'fixload' | 'fixadd' | 'fixround';

/**
 * A combinational unit of the PE. `operands` maps the kind's operand roles (selector: group,
 * index; mul: a, b; add: x, y; fma: a, b, c; round: x, one, ref, term; draw: i, j, t; dot: acc
 * and p (G packed products) or acc, a and w (G packed operands each, fused); fixload: c;
 * fixadd: x (the state), y (the product); fixround: x (the state)) to
 * expressions, plus `rand` (the draw) for a unit that rounds with rsr; `formats` maps the same
 * roles (and `out`) to format roles of arch.formats. `role` says what the unit is to the
 * accumulation: `term` units add one term (counted as the PE's useful work), `finish` units round
 * the sum of a cut adder (or a fixed-point register into `out`), `total` units close a chunk,
 * `draw` units draw from the random stream, `load` units put C into a fixed-point register.
 */
export interface UnitDesc {
  name: string;
  kind: UnitKind;
  /** The Verilog wire (and printed name) of the result. */
  result: string;
  operands: Record<string, Expr>;
  formats: Record<string, keyof Arch['formats']>;
  rounding: RoundingMode | null;
  role: 'select' | 'product' | 'term' | 'finish' | 'total' | 'draw' | 'load';
  /** draw only: which rounding of the term the draw is for (core/random-stream.ts). */
  draw?: DrawKind;
  /** add only: an exact zero sum takes this mode's sign rule (the first half of a cut adder rounds to odd). */
  zeroSign?: RoundingMode;
  /** dot only: the cell's lanes G and window alignBits (core/lanes.ts). */
  dot?: DotCell;
  /** mul only: inf*0 gives core/exact-product.ts's marked NaN, for the adder of a pipelined fused cell. */
  marksInvalid?: boolean;
  /** 1 in the cycles the unit's result is used: its status counts toward the sticky flags then. */
  when: Expr | null;
  meaning: string;
}

export interface PeDesc {
  inputs: PeInputDesc[];
  wires: WireDesc[];
  units: UnitDesc[];
  registers: RegisterDesc[];
}

/** How an output port of the top is computed from the array, every cycle. */
export type TopExpr =
  /** element j: the signal of deskew line `line` for column j */
  | { op: 'deskew'; line: string; signal: string }
  /** tap `element` of edge line `line`'s signal */
  | { op: 'tap'; line: string; signal: string; element: number }
  /** register of one PE */
  | { op: 'pe'; register: string; r: number; j: number }
  /** element r*C+j: the register of PE(r, j) */
  | { op: 'all'; register: string }
  | { op: 'and'; args: TopExpr[] };

export interface TopOutputDesc {
  port: string;
  expr: TopExpr;
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
  /** Deskew lines: the row of the PEs whose registers the line takes (one per column). */
  sourceRow: number | null;
  /** Where the line ends. */
  feeds: string;
  meaning: string;
}

/** Timing constants; the formulas built on them are in arch/schedule.ts and docs/timing.md. */
export interface TimingDesc {
  /** A term presented on the ports in cycle c is multiplied by PE(r, j) in cycle c + r + j + inToMul. */
  inToMul: number;
  /** Terms per output: K (dense) or 2·ceil(K/4) (2:4). */
  termsFormula: string;
  /** Closed-form cycle counts (R rows, C cols, T terms, P = pipeline.stages). */
  cyclesFormula: string;
  notes: string[];
}

/**
 * Where a pipeline stage puts its registers. A PE with N stages has the first N cuts of its cell's
 * order (CUT_ORDER): docs/rtl.md draws each.
 */
export type Cut = 'after-mul' | 'inside-mul' | 'inside-add' | 'before-mul';

/** The cuts in the order stages take them: a fused cell has no rounding inside its multiplier. */
export const CUT_ORDER: Record<'rounded' | 'fused', readonly Cut[]> = {
  rounded: ['after-mul', 'inside-mul', 'inside-add', 'before-mul'],
  fused: ['after-mul', 'inside-add', 'before-mul'],
};

/** The cuts a PE with a fixed-point accumulator takes: no float adder to cut inside (its register
 *  adds in one cycle, loop 1). */
export const FIXED_CUT_ORDER: Record<'rounded' | 'fused', readonly Cut[]> = {
  rounded: ['after-mul', 'inside-mul', 'before-mul'],
  fused: ['after-mul', 'before-mul'],
};

/** A fixed-point (Kulisch-style) accumulator (docs/arithmetic.md §3): the register and the state
 *  bus a PE holds (rtl-gen/lib/fixed-add.ts: reg, zero sign, special). */
export interface FixedDesc {
  msb: number;
  lsb: number;
  overflow: FixedOverflow;
  /** The register's bits: msb + 2 - lsb. */
  width: number;
  /** The state bus: width + 3 bits. */
  stateWidth: number;
  /** C onto the grid (rounding.input). */
  input: RoundingMode;
}

export interface PipelineDesc {
  stages: number;
  cuts: Cut[];
  /** Registers between a term's operand registers (a, b or w) and the accumulator adder's input. */
  termDepth: number;
  /** Cycles around the accumulation loop: 2 when the adder is cut (a sum is ready every other cycle). */
  loop: number;
}

export interface Arch {
  version: typeof ARCH_VERSION;
  /** Module name of the array top. */
  top: string;
  rows: number;
  cols: number;
  dataflow: 'os' | 'ws';
  sparsity: 'dense' | '2:4';
  /** A values carried per row: G (dense; 1 without a dot-product cell), or in 2:4 mode the groups
   *  of 4 the G kept slots of a step come from: 4 for one lane, 2G for more. */
  lanes: number;
  /** The dot-product cell (G products per step into one adder, docs/arithmetic.md §3), or null. */
  dot: DotCell | null;
  /** Chunk size in terms, or null. */
  chunk: number | null;
  /** Products exact (fused multiply-add) or rounded into formats.product. */
  fused: boolean;
  /** Sticky status flags per PE (FLAG_NAMES), on the pe_flags port, cleared by flags_clear. */
  flags: boolean;
  pipeline: PipelineDesc;
  formats: {
    a: FormatDesc;
    w: FormatDesc;
    product: FormatDesc | null;
    /** The accumulator's format; with a fixed-point accumulator (`fixed`), the format its register
     *  is rounded into (= out). */
    acc: FormatDesc;
    /** The chunk-total format (chunked arrays only). */
    total: FormatDesc | null;
    /** The format of C and D: total when chunked, else acc. */
    out: FormatDesc;
    /** The exact product of a and w (core/exact-product.ts), when a stage register holds one. */
    xprod: FormatDesc | null;
    /** The format of the constant 1.0 that rounds a registered exact product or sum. */
    one: FormatDesc | null;
    /** The accumulator adder's sum rounded to odd with two extra bits (the cut inside the adder,
     *  core/odd-sum.ts): rounding it once more into the accumulator gives the unpipelined bits. */
    xsum: FormatDesc | null;
  };
  rounding: { product: RoundingMode; acc: RoundingMode; total: RoundingMode };
  /** A fixed-point accumulator instead of the float one, or null. */
  fixed: FixedDesc | null;
  /** The random stream of the steps that round with rsr (R and seed), or null when none does. */
  random: RandomSpec | null;
  ports: PortDesc[];
  /** Every PE: its inputs, named signals, units and registers, in dependency order. */
  pe: PeDesc;
  edge: LineDesc[];
  /** The output ports of the top (other than those driven through deskew alone). */
  outputs: TopOutputDesc[];
  timing: TimingDesc;
}
