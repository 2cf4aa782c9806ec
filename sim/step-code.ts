// The step function of a compiled array as a small tree of code (sim/compile.ts builds it from the
// PE description), printed as JavaScript (sim/step-js.ts) or as WebAssembly text
// (sim/wasm/step-wat.ts). Every value is an unsigned integer of at most 32 bits; truth is "not 0".

/** A value. Arrays are named: H_<port> and TH_<port> (port and tag histories), S_<reg> and T_<reg>
 *  (state registers and their tags), PT (terms per PE). */
export type Val =
  | { k: 'num'; v: number }
  | { k: 'var'; name: string }
  | { k: 'bin'; op: BinOp; a: Val; b: Val }
  | { k: 'load'; arr: string; i: Val }
  /** c ? t : e, evaluating only the arm taken. */
  | { k: 'cond'; c: Val; t: Val; e: Val }
  /** A unit evaluated at most once per PE and cycle (the first read evaluates, later ones reuse). */
  | { k: 'unit'; unit: UnitCall }
  /** The status of a unit (sticky flags): the unit runs, then its status is read. */
  | { k: 'status'; unit: UnitCall };

export type BinOp = '+' | '-' | '*' | '&' | '|' | '===';

/** How a unit evaluates: the kernel's fused multiply-add (acc, a, w), the kernel's adder (acc,
 *  product), or the unit's own evaluator (its operands' lanes in order). */
export type UnitFn = 'fused' | 'kernel-add' | 'own';

export interface UnitCall {
  name: string;
  fn: UnitFn;
  args: Val[];
  /** The unit adds a term: it counts one for its PE. */
  term: boolean;
  /** The output its events belong to (null for a draw, which counts none). */
  tag: Val | null;
  /** Sticky flags: the evaluation keeps the unit's status for a status read. */
  keepsStatus: boolean;
}

export type Stmt =
  | { k: 'set'; name: string; v: Val }
  | { k: 'store'; arr: string; i: Val; v: Val }
  | { k: 'if'; c: Val; then: Stmt[] }
  /** Every unit of the list is not evaluated yet (at the start of each PE). */
  | { k: 'fresh'; units: string[]; status: boolean }
  /** for v in 0..n-1 (or n-1..0 when down). */
  | { k: 'for'; v: 'r' | 'j'; n: number; down: boolean; body: Stmt[] };

export const num = (v: number): Val => ({ k: 'num', v });
export const v = (name: string): Val => ({ k: 'var', name });
export const load = (arr: string, i: Val): Val => ({ k: 'load', arr, i });
export const cond = (c: Val, t: Val, e: Val): Val => ({ k: 'cond', c, t, e });

export function bin(op: BinOp, a: Val, b: Val): Val {
  if (b.k === 'num' && ((op === '+' && b.v === 0) || (op === '*' && b.v === 1))) return a;
  if (a.k === 'num' && ((op === '+' && a.v === 0) || (op === '*' && a.v === 1))) return b;
  if (a.k === 'num' && b.k === 'num' && op === '+') return num(a.v + b.v);
  return { k: 'bin', op, a, b };
}

export const add = (a: Val, b: Val): Val => bin('+', a, b);
export const mul = (a: Val, b: Val): Val => bin('*', a, b);

/** Every variable a statement list sets or reads, and the units it evaluates. */
export function namesOf(body: Stmt[]): { vars: Set<string>; units: Map<string, UnitCall> } {
  const vars = new Set<string>();
  const units = new Map<string, UnitCall>();
  const val = (x: Val): void => {
    switch (x.k) {
      case 'var':
        vars.add(x.name);
        return;
      case 'bin':
        val(x.a);
        val(x.b);
        return;
      case 'load':
        val(x.i);
        return;
      case 'cond':
        val(x.c);
        val(x.t);
        val(x.e);
        return;
      case 'unit':
      case 'status':
        units.set(x.unit.name, x.unit);
        x.unit.args.forEach(val);
        if (x.unit.tag !== null) val(x.unit.tag);
        return;
      case 'num':
        return;
    }
  };
  const stmt = (s: Stmt): void => {
    switch (s.k) {
      case 'set':
        vars.add(s.name);
        val(s.v);
        return;
      case 'store':
        val(s.i);
        val(s.v);
        return;
      case 'if':
        val(s.c);
        s.then.forEach(stmt);
        return;
      case 'for':
        vars.add(s.v);
        s.body.forEach(stmt);
        return;
      case 'fresh':
        return;
    }
  };
  body.forEach(stmt);
  return { vars, units };
}
