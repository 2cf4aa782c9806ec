// What a dataflow builder (os.ts, ws.ts) is given and what it returns; the parts every dataflow
// shares: the port helper and the term (selector, multiplier or fused cell, product register,
// accumulator adder, chunk-total adder).
import type { RoundingMode } from '../../core/format.js';
import { fromFloat64, RNE } from '../../core/arith.js';
import { UNIT_FORMAT } from '../../core/exact-product.js';
import type { DotCell } from '../../core/lanes.js';
import type { RandomSpec } from '../../core/random-stream.js';
import { dotTermStage } from './dot-term.js';
import { type TermIndex, TermDraws } from './draws.js';
import { and, constant, input, mux, or, reg, status, unit, wire, zero } from '../ir.js';
import { type Arch, type Cut, type Expr, type FixedDesc, type PipelineDesc, FLAG_NAMES, FLAG_WIDTH, type LineDesc, type PeDesc, type PeInputDesc, type PortDesc, type RegisterDesc, type TopOutputDesc, type UnitDesc, type WireDesc } from '../types.js';

/** The code of 1.0 in UNIT_FORMAT: the constant operand of the rounder. */
const ONE_CODE = fromFloat64(1, UNIT_FORMAT, RNE);

/** Width of a 2:4 slot index (0..3 within the group). */
export const IDX_WIDTH = 2;

export interface BuildContext {
  R: number;
  C: number;
  /** The PE's pipeline cuts (arch/types.ts PipelineDesc). */
  pipeline: PipelineDesc;
  sparse: boolean;
  chunked: boolean;
  fused: boolean;
  /** Sticky status flags per PE. */
  flags: boolean;
  /** A values a row carries (Arch.lanes). */
  lanes: number;
  /** The dot-product cell, or null for the multiply-add cell. */
  dot: DotCell | null;
  formats: Arch['formats'];
  rounding: { product: RoundingMode; acc: RoundingMode; total: RoundingMode };
  /** A fixed-point accumulator (docs/arithmetic.md §3), or null. */
  fixed: FixedDesc | null;
  /** The stream of the roundings that are rsr, or null. */
  random: RandomSpec | null;
}

export type DataflowParts = Pick<Arch, 'ports' | 'pe' | 'edge' | 'outputs' | 'timing'>;

export type DataflowBuilder = (ctx: BuildContext) => DataflowParts;

/** Collects the parts of a PE description in order. */
export class PeBuilder {
  readonly inputs: PeInputDesc[] = [];
  readonly wires: WireDesc[] = [];
  readonly units: UnitDesc[] = [];
  readonly registers: RegisterDesc[] = [];

  input(name: string, width: number, from: PeInputDesc['from'], register: string | null, edge: PeInputDesc['edge'], meaning: string): Expr {
    this.inputs.push({ name, width, from, register, edge, meaning });
    return input(name);
  }

  /** A register that moves one PE per cycle: it loads its neighbour's copy (the edge line's at the edge). */
  moving(name: string, laneWidth: number, lanes: number, path: RegisterDesc['path'], from: NonNullable<PeInputDesc['from']>, edge: PeInputDesc['edge'], meaning: string, tag: RegisterDesc['tag'] = null, enable: Expr | null = null): Expr {
    const side = from === 'left' ? 'the PE to the left' : from === 'above' ? 'the PE above' : 'the PE below';
    const next = this.input(`${name}_in`, laneWidth * lanes, from, name, edge, `${name} of ${side} (the ${edge.line} line at the edge)`);
    return this.register(name, laneWidth, lanes, path, meaning, enable, next, tag);
  }

  register(name: string, laneWidth: number, lanes: number, path: RegisterDesc['path'], meaning: string, enable: Expr | null, next: Expr, tag: RegisterDesc['tag'] = null): Expr {
    this.registers.push({ name, width: laneWidth * lanes, lanes, laneWidth, reset: 0, path, meaning, enable, next, tag });
    return reg(name);
  }

