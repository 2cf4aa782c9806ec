// The step's code tree (sim/step-code.ts) as JavaScript: the body of `function step(x)`. Units
// call F_<unit> (the kernel's fused multiply-add) or U_<unit>, which the caller binds.
import type { Stmt, UnitCall, Val } from './step-code.js';

export function valJs(x: Val): string {
  switch (x.k) {
    case 'num':
      return String(x.v);
    case 'var':
      return x.name;
    case 'bin':
      return `(${valJs(x.a)} ${x.op} ${valJs(x.b)})`;
    case 'load':
      return `${x.arr}[${valJs(x.i)}]`;
    case 'cond':
      return `(${valJs(x.c)} ? ${valJs(x.t)} : ${valJs(x.e)})`;
    case 'unit':
      return unitJs(x.unit);
    case 'status':
      return `(${unitJs(x.unit)}, f_${x.unit.name})`;
  }
}

/** `u_<unit>` holds the value once evaluated (-1 before); the evaluation counts the PE's term and
 *  moves the events it counted to the PE and the output (ATTR). */
function unitJs(u: UnitCall): string {
  const name = `u_${u.name}`;
  const call = `${u.fn === 'fused' ? 'F' : 'U'}_${u.name}(${u.args.map(valJs).join(', ')})`;
  if (u.tag === null) return `(${name} >= 0 ? ${name} : (${name} = ${call}))`;
  const keep = u.keepsStatus ? `f_${u.name} = ST[0], ` : '';
  const count = u.term ? 'PT[q]++, ' : '';
  return `(${name} >= 0 ? ${name} : (${name} = ${call}, ${keep}${count}(EV[6] !== 0 && ATTR(q, ${valJs(u.tag)})), ${name}))`;
}

/** Statements at `indent`; a variable set once in its block is a const, else a let at its first set. */
export function stmtsJs(body: Stmt[], indent = ''): string[] {
  const sets = new Map<string, number>();
  const countSets = (ss: Stmt[]): void =>
    ss.forEach((s) => {
      if (s.k === 'set') sets.set(s.name, (sets.get(s.name) ?? 0) + 1);
      if (s.k === 'if') countSets(s.then);
    });
  countSets(body);
  const declared = new Set<string>();
  const out: string[] = [];
  const emit = (s: Stmt, pad: string): void => {
    switch (s.k) {
      case 'set': {
        const decl = declared.has(s.name) ? '' : sets.get(s.name) === 1 ? 'const ' : 'let ';
        declared.add(s.name);
        out.push(`${pad}${decl}${s.name} = ${valJs(s.v)};`);
        return;
      }
      case 'store':
        out.push(`${pad}${s.arr}[${valJs(s.i)}] = ${valJs(s.v)};`);
        return;
      case 'if': {
        // One statement without braces, as the old generator wrote it.
        const inner: string[] = [];
        const saved = out.length;
        s.then.forEach((t) => emit(t, ''));
        inner.push(...out.splice(saved));
        out.push(inner.length === 1 ? `${pad}if (${valJs(s.c)}) ${inner[0]}` : `${pad}if (${valJs(s.c)}) { ${inner.join(' ')} }`);
        return;
      }
      case 'fresh':
        out.push(`${pad}let ${s.units.map((u) => (s.status ? `u_${u} = -1, f_${u} = 0` : `u_${u} = -1`)).join(', ')};`);
        return;
      case 'for': {
        const head = s.down ? `let ${s.v} = ${s.n - 1}; ${s.v} >= 0; ${s.v}--` : `let ${s.v} = 0; ${s.v} < ${s.n}; ${s.v}++`;
        out.push(`${pad}for (${head}) {`, ...stmtsJs(s.body, `${pad}  `), `${pad}}`);
        return;
      }
    }
  };
  body.forEach((s) => emit(s, indent));
  return out;
}
