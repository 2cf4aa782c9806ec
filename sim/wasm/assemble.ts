// Assembles the folded WebAssembly text the simulator generates into a module binary. simulate() is
// synchronous and wabt's JavaScript build only initializes asynchronously, so the project carries
// this small assembler for the subset it emits: imported functions, one memory (imported or
// defined), functions with named params and locals, folded instructions (operands first, then the
// op) over the whole MVP numeric and memory instruction set, blocks/loops/ifs with named labels,
// and exports. Its bytes equal wabt's wat2wasm output for the same text
// (test/sim/wasm/assemble.test.ts), so wabt stays the reference for what the text means; float
// literals are rounded once to nearest, as the WebAssembly spec says. Typing is left to
// WebAssembly.Module, which validates the binary.

/** Bad text: the message names the offending token and its line:column. */
export class AssembleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssembleError';
  }
}

type Pos = { line: number; col: number };
type Node =
  | { kind: 'atom'; text: string; pos: Pos }
  | { kind: 'string'; text: string; pos: Pos }
  | { kind: 'list'; items: Node[]; pos: Pos };

const fail = (what: string, token: string, pos: Pos): never => {
  throw new AssembleError(`${what} '${token}' at ${pos.line}:${pos.col}`);
};
/** The node's own text, or for a list its head, to name it in an error. */
const tokenOf = (n: Node): string => (n.kind !== 'list' ? n.text : n.items[0]?.kind === 'atom' ? `(${n.items[0].text}` : '(');
const failAt = (what: string, n: Node): never => fail(what, tokenOf(n), n.pos);

const lineEnd = (src: string, i: number) => (src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i));
const SPACE = /(?:\s|;;[^\n]*)*/y;
const ATOM = /[^\s()";]+/y;

/** Reads the text into one S-expression, skipping `;;` and (nested) `(; ;)` comments. */
function read(src: string): Node {
  let i = 0, line = 1, lineStart = 0;
  // Positions are made per token only: making one per character made reading allocation-bound.
  const at = (): Pos => ({ line, col: i - lineStart + 1 });
  const skipTo = (end: number) => {
    for (; i < end; i++) if (src.charCodeAt(i) === 10) (line++, (lineStart = i + 1));
  };
  const open: { items: Node[]; pos: Pos }[] = [{ items: [], pos: at() }];
  for (;;) {
    SPACE.lastIndex = i;
    SPACE.exec(src);
    skipTo(SPACE.lastIndex);
    if (i >= src.length) break;
    const pos = at();
    const top = open[open.length - 1];
    if (src.startsWith('(;', i)) {
      for (let depth = 0; ; ) {
        if (i >= src.length) fail('unclosed comment', '(;', pos);
        if (src.startsWith('(;', i)) (depth++, skipTo(i + 2));
        else if (src.startsWith(';)', i)) { skipTo(i + 2); if (--depth === 0) break; }
        else skipTo(i + 1);
      }
    } else if (src[i] === '(') (open.push({ items: [], pos }), skipTo(i + 1));
    else if (src[i] === ')') {
      if (open.length === 1) fail('unbalanced', ')', pos);
      const list = open.pop()!;
      open[open.length - 1].items.push({ kind: 'list', ...list });
      skipTo(i + 1);
    } else if (src[i] === '"') {
      const end = src.indexOf('"', i + 1);
      const text = src.slice(i + 1, end);
      if (end < 0 || /[\\\n]/.test(text)) fail('unterminated or escaped string', src.slice(i, lineEnd(src, i)), pos);
      top.items.push({ kind: 'string', text, pos });
      skipTo(end + 1);
    } else {
      ATOM.lastIndex = i;
      const text = ATOM.exec(src)?.[0] ?? fail('unexpected character', src[i], pos);
      top.items.push({ kind: 'atom', text, pos });
      skipTo(i + text.length);
    }
  }
  if (open.length > 1) fail('unclosed', '(', open[open.length - 1].pos);
  const [mod, extra] = open[0].items;
  if (mod?.kind !== 'list' || tokenOf(mod) !== '(module') fail('expected (module ...), found', mod ? tokenOf(mod) : 'end of text', mod?.pos ?? at());
  if (extra) failAt('text after the module:', extra);
  return mod;
}

// ---- encoding ----
const VALTYPE: Record<string, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };
const uleb = (n: number): number[] => {
  const out = [];
  do { const b = n % 128; n = Math.floor(n / 128); out.push(n ? b | 0x80 : b); } while (n);
  return out;
};
const sleb = (v: bigint): number[] => {
  const out = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && !(b & 0x40)) || (v === -1n && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
};
/** Concatenates without spreading, so big function bodies do not overflow the argument stack. */
const cat = (...parts: number[][]): number[] => {
  const out: number[] = [];
  for (const p of parts) for (const b of p) out.push(b);
  return out;
};
const vec = (items: number[][]): number[] => cat(uleb(items.length), ...items);
const sized = (bytes: number[]): number[] => cat(uleb(bytes.length), bytes);
const name = (s: string): number[] => sized([...new TextEncoder().encode(s)]);