  wire(name: string, width: number, expr: Expr, meaning: string): Expr {
    this.wires.push({ name, width, expr, meaning });
    return wire(name);
  }

  unit(u: UnitDesc): Expr {
    this.units.push(u);
    return unit(u.name);
  }

  done(): PeDesc {
    return { inputs: this.inputs, wires: this.wires, units: this.units, registers: this.registers };
  }
}

/** The operands of one term as the dataflow presents them to the shared term logic. */
export interface TermSources {
  /** The A register (lanes) and its valid bit. */
  a: Expr;
  av: Expr;
  /** The weight register, its valid bit, its slot index (2:4) and its chunk-close bit (chunked). */
  w: Expr;
  wv: Expr;
  wi: Expr | null;
  close: Expr | null;
  /** The running sum the term is added to, and (chunked) the chunk total a close adds into. */
  acc: Expr;
  total: Expr | null;
  /**
   * The running sum moves on every cycle (weight-stationary partial sums): with the adder cut, the
   * second half sees acc and total one cycle later, so they are delayed with the term. Output-
   * stationary sums stay put: their array takes a term every `loop` cycles.
   */
  moving: boolean;
  /** The term's output row and column and its term index (arrays with rsr roundings), else null. */
  index: TermIndex | null;
  /** A fixed-point accumulator's (arch.fixed): the term is its output's first (it loads C) or last
   *  (the register is rounded into out), and where C's code is when the first term adds. */
  fixed: { first: Expr; last: Expr; c: Expr } | null;
}

/** What the accumulate stage of a dataflow needs from the term logic. */
export interface TermStage {
  /** 1 in the cycle the sum is written (the term's add, or the second half of a cut adder). */
  addEn: Expr;
  /** 1 when the added term closes a chunk (chunked arrays). */
  close: Expr | null;
  /** acc + term, rounded into the accumulator format. */
  sum: Expr;
  /** total + sum at a chunk close, rounded into the chunk-total format (chunked arrays). */
  totalSum: Expr | null;
  /** acc and total as the sum's cycle sees them: the sources, or their delayed copies (moving sums, cut adder). */
  acc: Expr;
  total: Expr | null;
  /** A fixed-point accumulator's: 1 when the added term is its output's last, and then D (the
   *  new state rounded into out, in series after the adder). */
  last: Expr | null;
  rounded: Expr | null;
}

/**
 * The term logic every dataflow shares: the multiply stage (selector, multiplier or fused cell)
 * and the accumulator adder, with the registers of the pipeline cuts (docs/rtl.md): before the
 * multiplier, inside it, after it and inside the adder. The term is x*w with x = a (or the kept
 * lane of a in 2:4 mode).
 */
