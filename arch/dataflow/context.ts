// What a dataflow builder (os.ts, ws.ts) is given and what it returns; the parts every dataflow
// shares: the port helper and the term (selector, multiplier or fused cell, product register,
// accumulator adder, chunk-total adder).
import type { RoundingMode } from '../../core/format.js';
import { fromFloat64, RNE } from '../../core/arith.js';
import { UNIT_FORMAT } from '../../core/exact-product.js';
import { and, constant, input, mux, or, reg, status, unit, wire, zero } from '../ir.js';
import { type Arch, type Expr, FLAG_NAMES, FLAG_WIDTH, type LineDesc, type PeDesc, type PeInputDesc, type PortDesc, type RegisterDesc, type TopOutputDesc, type UnitDesc, type WireDesc } from '../types.js';

/** The code of 1.0 in UNIT_FORMAT: the constant operand of the rounder. */
const ONE_CODE = fromFloat64(1, UNIT_FORMAT, RNE);

/** Width of a 2:4 slot index (0..3 within the group). */
export const IDX_WIDTH = 2;

export interface BuildContext {
  R: number;
  C: number;
  /** Multiplier pipeline registers (0 or 1). */
  P: number;
  sparse: boolean;
  chunked: boolean;
  fused: boolean;
  /** Sticky status flags per PE. */
  flags: boolean;
  lanes: 1 | 4;
  formats: Arch['formats'];
  rounding: { product: RoundingMode; acc: RoundingMode; total: RoundingMode };
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
}

/** What the accumulate stage of a dataflow needs from the term logic. */
export interface TermStage {
  /** 1 in the cycle the term is added. */
  addEn: Expr;
  /** 1 when the added term closes a chunk (chunked arrays). */
  close: Expr | null;
  /** acc + term, rounded into the accumulator format. */
  sum: Expr;
  /** total + sum at a chunk close, rounded into the chunk-total format (chunked arrays). */
  totalSum: Expr | null;
}

/**
 * The multiply stage (selector, multiplier or fused cell, product register) and the adders, the
 * same for every dataflow: the term is x*w with x = a (or the kept lane of a in 2:4 mode).
 */