// ---- opcodes ----
type Imm = 'none' | 'local' | 'label' | 'labels' | 'func' | 'i32' | 'i64' | 'f32' | 'f64' | 'mem';
const OPS = new Map<string, { code: number; imm: Imm }>();
const define = (imm: Imm, first: number, names: string) =>
  names.trim().split(/\s+/).forEach((n, k) => OPS.set(n, { code: first + k, imm }));
define('none', 0x00, 'unreachable nop');
define('label', 0x0c, 'br br_if');
define('labels', 0x0e, 'br_table');
define('none', 0x0f, 'return');
define('func', 0x10, 'call');
define('none', 0x1a, 'drop select');
define('local', 0x20, 'local.get local.set local.tee');
define('mem', 0x28, `i32.load i64.load f32.load f64.load i32.load8_s i32.load8_u i32.load16_s i32.load16_u
  i64.load8_s i64.load8_u i64.load16_s i64.load16_u i64.load32_s i64.load32_u
  i32.store i64.store f32.store f64.store i32.store8 i32.store16 i64.store8 i64.store16 i64.store32`);
for (const [k, t] of ['i32', 'i64', 'f32', 'f64'].entries()) OPS.set(`${t}.const`, { code: 0x41 + k, imm: t as Imm });
// The numeric ops without immediates are contiguous in opcode order, from 0x45 to 0xbf.
const cmp = (t: string) => `${t}.eqz ${t}.eq ${t}.ne ${t}.lt_s ${t}.lt_u ${t}.gt_s ${t}.gt_u ${t}.le_s ${t}.le_u ${t}.ge_s ${t}.ge_u`;
const fcmp = (t: string) => `${t}.eq ${t}.ne ${t}.lt ${t}.gt ${t}.le ${t}.ge`;
const iarith = (t: string) => `${t}.clz ${t}.ctz ${t}.popcnt ${t}.add ${t}.sub ${t}.mul ${t}.div_s ${t}.div_u ${t}.rem_s
  ${t}.rem_u ${t}.and ${t}.or ${t}.xor ${t}.shl ${t}.shr_s ${t}.shr_u ${t}.rotl ${t}.rotr`;
const farith = (t: string) => `${t}.abs ${t}.neg ${t}.ceil ${t}.floor ${t}.trunc ${t}.nearest ${t}.sqrt ${t}.add ${t}.sub
  ${t}.mul ${t}.div ${t}.min ${t}.max ${t}.copysign`;
define('none', 0x45, `${cmp('i32')} ${cmp('i64')} ${fcmp('f32')} ${fcmp('f64')} ${iarith('i32')} ${iarith('i64')}
  ${farith('f32')} ${farith('f64')} i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u
  i64.extend_i32_s i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u
  f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64
  f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32
  i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64`);

// ---- immediates ----
/** How many immediates each kind of op takes, least and most, when not exactly one. */
const ARITY: Partial<Record<Imm, [number, number]>> = { none: [0, 0], mem: [0, 2], labels: [1, Infinity] };
const atom = (n: Node | undefined, what: string, owner: Node): string =>
  n?.kind === 'atom' ? n.text : failAt(`expected ${what}, found`, n ?? owner);