export function termStage(pe: PeBuilder, ctx: BuildContext, s: TermSources): TermStage {
  if (ctx.dot !== null) return dotTermStage(pe, ctx, s);
  const f = ctx.formats;
  const cut = (c: Cut): boolean => ctx.pipeline.cuts.includes(c);
  const mulEn = pe.wire(ctx.pipeline.stages ? 'mul_en' : 'add_en', 1, and(s.av, s.wv), 'a term is present: both the row side and the weight side carry one');
  let x = s.a;
  let w = s.w;
  if (ctx.sparse) {
    x = pe.unit({
      name: 'selector', kind: 'selector', result: 'a_kept', operands: { group: s.a, index: s.wi! }, formats: { out: 'a' }, rounding: null, role: 'select', when: null,
      meaning: '2:4: the A value of the slot the weight kept (4:1 mux over the lanes of a)',
    });
  }
  const draws = new TermDraws(pe, ctx, s.index);
  // The enable of the stage being built: a unit's results count (its `when`) under it.
  let addEn = mulEn;
  let close = s.close;
  let first = s.fixed?.first ?? null;
  let last = s.fixed?.last ?? null;
  /** Pipeline registers after a stage (values with their tags, then the draws still to be used),
   *  then its valid, chunk-close and (fixed-point) first and last bits. */
  const stage = (values: { name: string; width: number; value: Expr; meaning: string; tag?: RegisterDesc['tag']; always?: boolean }[]): Expr[] => {
    const en = addEn;
    const carried = draws.carried(values[0]!.name);
    const all = [...values, ...carried].map((v) => pe.register(v.name, v.width, 1, 'product', v.meaning, 'always' in v && v.always ? null : en, v.value, v.tag === undefined ? 'output' : v.tag));
    const out = all.slice(0, values.length);
    draws.moved(all.slice(values.length));
    const cl = close;
    const lead = values[0]!.name;
    addEn = pe.register(`${lead}v`, 1, 1, 'product', `${lead} holds a term`, null, en);
    if (cl) close = pe.register(`${lead}cl`, 1, 1, 'product', `${lead}'s term closes a chunk`, null, and(en, cl));
    const [fi, la] = [first, last];
    if (fi) first = pe.register(`${lead}fi`, 1, 1, 'product', `${lead}'s term is its output's first`, null, and(en, fi));
    if (la) last = pe.register(`${lead}la`, 1, 1, 'product', `${lead}'s term is its output's last`, null, and(en, la));
    return out;
  };
  if (cut('before-mul')) {
    [x, w] = stage([
      { name: 'ma', width: f.a.width, value: x, meaning: 'registered multiplier operand x (pipeline cut before the multiplier)', tag: 'row' },
      { name: 'mb', width: f.w.width, value: w, meaning: 'registered multiplier operand w', tag: 'col' },
    ]) as [Expr, Expr];
  }
  const exact = (): Expr =>
    pe.unit({
      name: 'multiplier', kind: 'mul', result: 'product', operands: { a: x, b: w }, formats: { a: 'a', b: 'w', out: 'xprod' }, rounding: 'rtz', role: 'product', when: addEn,
      ...(ctx.fused && ctx.fixed === null ? { marksInvalid: true } : {}),
      meaning: 'x*w exact (the format holds every product: no rounding happens)' + (ctx.fused && ctx.fixed === null ? '; inf*0 gives a marked NaN the adder counts' : ''),
    });
  // The term the accumulator adder takes, and its format role.
  let term: Expr | null = null;
  let termRole: 'product' | 'xprod' = 'product';
  if (ctx.fused && cut('after-mul')) {
    // A fused cell's multiplier output is the exact product: the adder rounds once.
    [term] = stage([{ name: 'px', width: f.xprod!.width, value: exact(), meaning: 'registered exact product (pipeline cut after the multiplier)' }]);
    termRole = 'xprod';
  } else if (!ctx.fused) {
    if (cut('inside-mul')) {
      // Cut inside the multiplier: the exact product, then its rounding (a multiply by 1.0).
      const [px] = stage([{ name: 'px', width: f.xprod!.width, value: exact(), meaning: 'registered exact product (pipeline cut inside the multiplier)' }]);
      term = pe.unit({
        name: 'rounder', kind: 'mul', result: 'product_rounded', operands: { a: px!, b: constant(f.one!.width, ONE_CODE), ...draws.operand('product', ctx.rounding.product) }, formats: { a: 'xprod', b: 'one', out: 'product' }, rounding: ctx.rounding.product, role: 'product', when: addEn,
        meaning: 'the exact product rounded once into the product format (times the constant 1.0)',
      });
    } else {
      term = pe.unit({
        name: 'multiplier', kind: 'mul', result: 'product', operands: { a: x, b: w, ...draws.operand('product', ctx.rounding.product) }, formats: { a: 'a', b: 'w', out: 'product' }, rounding: ctx.rounding.product, role: 'product', when: addEn,
        meaning: 'x*w rounded once into the product format',
      });
    }
    draws.used('product');
    if (cut('after-mul')) [term] = stage([{ name: 'p', width: f.product!.width, value: term, meaning: 'registered product (pipeline cut after the multiplier)' }]);
  }
  if (ctx.fixed !== null) return fixedSum(pe, ctx, s, term ?? exact(), term === null ? 'xprod' : termRole, addEn, first!, last!);
  let sum: Expr;
  let acc = s.acc;
  let total = s.total;
  if (term === null) {
    sum = pe.unit({
      name: 'fma', kind: 'fma', result: 'sum', operands: { a: x, b: w, c: s.acc, ...draws.operand('acc', ctx.rounding.acc) }, formats: { a: 'a', b: 'w', c: 'acc', out: 'acc' }, rounding: ctx.rounding.acc, role: 'term', when: addEn,
      meaning: 'acc + x*w with the product exact, one rounding into the accumulator format',
    });
  } else if (!cut('inside-add')) {
    sum = pe.unit({
      name: 'acc_adder', kind: 'add', result: 'sum', operands: { x: s.acc, y: term, ...draws.operand('acc', ctx.rounding.acc) }, formats: { x: 'acc', y: termRole, out: 'acc' }, rounding: ctx.rounding.acc, role: 'term', when: addEn,
      meaning: termRole === 'xprod'
        ? 'acc + the exact product, one rounding into the accumulator format (a fused multiply-add over two cycles)'
        : 'acc + product rounded once into the accumulator format',
    });
  } else {
    // Cut inside the adder: the exact sum rounded to odd into xsum (core/odd-sum.ts), registered,
    // then rounded into the accumulator. The second half compares its result with acc and looks
    // at the term for swamping: moving sums are delayed with it, a stationary one waits.
    const odd = pe.unit({
      name: 'acc_adder', kind: 'add', result: 'sum_odd', operands: { x: s.acc, y: term }, formats: { x: 'acc', y: termRole, out: 'xsum' }, rounding: 'rod', zeroSign: ctx.rounding.acc, role: 'term', when: addEn,
      meaning: 'acc + term, the exact sum rounded to odd with two extra bits (its exact zero takes the accumulator mode\'s sign)',
    });
    const delayed = [
      { name: 'xs', width: f.xsum!.width, value: odd, meaning: 'registered sum rounded to odd (pipeline cut inside the accumulator adder)' },
      ...(s.moving
        ? [
            { name: 'xt', width: f[termRole]!.width, value: term, meaning: 'the term of xs (for the swamping test of the second half)' },
            // The running sum moves on in every cycle, with or without a term here.
            { name: 'xa', width: f.acc.width, value: s.acc, meaning: 'the running sum one cycle ago (xs was made from it)', tag: null, always: true },
            ...(s.total !== null ? [{ name: 'xto', width: f.total!.width, value: s.total, meaning: 'the chunk total that came with it', tag: null, always: true }] : []),
          ]
        : []),
    ];
    const regs = stage(delayed);
    const [xs] = regs;
    const xt = s.moving ? regs[1]! : term;
    if (s.moving) {
      acc = regs[2]!;
      if (s.total !== null) total = regs[3]!;
    }
    sum = pe.unit({
      name: 'acc_rounder', kind: 'round', result: 'sum', operands: { x: xs!, one: constant(f.one!.width, ONE_CODE), ref: acc, term: xt }, formats: { x: 'xsum', one: 'one', ref: 'acc', term: termRole, out: 'acc' }, rounding: ctx.rounding.acc, role: 'finish', when: addEn,
      meaning: 'the sum rounded once into the accumulator format (times the constant 1.0); swamping: the result equals acc although the term is finite and nonzero',
    });
  }
  let totalSum: Expr | null = null;
  if (ctx.chunked) {
    totalSum = pe.unit({
      name: 'total_adder', kind: 'add', result: 'total_sum', operands: { x: total!, y: sum, ...draws.operand('total', ctx.rounding.total) }, formats: { x: 'total', y: 'acc', out: 'total' }, rounding: ctx.rounding.total, role: 'total', when: and(addEn, close!),
      meaning: 'at a chunk close: total + sum (the chunk with its last term) rounded into the chunk-total format; in series after the accumulator adder',
    });
  }
  return { addEn, close, sum, totalSum, acc, total, last: null, rounded: null };
}

