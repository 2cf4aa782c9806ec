// Constructors, walkers and the printer of the PE expressions (arch/types.ts Expr). The dataflow
// builders (arch/dataflow/) write next-state rules with these; `lbamac describe` and the docs print
// them with exprText; the simulator compiler and the Verilog emitter walk them.
import type { Arch, Expr, RegisterDesc, TopExpr, UnitDesc } from './types.js';

export const reg = (name: string): Expr => ({ op: 'reg', name });
export const input = (name: string): Expr => ({ op: 'in', name });
export const wire = (name: string): Expr => ({ op: 'wire', name });
export const unit = (name: string): Expr => ({ op: 'unit', name });
export const zero = (width: number): Expr => ({ op: 'zero', width });
export const constant = (width: number, value: number): Expr => ({ op: 'const', width, value });
export const status = (unitName: string): Expr => ({ op: 'status', unit: unitName });
export const and = (...args: Expr[]): Expr => (args.length === 1 ? args[0]! : { op: 'and', args });
export const or = (...args: Expr[]): Expr => (args.length === 1 ? args[0]! : { op: 'or', args });
export const mux = (sel: Expr, then: Expr, otherwise: Expr): Expr => ({ op: 'mux', sel, then, else: otherwise });
/** Lanes first..first+count-1 of `of`, which has `total` lanes of `width` bits (all of them: `of` itself). */
export const lanes = (of: Expr, total: number, first: number, count: number, width: number): Expr =>
  first === 0 && count === total ? of : { op: 'lanes', of, first, count, width };
/** Values of `width` bits packed as lanes, args[0] in lane 0 (one value: itself). */
export const concat = (args: Expr[], width: number): Expr => (args.length === 1 ? args[0]! : { op: 'concat', args, width });

/** Every sub-expression, depth first (the expression itself first). */
export function* walk(e: Expr): Generator<Expr> {
  yield e;
  if (e.op === 'and' || e.op === 'or') for (const a of e.args) yield* walk(a);
  else if (e.op === 'mux') {
    yield* walk(e.sel);
    yield* walk(e.then);
    yield* walk(e.else);
  } else if (e.op === 'lanes') yield* walk(e.of);
  else if (e.op === 'concat') for (const a of e.args) yield* walk(a);
}

/** The names an expression reads directly, by kind (a unit's status reads the unit). */
export function reads(e: Expr, op: 'reg' | 'in' | 'wire' | 'unit'): string[] {
  const out: string[] = [];
  for (const x of walk(e)) {
    const name = x.op === op ? x.name : op === 'unit' && x.op === 'status' ? x.unit : null;
    if (name !== null && !out.includes(name)) out.push(name);
  }
  return out;
}

const BINARY: Record<'and' | 'or', string> = { and: '&', or: '|' };

/** Register-transfer notation: `shift ? acc_in : acc_adder`. */
export function exprText(e: Expr, top = true): string {
  switch (e.op) {
    case 'reg':
    case 'in':
    case 'wire':
    case 'unit':
      return e.name;
    case 'zero':
      return '+0';
    case 'const':
      return `0x${e.value.toString(16)}`;
    case 'status':
      return `status(${e.unit})`;
    case 'and':
    case 'or': {
      const s = e.args.map((a) => exprText(a, false)).join(` ${BINARY[e.op]} `);
      return top ? s : `(${s})`;
    }
    case 'mux': {
      const s = `${exprText(e.sel, false)} ? ${exprText(e.then, false)} : ${exprText(e.else, false)}`;
      return top ? s : `(${s})`;
    }
    case 'lanes':
      return `${exprText(e.of, false)}[${e.count === 1 ? e.first : `${e.first}..${e.first + e.count - 1}`}]`;
    case 'concat':
      return `{${e.args.map((a) => exprText(a, false)).join(', ')}}`;
  }
}

/** `acc <= shift | add_en ? (...) : acc` style line of a register's rule. */
export function registerRule(r: RegisterDesc): string {
  const next = exprText(r.next);
  return r.enable === null ? `${r.name} <= ${next}` : `${r.name} <= ${exprText(r.enable, false)} ? ${exprText(r.next, false)} : ${r.name}`;
}

/** `acc_adder = add(acc, p) -> acc, rtz` style line of a unit. */
export function unitRule(u: UnitDesc, arch: Arch): string {
  const ops = Object.entries(u.operands).map(([role, e]) => `${role}=${exprText(e, false)}`);
  const fmt = u.formats.out !== undefined ? ` into ${arch.formats[u.formats.out]?.name} (${u.formats.out})` : u.kind === 'fixload' || u.kind === 'fixadd' ? ' into the fixed-point state' : '';
  const cell = u.dot !== undefined ? `, ${u.dot.lanes} lane${u.dot.lanes === 1 ? '' : 's'}, alignBits ${u.dot.alignBits}` : '';
  return `${u.result} = ${u.kind}(${ops.join(', ')})${fmt}${cell}${u.rounding ? `, ${u.rounding}` : ''}`;
}

export function topExprText(e: TopExpr): string {
  switch (e.op) {
    case 'deskew':
      return `${e.line}.${e.signal}[j]`;
    case 'tap':
      return `${e.line}.${e.signal}[${e.element}]`;
    case 'pe':
      return `${e.register}@(${e.r}, ${e.j})`;
    case 'all':
      return `${e.register}@(r, j) at element r*C+j`;
    case 'and':
      return e.args.map(topExprText).join(' & ');
  }
}