const str = (n: Node | undefined, owner: Node): string => (n?.kind === 'string' ? n.text : failAt('expected a string, found', n ?? owner));
const isId = (n: Node | undefined) => n?.kind === 'atom' && /^\$[A-Za-z0-9_.$-]+$/.test(n.text);
const headOf = (n: Node | undefined) => (n?.kind === 'list' && n.items[0]?.kind === 'atom' ? n.items[0].text : undefined);
const itemsOf = (n: Node | undefined): Node[] => (n?.kind === 'list' ? n.items : []);
/** An index by `$name` or by number, below `count`. */
const indexOf = (n: Node, names: Map<string, number>, count: number, what: string): number => {
  const i = isId(n) ? names.get(tokenOf(n)) : /^\d+$/.test(tokenOf(n)) ? u32(n) : undefined;
  return i !== undefined && i < count ? i : failAt(`unknown ${what}`, n);
};
const valtype = (n: Node): number => VALTYPE[atom(n, 'a type', n)] ?? failAt('unknown type', n);

function u32(n: Node): number {
  const text = atom(n, 'a number', n).replace(/^(offset|align)=/, '');
  if (!/^(0x[0-9a-fA-F](_?[0-9a-fA-F])*|[0-9](_?[0-9])*)$/.test(text) || Number(text.replaceAll('_', '')) > 2 ** 32 - 1) failAt('bad unsigned 32-bit number', n);
  return Number(text.replaceAll('_', ''));
}
/** An integer of `bits`: signed or unsigned range accepted, wrapped to signed like wat2wasm. */
function int(n: Node, bits: number): bigint {
  const m = /^([+-]?)(0x[0-9a-fA-F](_?[0-9a-fA-F])*|[0-9](_?[0-9])*)$/.exec(atom(n, 'an integer', n));
  const v = m ? BigInt(m[2].replaceAll('_', '')) * (m[1] === '-' ? -1n : 1n) : undefined;
  if (v === undefined || v < -(1n << BigInt(bits - 1)) || v >= 1n << BigInt(bits)) return failAt(`bad i${bits} constant`, n);
  return BigInt.asIntN(bits, v);
}
/** A float as little-endian bytes: decimal, hexadecimal (0x1.8p-3), inf and nan (the canonical quiet NaN), with a sign. */
function float(n: Node, bits: 32 | 64): number[] {
  const text = atom(n, 'a float', n);
  const view = new DataView(new ArrayBuffer(bits / 8));
  const special = /^([+-]?)(inf|nan)$/.exec(text);
  const sign = special?.[1] === '-' ? -1 : 1;
  if (special?.[2] === 'nan') view.setUint32(bits / 8 - 4, (sign < 0 ? 0x80000000 : 0) | (bits === 32 ? 0x7fc00000 : 0x7ff80000), true);
  else if (special) bits === 32 ? view.setFloat32(0, sign * Infinity, true) : view.setFloat64(0, sign * Infinity, true);
  else if (/^[+-]?(\d(_?\d)*(\.(\d(_?\d)*)?)?([eE][+-]?\d(_?\d)*)?|0x[0-9a-fA-F](_?[0-9a-fA-F])*(\.([0-9a-fA-F](_?[0-9a-fA-F])*)?)?([pP][+-]?\d(_?\d)*)?)$/.test(text)) {
    const plain = text.replaceAll('_', '');
    const v = /0x/.test(plain) ? hexToFloat(plain, bits) : bits === 32 ? decimalToF32(plain) : Number(plain);
    // wat2wasm refuses a literal that rounds to infinity.
    if (!Number.isFinite(v)) failAt(`f${bits} constant out of range`, n);
    bits === 32 ? view.setFloat32(0, v, true) : view.setFloat64(0, v, true);
  } else failAt(`bad f${bits} constant`, n);
  return [...new Uint8Array(view.buffer)];
}

/**
 * A decimal rounded once to the nearest f32, as wat2wasm does. Math.fround(Number(text)) rounds
 * twice: a decimal within half a double's ulp of the midpoint between two floats becomes that
 * midpoint, which then rounds to even; there the exact decimal decides instead.
 */