/**
 * The fixed-point accumulator (docs/arithmetic.md §3; rtl-gen/lib/fixed-add.ts, fixed-round.ts):
 * the state (register, zero sign, special) plus the term's code, in one cycle. The output's first
 * term adds to C loaded onto the grid instead of the state; its last term's new state is rounded
 * once into out, in series after the adder (as a chunk close adds the chunk into its total).
 */
function fixedSum(pe: PeBuilder, ctx: BuildContext, s: TermSources, term: Expr, termRole: 'product' | 'xprod', addEn: Expr, first: Expr, last: Expr): TermStage {
  const load = pe.unit({
    name: 'c_loader', kind: 'fixload', result: 'c_state', operands: { c: s.fixed!.c }, formats: { c: 'out' }, rounding: ctx.fixed!.input, role: 'load', when: and(addEn, first),
    meaning: 'C onto the register\'s grid with the input mode: the state the output\'s first term adds to',
  });
  const sum = pe.unit({
    name: 'acc_adder', kind: 'fixadd', result: 'sum', operands: { x: mux(first, load, s.acc), y: term }, formats: { y: termRole }, rounding: ctx.rounding.acc, role: 'term', when: addEn,
    meaning: `the ${termRole === 'xprod' ? 'exact product' : 'product'} rounded onto the register's grid and added (saturate or wrap); inf and NaN into the special state`,
  });
  const rounded = pe.unit({
    name: 'out_rounder', kind: 'fixround', result: 'd_code', operands: { x: sum }, formats: { out: 'out' }, rounding: ctx.rounding.acc, role: 'finish', when: and(addEn, last),
    meaning: 'at the output\'s last term: D, the new state rounded once into out (the special, or a zero of its sign)',
  });
  return { addEn, close: null, sum, totalSum: null, acc: s.acc, total: null, last, rounded };
}