export function termStage(pe: PeBuilder, ctx: BuildContext, s: TermSources): TermStage {
  const f = ctx.formats;
  const mulEn = pe.wire(ctx.P ? 'mul_en' : 'add_en', 1, and(s.av, s.wv), 'a term is present: both the row side and the weight side carry one');
  let x = s.a;
  if (ctx.sparse) {
    x = pe.unit({
      name: 'selector', kind: 'selector', result: 'a_kept', operands: { group: s.a, index: s.wi! }, formats: { out: 'a' }, rounding: null, role: 'select', when: null,
      meaning: '2:4: the A value of the slot the weight kept (4:1 mux over the lanes of a)',
    });
  }
  let sum: Expr;
  // The enable of the stage being built: a unit's results count (its `when`) under it.
  let addEn = mulEn;
  let close = s.close;
  /** A pipeline register after a stage: the value, its valid bit and its chunk-close bit. */
  const stage = (name: string, width: number, value: Expr, meaning: string): Expr => {
    const en = addEn;
    const v = pe.register(name, width, 1, 'product', meaning, en, value, 'output');
    const cl = close;
    addEn = pe.register(`${name}v`, 1, 1, 'product', `${name} holds a term`, null, en);
    if (cl) close = pe.register(`${name}cl`, 1, 1, 'product', `${name}'s term closes a chunk`, null, and(en, cl));
    return v;
  };
  const exact = (): Expr =>
    pe.unit({
      name: 'multiplier', kind: 'mul', result: 'product', operands: { a: x, b: s.w }, formats: { a: 'a', b: 'w', out: 'xprod' }, rounding: 'rtz', role: 'product', when: addEn,
      ...(ctx.fused ? { marksInvalid: true } : {}),
      meaning: 'x*w exact (the format holds every product: no rounding happens)' + (ctx.fused ? '; inf*0 gives a marked NaN the adder counts' : ''),
    });
  if (ctx.fused && ctx.P === 0) {
    sum = pe.unit({
      name: 'fma', kind: 'fma', result: 'sum', operands: { a: x, b: s.w, c: s.acc }, formats: { a: 'a', b: 'w', c: 'acc', out: 'acc' }, rounding: ctx.rounding.acc, role: 'term', when: addEn,
      meaning: 'acc + x*w with the product exact, one rounding into the accumulator format',
    });
  } else if (ctx.fused) {
    // Stage 1 of a fused cell: the exact product is registered; the adder rounds once.
    const px = stage('px', f.xprod!.width, exact(), 'registered exact product (pipeline stage 1)');
    sum = pe.unit({
      name: 'acc_adder', kind: 'add', result: 'sum', operands: { x: s.acc, y: px }, formats: { x: 'acc', y: 'xprod', out: 'acc' }, rounding: ctx.rounding.acc, role: 'term', when: addEn,
      meaning: 'acc + the exact product, one rounding into the accumulator format (a fused multiply-add over two cycles)',
    });
  } else {
    let term: Expr;
    if (ctx.P === 2) {
      // Cut inside the multiplier: the exact product, then its rounding (a multiply by 1.0).
      const px = stage('px', f.xprod!.width, exact(), 'registered exact product (pipeline stage 1, inside the multiplier)');
      const one = f.one!;
      term = pe.unit({
        name: 'rounder', kind: 'mul', result: 'product_rounded', operands: { a: px, b: constant(one.width, ONE_CODE) }, formats: { a: 'xprod', b: 'one', out: 'product' }, rounding: ctx.rounding.product, role: 'product', when: addEn,
        meaning: 'the exact product rounded once into the product format (times the constant 1.0)',
      });
    } else {
      term = pe.unit({
        name: 'multiplier', kind: 'mul', result: 'product', operands: { a: x, b: s.w }, formats: { a: 'a', b: 'w', out: 'product' }, rounding: ctx.rounding.product, role: 'product', when: addEn,
        meaning: 'x*w rounded once into the product format',
      });
    }
    if (ctx.P >= 1) term = stage('p', f.product!.width, term, `registered product (pipeline stage ${ctx.P})`);
    sum = pe.unit({
      name: 'acc_adder', kind: 'add', result: 'sum', operands: { x: s.acc, y: term }, formats: { x: 'acc', y: 'product', out: 'acc' }, rounding: ctx.rounding.acc, role: 'term', when: addEn,
      meaning: 'acc + product rounded once into the accumulator format',
    });
  }
  let totalSum: Expr | null = null;
  if (ctx.chunked) {
    totalSum = pe.unit({
      name: 'total_adder', kind: 'add', result: 'total_sum', operands: { x: s.total!, y: sum }, formats: { x: 'total', y: 'acc', out: 'total' }, rounding: ctx.rounding.total, role: 'total', when: and(addEn, close!),
      meaning: 'at a chunk close: total + sum (the chunk with its last term) rounded into the chunk-total format; in series after the accumulator adder',
    });
  }
  return { addEn, close, sum, totalSum };
}

/** The chunk accumulator's next value: +0 after a chunk's last term, else the sum. */
export function chunkNext(ctx: BuildContext, t: TermStage): Expr {
  return t.close ? mux(t.close, zero(ctx.formats.acc.width), t.sum) : t.sum;
}

/** Port list builder: element counts follow the index kind. */
export function portAdder(ctx: BuildContext, ports: PortDesc[]) {
  return (name: string, dir: 'in' | 'out', index: PortDesc['index'], elemWidth: number, meaning: string, kind: PortDesc['kind'] = 'signal'): void => {
    const count = index === 'scalar' ? 1 : index === 'row' ? ctx.R : index === 'col' ? ctx.C : index === 'pe' ? ctx.R * ctx.C : ctx.R * 4;
    ports.push({ name, dir, kind, count, elemWidth, width: count * elemWidth, index, meaning });
  };
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
  return { inToMul: 1, termsFormula: ctx.sparse ? 'T = 2·ceil(K/4)' : 'T = K', cyclesFormula, notes };
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