function decimalToF32(text: string): number {
  const v = Number(text);
  // Past the largest float, the next one up is 2^128 (infinity once rounded).
  const f = Number.isFinite(Math.fround(v)) || !Number.isFinite(v) ? Math.fround(v) : Math.sign(v) * 2 ** 128;
  const other = 2 * v - f;
  if (f === v || Math.fround(other) !== other) return Math.fround(f);
  // v is the midpoint of f and other, a normal double M * 2^E; the decimal is D * 10^X.
  const bits = new DataView(new Float64Array([Math.abs(v)]).buffer).getBigUint64(0, true);
  const M = (bits & ((1n << 52n) - 1n)) | (1n << 52n), E = Number(bits >> 52n) - 1075;
  const [, int, frac = '', exp = '0'] = /^[+-]?(\d+)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(text)!;
  const D = BigInt(int + frac), X = Number(exp) - frac.length;
  const decimal = D * 10n ** BigInt(Math.max(X, 0)) * 2n ** BigInt(Math.max(-E, 0));
  const midpoint = M * 2n ** BigInt(Math.max(E, 0)) * 10n ** BigInt(Math.max(-X, 0));
  if (decimal === midpoint) return Math.fround(f);
  return Math.fround(decimal > midpoint === Math.abs(other) > Math.abs(f) ? other : f);
}

/** A hexadecimal float H * 2^P rounded once (to nearest, ties to even) to `bits`, subnormals included. */
function hexToFloat(text: string, bits: 32 | 64): number {
  const [, sign, int, frac = '', exp = '0'] = /^([+-]?)0x([0-9a-f]+)\.?([0-9a-f]*)(?:p([+-]?\d+))?$/i.exec(text)!;
  const H = BigInt(`0x${int}${frac}`), P = Number(exp) - 4 * frac.length;
  if (!H) return sign === '-' ? -0 : 0;
  const [precision, minExponent] = bits === 32 ? [24, -149] : [53, -1074];
  // The exponent of the result's last mantissa bit; bits of H below it are rounded off (dropping
  // more than all of them changes nothing, and keeps 0x1p-99999999 from making a huge BigInt).
  const length = H.toString(2).length;
  const q = Math.max(length + P - precision, minExponent);
  const dropped = BigInt(Math.min(Math.max(q - P, 0), length + 1));
  let m = H;
  if (dropped) {
    const rest = H & ((1n << dropped) - 1n), half = 1n << (dropped - 1n);
    m = (H >> dropped) + (rest > half || (rest === half && H & (1n << dropped)) ? 1n : 0n);
  }
  const v = Number(m) * 2 ** Math.max(q, P) * (sign === '-' ? -1 : 1);
  return bits === 32 ? Math.fround(v) : v;
}

// ---- module ----
interface Sig { params: number[]; results: number[] }
interface Func extends Sig { localTypes: number[]; localNames: Map<string, number>; body: Node[] }

/** Reads `(param ...)*` `(result ...)*` `(local ...)*` from items[k..]; returns the index after them. */
function signature(items: Node[], k: number, f: Func, allowLocals: boolean): number {
  for (let h: string | undefined; (h = headOf(items[k])) === 'param' || h === 'result' || (allowLocals && h === 'local'); k++) {
    const [, ...decl] = itemsOf(items[k]);
    const into = h === 'result' ? f.results : h === 'param' ? f.params : f.localTypes;
    if (h !== 'result' && isId(decl[0])) {
      if (f.localNames.has(tokenOf(decl[0]))) failAt('duplicate local', decl[0]);
      f.localNames.set(tokenOf(decl[0]), f.params.length + f.localTypes.length);
      if (decl.length !== 2) failAt('expected one type after', decl[0]);
      decl.shift();
    }
    // Params are numbered before locals, so a param after a local would shift the locals' indices.
    if (h === 'param' && f.localTypes.length) failAt('param after local', items[k]);
    into.push(...decl.map(valtype));
  }
  return k;
}