/** The chunk accumulator's next value: +0 after a chunk's last term, else the sum. */
export function chunkNext(ctx: BuildContext, t: TermStage): Expr {
  return t.close ? mux(t.close, zero(ctx.formats.acc.width), t.sum) : t.sum;
}

/** Port list builder: element counts follow the index kind. */
export function portAdder(ctx: BuildContext, ports: PortDesc[]) {
  return (name: string, dir: 'in' | 'out', index: PortDesc['index'], elemWidth: number, meaning: string, kind: PortDesc['kind'] = 'signal'): void => {
    const count = index === 'scalar' ? 1 : index === 'row' ? ctx.R : index === 'col' ? ctx.C : index === 'pe' ? ctx.R * ctx.C : index === 'rowLane' ? ctx.R * ctx.lanes : ctx.C * weightLanes(ctx);
    ports.push({ name, dir, kind, count, elemWidth, width: count * elemWidth, index, meaning });
  };
}

/** Weight values a column carries per step: G of a dot-product cell, else 1. */
export function weightLanes(ctx: BuildContext): number {
  return ctx.dot?.lanes ?? 1;
}

/** The port index of values carried per row (A) or per column (weights) with their lanes. */
export function laneIndex(ctx: BuildContext, side: 'row' | 'col'): PortDesc['index'] {
  if (side === 'row') return ctx.lanes > 1 ? 'rowLane' : 'row';
  return weightLanes(ctx) > 1 ? 'colLane' : 'col';
}

/** The meaning of a_data: one A value, a 2:4 group, or the A values of a step of G terms. */
export function aDataMeaning(ctx: BuildContext, one: string): string {
  const L = ctx.lanes;
  const G = weightLanes(ctx);
  if (ctx.sparse && G === 1) return 'the 2:4 group of 4 A values of the term for each row: element r*4+q is A[m][4g+q] (0 past K); the same group is presented for both slots of the group';
  if (ctx.sparse) return `the ${L / 4} 2:4 groups of the step's ${G} terms for each row: element r*${L}+q is A[m][${L}s+q] for step s (0 past K)`;
  return G === 1 ? one : `the ${G} A values of the step for each row: element r*${G}+l is A[m][${G}s+l] for step s (0 past K)`;
}

export function clockPorts(ctx: BuildContext, ports: PortDesc[]): void {
  const port = portAdder(ctx, ports);
  port('clk', 'in', 'scalar', 1, 'clock: every register updates on the rising edge; cycle x is the period after the x-th edge following reset', 'clock');
  port('rst', 'in', 'scalar', 1, 'synchronous active-high reset: every register (PEs and edge lines) to 0', 'reset');
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}


/** The timing constants of a dataflow: its closed-form cycle count and notes (docs/timing.md). */
export function timingOf(ctx: BuildContext, cyclesFormula: string, notes: string[]): Arch['timing'] {
  const T = ctx.sparse ? 'T = 2·ceil(K/4)' : 'T = K';
  const G = weightLanes(ctx);
  return { inToMul: 1, termsFormula: G > 1 ? `${T}, S = ceil(T/${G}) steps of ${G} terms` : T, cyclesFormula, notes };
}

/**
 * The sticky status flags of a PE: every unit's status in the cycles its result is used, ORed into
 * `flags` until the column's clear (flags_clear through the fclr chain) sets it back to 0.
 */
export function stickyFlags(pe: PeBuilder): void {
  const clear = pe.input('clear', 1, null, null, { line: 'fclr', signal: 'flags_clear' }, 'the column\'s flags clear this cycle');
  const seen = pe.units.filter((u) => u.when !== null && u.kind !== 'selector').map((u) => mux(u.when!, status(u.name), zero(FLAG_WIDTH)));
  pe.register('flags', FLAG_WIDTH, 1, 'acc', `sticky status flags (bit i: ${FLAG_NAMES.join(', ')})`, null, mux(clear, zero(FLAG_WIDTH), or(reg('flags'), ...seen)));
}

/** The ports, edge line and output of the sticky flags (both dataflows). */
export function flagsPorts(ctx: BuildContext, ports: PortDesc[]): { line: LineDesc; output: TopOutputDesc } {
  const port = portAdder(ctx, ports);
  port('flags_clear', 'in', 'scalar', 1, 'clear the sticky flags of every PE (column j j+1 cycles later, like a shift)');
  port('pe_flags', 'out', 'pe', FLAG_WIDTH, `the sticky flags of PE(r, j) at element r*C+j (bit i: ${FLAG_NAMES.join(', ')})`);
  return {
    line: { name: 'fclr', kind: 'skew', index: 'col', shared: true, sourceRow: null, signals: [{ source: 'flags_clear', width: 1 }], depth: range(ctx.C).map((j) => j + 1), feeds: 'flags clear of column j (tap j)', meaning: 'column j clears its flags j+1 cycles after flags_clear' },
    output: { port: 'pe_flags', expr: { op: 'all', register: 'flags' } },
  };
}

/** The parts of a dataflow, with the sticky flags' port, line and output when the array has them. */
export function dataflowParts(ctx: BuildContext, pe: PeBuilder, ports: PortDesc[], edge: LineDesc[], outputs: TopOutputDesc[], cyclesFormula: string, notes: string[]): DataflowParts {
  if (ctx.flags) {
    const fl = flagsPorts(ctx, ports);
    edge.push(fl.line);
    outputs.push(fl.output);
  }
  return { ports, pe: pe.done(), edge, outputs, timing: timingOf(ctx, cyclesFormula, notes) };
}