export function assemble(wat: string): Uint8Array<ArrayBuffer> {
  const mod = read(wat);
  // Signatures are numbered in order of first use, identical ones shared, as wat2wasm does.
  const types: number[][] = [];
  const typeOf = (s: Sig) => {
    const bytes = [0x60, ...sized(s.params), ...sized(s.results)];
    const i = types.findIndex((t) => t.join() === bytes.join());
    return i >= 0 ? i : types.push(bytes) - 1;
  };
  const imports: number[][] = [], funcs: Func[] = [], funcIds = new Map<string, number>();
  const exports: { field: Node; kind: number; ref: Node | number }[] = [];
  let memory: number[] | 'imported' | undefined, importedFuncs = 0;

  // A function's `$id?`, numbered after those before it; returns the function and where it goes on.
  const newFunc = (items: Node[]): [Func, number] => {
    const f: Func = { params: [], results: [], localTypes: [], localNames: new Map(), body: [] };
    if (!isId(items[1])) return [f, 1];
    if (funcIds.has(tokenOf(items[1]))) failAt('duplicate function', items[1]);
    funcIds.set(tokenOf(items[1]), importedFuncs + funcs.length);
    return [f, 2];
  };
  const limits = (items: Node[], k: number, owner: Node): number[] => {
    if (memory) failAt('second memory', owner);
    if (items.length - k < 1 || items.length - k > 2) failAt('expected MIN MAX? in', owner);
    const [min, max] = items.slice(k).map(u32);
    return max === undefined ? [0x00, ...uleb(min)] : [0x01, ...uleb(min), ...uleb(max)];
  };

  for (const field of itemsOf(mod).slice(1)) {
    const items = itemsOf(field);
    const head = headOf(field);
    if (head === 'import') {
      // The text's order is the binary's, where imports come first.
      if (funcs.length || Array.isArray(memory)) failAt('import after a definition:', field);
      const desc = items[3];
      const descItems = itemsOf(desc);
      const entry = [...name(str(items[1], field)), ...name(str(items[2], field))];
      if (headOf(desc) === 'func') {
        const [f, k] = newFunc(descItems);
        const end = signature(descItems, k, f, false);
        if (end < descItems.length) failAt('unexpected', descItems[end]);
        imports.push([...entry, 0x00, ...uleb(typeOf(f))]);
        importedFuncs++;
      } else if (headOf(desc) === 'memory') {
        imports.push([...entry, 0x02, ...limits(descItems, isId(descItems[1]) ? 2 : 1, desc!)]);
        memory = 'imported';
      } else failAt('expected (func ...) or (memory ...), found', desc ?? field);
    } else if (head === 'memory') {
      let k = isId(items[1]) ? 2 : 1;
      for (; headOf(items[k]) === 'export'; k++) exports.push({ field: items[k], kind: 0x02, ref: 0 });
      memory = limits(items, k, field);
    } else if (head === 'func') {
      const [f, start] = newFunc(items);
      let k = start;
      for (; headOf(items[k]) === 'export'; k++) exports.push({ field: items[k], kind: 0x00, ref: importedFuncs + funcs.length });
      f.body = items.slice(signature(items, k, f, true));
      typeOf(f);
      funcs.push(f);
    } else if (head === 'export') {
      const desc = items[2];
      const kind = headOf(desc) === 'func' ? 0x00 : headOf(desc) === 'memory' ? 0x02 : failAt('expected (func ...) or (memory ...), found', desc ?? field);
      exports.push({ field, kind, ref: itemsOf(desc)[1] ?? failAt('expected an index in', desc!) });
    } else failAt('unknown module field', field);
  }

  const funcIndex = (n: Node) => indexOf(n, funcIds, importedFuncs + funcs.length, 'function');
  const exportEntries = exports.map(({ field, kind, ref }) => {
    const index = typeof ref === 'number' ? ref : kind === 0x00 ? funcIndex(ref) : u32(ref);
    return [...name(str(itemsOf(field)[1], field)), kind, ...uleb(index)];
  });
  const section = (id: number, entries: number[][]) => (entries.length ? cat([id], sized(vec(entries))) : []);
  const bytes = cat(
    [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    section(1, types),
    section(2, imports),
    section(3, funcs.map((f) => uleb(typeOf(f)))),
    section(5, Array.isArray(memory) ? [memory] : []),
    section(7, exportEntries),
    section(10, funcs.map((f) => sized(code(f, funcIndex)))),
  );
  return new Uint8Array(bytes);
}

/** A function body: its locals in runs of one type, then its instructions and `end`. */
function code(f: Func, funcIndex: (n: Node) => number): number[] {
  const runs: number[][] = [];
  f.localTypes.forEach((t, k) => (k && t === f.localTypes[k - 1] ? runs[runs.length - 1][0]++ : runs.push([1, t])));
  const out = cat(vec(runs.map(([count, t]) => [...uleb(count), t])));
  const labels: (string | undefined)[] = [];
  // A label by name is the innermost block so named; by number, a depth (up to the function's own).
  const labelDepth = (n: Node): number => {
    const named = new Map(labels.flatMap((l, k) => (l ? [[l, labels.length - 1 - k]] : [])));
    return indexOf(n, named, labels.length + 1, 'label');
  };
  // `$label? (result T)?` opening a block, loop or if: its label, block type and where its body starts.
  const blockStart = (items: Node[]) => {
    let k = 1;
    const label = isId(items[k]) ? tokenOf(items[k++]) : undefined;
    const result = headOf(items[k]) === 'result' ? itemsOf(items[k++]).slice(1) : [];
    if (result.length > 1) failAt('only one block result is supported:', items[k - 1]);
    return { label, type: result.length ? valtype(result[0]) : 0x40, k };
  };
  const emit = (n: Node) => {
    if (n.kind !== 'list' || n.items[0]?.kind !== 'atom') return failAt('expected a folded instruction, found', n);
    const [head, ...rest] = n.items;
    const op = head.text;
    if (op === 'block' || op === 'loop') {
      const { label, type, k } = blockStart(n.items);
      out.push(op === 'block' ? 0x02 : 0x03, type);
      labels.push(label);
      n.items.slice(k).forEach(emit);
    } else if (op === 'if') {
      let { label, type, k } = blockStart(n.items);
      // The condition is an operand: emitted before `if`, outside the if's label.
      for (; k < n.items.length && headOf(n.items[k]) !== 'then'; k++) emit(n.items[k]);
      out.push(0x04, type);
      labels.push(label);
      if (headOf(n.items[k]) !== 'then') failAt('expected (then ...) in', n);
      itemsOf(n.items[k++]).slice(1).forEach(emit);
      const otherwise = n.items[k++];
      if (otherwise && headOf(otherwise) !== 'else') failAt('expected (else ...), found', otherwise);
      if (k < n.items.length) failAt('unexpected', n.items[k]);
      const elseBody = itemsOf(otherwise).slice(1);
      if (elseBody.length) (out.push(0x05), elseBody.forEach(emit));
    } else {
      const spec = OPS.get(op) ?? failAt('unknown op', head);
      const count = rest.findIndex((x) => x.kind === 'list');
      const imms = count < 0 ? rest : rest.slice(0, count);
      const [least, most] = ARITY[spec.imm] ?? [1, 1];
      if (imms.length < least) failAt('missing immediate after', head);
      if (imms.length > most) failAt('unexpected immediate', imms[most]);
      rest.slice(imms.length).forEach(emit);
      out.push(spec.code);
      if (spec.imm === 'local') out.push(...uleb(indexOf(imms[0], f.localNames, f.params.length + f.localTypes.length, 'local')));
      else if (spec.imm === 'label') out.push(...uleb(labelDepth(imms[0])));
      else if (spec.imm === 'labels') out.push(...vec(imms.slice(0, -1).map((l) => uleb(labelDepth(l)))), ...uleb(labelDepth(imms[imms.length - 1])));
      else if (spec.imm === 'func') out.push(...uleb(funcIndex(imms[0])));
      else if (spec.imm === 'i32' || spec.imm === 'i64') out.push(...sleb(int(imms[0], spec.imm === 'i32' ? 32 : 64)));
      else if (spec.imm === 'f32' || spec.imm === 'f64') out.push(...float(imms[0], spec.imm === 'f32' ? 32 : 64));
      else if (spec.imm === 'mem') out.push(...memarg(op, imms));
      return;
    }
    labels.pop();
    out.push(0x0b);
  };
  f.body.forEach(emit);
  out.push(0x0b);
  return out;
}

/** `offset=N? align=N?`: alignment as log2, by default the access's natural width. */
function memarg(op: string, imms: Node[]): number[] {
  const [type, access] = op.split('.');
  const width = Number(/\d+/.exec(access)?.[0] ?? type.slice(1)) / 8;
  let align = width, offset = 0;
  for (const imm of imms) {
    if (/^offset=/.test(tokenOf(imm))) offset = u32(imm);
    else if (/^align=/.test(tokenOf(imm))) {
      align = u32(imm);
      if (!align || align & (align - 1)) failAt('alignment must be a power of two:', imm);
    } else failAt('expected offset= or align=, found', imm);
  }
  return [...uleb(Math.log2(align)), ...uleb(offset)];
}
