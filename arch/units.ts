// The unit kinds of the PE description: each is one object that knows how the simulator evaluates
// it (with core/'s MacKernel, the same code coreGemm runs) and which Verilog module implements it
// (rtl-gen/lib/). The simulator compiler and the PE emitter only look units up here.
import { add, convert, EV_INEXACT, EV_INVALID, EV_OVERFLOW, EV_TINY, EV_ZERO, fma, isFiniteCode, isFiniteNonzeroCode, isNaNCode, mul, roundingCode, status } from '../core/arith.js';
import type { Accumulation } from '../core/gemm.js';
import { countEvent, EVI, MacKernel } from '../core/mac.js';
import { invalidProductCode } from '../core/exact-product.js';
import { draw } from '../core/random-stream.js';
import type { VModule } from '../rtl-gen/back/module.js';
import { addModule } from '../rtl-gen/lib/add.js';
import { dotAddModule, dotFmaModule } from '../rtl-gen/lib/dot-add.js';
import { fmaModule } from '../rtl-gen/lib/fma.js';
import { mulModule } from '../rtl-gen/lib/mul.js';
import { selectorModule } from '../rtl-gen/lib/selector.js';
import { drawModule } from '../rtl-gen/lib/threefry.js';
import { slice } from '../rtl-gen/back/verilog.js';
import { formatOf } from './build.js';
import { FIXED_UNIT_KINDS } from './fixed-units.js';
import type { Arch, FormatDesc, UnitDesc, UnitKind } from './types.js';

/** The Verilog of one unit instance: the module and which of its ports take each operand role. */
export interface UnitVerilog {
  module: VModule;
  /** Operand role -> module input port. */
  inputs: Record<string, string>;
  result: string;
  /** The status flags output (core/arith.ts EV_* bits), or null. */
  flags: string | null;
  /** A dot-product unit's count of the products its alignment lost: wired to `<unit>_swamped` when
   *  the status is read (its swampVerilog reads that wire). */
  swamped?: string;
  /** The swamping output, for a module that computes it (else swampVerilog does). */
  swamp?: string;
}

/**
 * How the simulator evaluates a unit: `lane` units pick lane `index` of their `group` operand (the
 * compiler reads the lane directly); `call` units are a function of their operand codes, in the
 * order of operandRoles, that counts the events (docs/arithmetic.md section 5) into the kernel's counters.
 */
/** A unit's results looked up by operands: entry i = a (a unary table, `shift` 0) or (a << shift) | b;
 *  a nonzero flag means the evaluation also counts events. */
export interface LookupTable {
  codes: Uint32Array;
  flags: Uint8Array;
  shift: number;
  unary: boolean;
}

export type UnitEvaluation = { kind: 'lane' } | { kind: 'call'; fn: (...codes: number[]) => number; table?: LookupTable };

export interface UnitKindImpl {
  /** Operand roles, in the order `call` functions take them (operandRoles adds rsr's `rand`); a
   *  role a unit has no operand for is skipped (a dot unit has p, or a and w). A multi-lane
   *  operand is passed as its lanes, lane 0 first. */
  operands: readonly string[];
  /** Verilog of the swamping condition (the sum equals the accumulator input although the term is
   *  finite and nonzero), given the result wire and the operand signals; null: never. */
  swampVerilog: ((u: UnitDesc, arch: Arch, result: string, operand: (role: string) => string) => string) | null;
  verilog(u: UnitDesc, arch: Arch): UnitVerilog;
  /** With `st`, every call also writes the unit's status (FLAG_NAMES layout) into st[0]. */
  evaluate(u: UnitDesc, arch: Arch, kernel: Accumulation, st: Int32Array | null): UnitEvaluation;
}

/** Verilog: the code `n` of format f is finite (not inf, not NaN). */
function finite(f: FormatDesc, n: string): string {
  const W = f.width;
  if (f.specials === 'none') return "1'b1";
  return f.specials === 'ieee' ? `~&${slice(n, W, W - 2, f.man)}` : `~&${slice(n, W, W - 2, 0)}`;
}

/** Verilog: the code `n` of format f is finite and nonzero. */
function finiteNonzero(f: FormatDesc, n: string): string {
  return `(${finite(f, n)} & |${slice(n, f.width, f.width - 2, 0)})`;
}

function fmt(arch: Arch, u: UnitDesc, role: string): FormatDesc {
  const f = arch.formats[u.formats[role]!];
  if (!f) throw new Error(`internal: unit ${u.name} has no format for its ${role}`);
  return f;
}

/** The unit's formats, as format roles, equal the given ones (the kernel was built for those). */
function sameRoles(u: UnitDesc, roles: Record<string, keyof Arch['formats']>): boolean {
  return Object.entries(roles).every(([k, v]) => u.formats[k] === v);
}

function noKernelPath(u: UnitDesc): never {
  throw new Error(`internal: no simulator path for unit ${u.name} (${u.kind} of ${JSON.stringify(u.formats)})`);
}

/** The operand roles of a unit in the order its `call` function takes them: the kind's, then the
 *  draw of a unit that rounds with rsr. */
export function operandRoles(u: UnitDesc): string[] {
  return [...UNIT_KINDS[u.kind].operands.filter((role) => u.operands[role] !== undefined), ...(u.operands.rand !== undefined ? ['rand'] : [])];
}

/** The Verilog port of the draw, for a unit that rounds with rsr. */
function randInput(u: UnitDesc): Record<string, string> {
  return u.operands.rand !== undefined ? { rand: 'rnd' } : {};
}

/** R of the array's stream (0 without one): the rounding modules' rnd width. */
function randomBits(arch: Arch): number {
  return arch.random?.bits ?? 0;
}

/** A draw operand as rsr's fraction r / 2^R (core/arith.ts), or 0 for a unit without one. */
function fractionOf(arch: Arch, u: UnitDesc): (r: number | undefined) => number {
  const scale = u.operands.rand !== undefined ? 2 ** -randomBits(arch) : 0;
  return (r) => (r ?? 0) * scale;
}

export const UNIT_KINDS: Record<UnitKind, UnitKindImpl> = {
  selector: {
    operands: ['group', 'index'],
    swampVerilog: null,
    verilog: (u, arch) => ({ module: selectorModule(fmt(arch, u, 'out').width), inputs: { group: 'group', index: 'index' }, result: 'value', flags: null }),
    evaluate: () => ({ kind: 'lane' }),
  },
  mul: {
    operands: ['a', 'b'],
    swampVerilog: null,
    verilog: (u, arch) => ({
      module: mulModule(formatOf(fmt(arch, u, 'a')), formatOf(fmt(arch, u, 'b')), formatOf(fmt(arch, u, 'out')), u.rounding!, u.marksInvalid ? invalidProductCode(formatOf(fmt(arch, u, 'out'))) : null, randomBits(arch)),
      inputs: { a: 'a', b: 'b', ...randInput(u) },
      result: 'product',
      flags: 'flags',
    }),
    evaluate: (u, arch, k, st) => {
      if (st === null && sameRoles(u, { a: 'a', b: 'w', out: 'product' }) && u.rounding === arch.rounding.product && u.operands.rand === undefined) {
        const mac = k.mac;
        return { kind: 'call', fn: (a, b) => mac.mulCode(a!, b!) };
      }
      return { kind: 'call', ...genericMul(u, arch, k, st) };
    },
  },
  add: {
    operands: ['x', 'y'],
    // The first half of a cut adder (its sum in another format) leaves swamping to the rounder.
    swampVerilog: (u, arch, sum, op) => (u.formats.out !== u.formats.x ? "1'b0" : `(${sum} == ${op('x')}) & ${finiteNonzero(fmt(arch, u, 'y'), op('y'))} & ${finite(fmt(arch, u, 'x'), op('x'))}`),
    verilog: (u, arch) => ({
      module: addModule(formatOf(fmt(arch, u, 'x')), formatOf(fmt(arch, u, 'y')), formatOf(fmt(arch, u, 'out')), u.rounding!, u.zeroSign ?? u.rounding!, randomBits(arch)),
      inputs: { x: 'x', y: 'y', ...randInput(u) },
      result: 'sum',
      flags: 'flags',
    }),
    evaluate: (u, arch, k, st) => {
      if (st === null && isKernelAdder(u, arch)) {
        const mac = k.mac;
        return { kind: 'call', fn: (x, y) => mac.addProduct(x!, y!) };
      }
      if (st === null && sameRoles(u, { x: 'total', y: 'acc', out: 'total' }) && u.rounding === arch.rounding.total) {
        const frac = fractionOf(arch, u);
        return { kind: 'call', fn: (x, y, r) => k.addChunk(x!, y!, frac(r)) };
      }
      return { kind: 'call', fn: genericAdd(u, arch, k, st) };
    },
  },
  fma: {
    operands: ['a', 'b', 'c'],
    swampVerilog: (u, arch, result, op) =>
      `(${result} == ${op('c')}) & ${finiteNonzero(fmt(arch, u, 'a'), op('a'))} & ${finiteNonzero(fmt(arch, u, 'b'), op('b'))} & ${finite(fmt(arch, u, 'c'), op('c'))}`,
    verilog: (u, arch) => ({
      module: fmaModule(formatOf(fmt(arch, u, 'a')), formatOf(fmt(arch, u, 'b')), formatOf(fmt(arch, u, 'c')), formatOf(fmt(arch, u, 'out')), u.rounding!, randomBits(arch)),
      inputs: { a: 'a', b: 'b', c: 'c', ...randInput(u) },
      result: 'result',
      flags: 'flags',
    }),
    evaluate: (u, arch, k, st) => {
      if (st !== null) return { kind: 'call', fn: genericFma(u, arch, k, st) };
      if (!sameRoles(u, { a: 'a', b: 'w', c: 'acc', out: 'acc' }) || u.rounding !== arch.rounding.acc) noKernelPath(u);
      const step = k.mac.step;
      // The fused cell has no product rounding: its draw is the accumulator's.
      const frac = fractionOf(arch, u);
      return { kind: 'call', fn: (a, b, c, r) => step(c!, a!, b!, 0, frac(r)) };
    },
  },
  round: {
    operands: ['x', 'one', 'ref', 'term'],
    swampVerilog: (u, arch, result, op) => `(${result} == ${op('ref')}) & ${finiteNonzero(fmt(arch, u, 'term'), op('term'))} & ${finite(fmt(arch, u, 'ref'), op('ref'))}`,
    // A multiply by the constant 1.0, as the rounder inside a cut multiplier: synthesis folds it.
    verilog: (u, arch) => ({
      module: mulModule(formatOf(fmt(arch, u, 'x')), formatOf(fmt(arch, u, 'one')), formatOf(fmt(arch, u, 'out')), u.rounding!),
      inputs: { x: 'a', one: 'b' },
      result: 'product',
      flags: 'flags',
    }),
    evaluate: (u, arch, k, st) => ({ kind: 'call', fn: genericRound(u, arch, k, st) }),
  },
  draw: {
    operands: ['i', 'j', 't'],
    swampVerilog: null,
    verilog: (u, arch) => ({ module: drawModule(arch.random!, u.draw!), inputs: { i: 'row', j: 'col', t: 'term' }, result: 'r', flags: null }),
    evaluate: (u, arch) => {
      const random = arch.random!;
      const kind = u.draw!;
      return { kind: 'call', fn: (i, j, t) => draw(random, kind, i!, j!, t!) };
    },
  },
  dot: {
    operands: ['acc', 'p', 'a', 'w'],
    // More lanes: some product was lost in the alignment (the kernel's swamping events); one lane:
    // §5's rule, as the multiply-add cell's adder.
    swampVerilog: (u, arch, sum, op) => {
      if (u.dot!.lanes > 1) return `(|${u.name}_swamped)`;
      const term = u.operands.p !== undefined ? finiteNonzero(fmt(arch, u, 'p'), op('p')) : `${finiteNonzero(fmt(arch, u, 'a'), op('a'))} & ${finiteNonzero(fmt(arch, u, 'w'), op('w'))}`;
      return `(${sum} == ${op('acc')}) & ${term} & ${finite(fmt(arch, u, 'acc'), op('acc'))}`;
    },
    verilog: (u, arch): UnitVerilog => {
      const acc = formatOf(fmt(arch, u, 'acc'));
      const common = { result: 'sum', flags: 'flags', swamped: 'swamped' };
      if (u.operands.p !== undefined) return { module: dotAddModule(acc, formatOf(fmt(arch, u, 'p')), u.dot!, u.rounding!), inputs: { acc: 'acc', p: 'p' }, ...common };
      return { module: dotFmaModule(formatOf(fmt(arch, u, 'a')), formatOf(fmt(arch, u, 'w')), acc, u.dot!, u.rounding!), inputs: { acc: 'acc', a: 'a', w: 'w' }, ...common };
    },
    evaluate: (u, arch, k, st) => ({ kind: 'call', fn: dotStep(u, arch, k, st) }),
  },
  ...FIXED_UNIT_KINDS,
};

/** A dot-product unit's step with the configuration's DotKernel (core/dot.ts), which counts the
 *  products' and the step's events; with `st`, the status too: the rounding's flags, invalid where
 *  the kernel counts a nan event, swamping where it counts swamping. */
function dotStep(u: UnitDesc, arch: Arch, k: Accumulation, st: Int32Array | null): (...codes: number[]) => number {
  const cell = k.cell;
  const want = u.dot!;
  if (cell === null || cell.lanes !== want.lanes || arch.dot?.alignBits !== want.alignBits || !sameRoles(u, { acc: 'acc', out: 'acc' }) || u.rounding !== arch.rounding.acc) noKernelPath(u);
  const G = cell.lanes;
  const x = new Float64Array(G);
  const y = new Float64Array(G);
  // Lanes arrive as arguments (acc, then p, or a then w): copied into the kernel's operand arrays.
  const run =
    u.operands.p !== undefined
      ? function (acc: number): number {
          for (let j = 0; j < G; j++) x[j] = arguments[1 + j] as number;
          return cell.addProducts(acc, x);
        }
      : function (acc: number): number {
          for (let j = 0; j < G; j++) {
            x[j] = arguments[1 + j] as number;
            y[j] = arguments[1 + G + j] as number;
          }
          return cell.step(acc, x, y);
        };
  if (st === null) return run as (...codes: number[]) => number;
  const ev = k.mac.events;
  return (...codes) => {
    const nan = ev[EVI.nan]!;
    const swamping = ev[EVI.swamping]!;
    // The kernel sets the status only when it rounds a finite nonzero sum.
    status.flags = 0;
    const out = (run as (...c: number[]) => number)(...codes);
    st[0] = statusBits(status.flags | (ev[EVI.nan]! > nan ? EV_INVALID : 0), ev[EVI.swamping]! > swamping);
    return out;
  };
}

/** Operand pairs up to this many bits are looked up in a table built once. */
const TABLE_BITS = 16;

/** core/arith.ts status flags and a swamping bit in the sticky-flag layout (FLAG_NAMES). */
function statusBits(flags: number, swamp: boolean): number {
  return (flags & EV_INEXACT ? 1 : 0) | (flags & EV_OVERFLOW ? 2 : 0) | (flags & EV_TINY && flags & EV_INEXACT ? 4 : 0) | (flags & EV_INVALID ? 8 : 0) | (swamp ? 16 : 0);
}

/** The accumulator events of an adder (or FMA) result, as the kernel counts them. */
function countAcc(ev: Float64Array, flags: number, swamp: boolean): void {
  if (flags & EV_OVERFLOW) countEvent(ev, EVI.accOverflow);
  if (flags & EV_ZERO) countEvent(ev, EVI.accUnderflow);
  if (flags & EV_INVALID) countEvent(ev, EVI.nan);
  if (swamp) countEvent(ev, EVI.swamping);
}

/**
 * A multiplier of any formats with core/arith's mul, counting its flags as product events (the
 * stages of a pipelined multiplier: the exact product, then its rounding by a multiply by 1.0).
 * Small operand pairs are looked up in a table of code and flags built once.
 */
function genericMul(u: UnitDesc, arch: Arch, k: Accumulation, st: Int32Array | null): { fn: (a: number, b: number, r?: number) => number; table?: LookupTable } {
  const fa = formatOf(fmt(arch, u, 'a'));
  const fb = formatOf(fmt(arch, u, 'b'));
  const fo = formatOf(fmt(arch, u, 'out'));
  const mode = roundingCode(u.rounding!);
  const ev = k.mac.events;
  // A marked invalid product is counted by the adder that consumes it, not here; the unit's
  // status still says invalid, as the RTL's flags output does.
  const marked = u.marksInvalid ? invalidProductCode(fo) : -1;
  const finish = (out: number, flags: number): number => {
    if (st !== null) st[0] = statusBits(flags, false);
    if (flags & EV_OVERFLOW) countEvent(ev, EVI.productOverflow);
    if (flags & EV_TINY) countEvent(ev, EVI.productUnderflow);
    if (flags & EV_INVALID && marked < 0) countEvent(ev, EVI.nan);
    return flags & EV_INVALID && marked >= 0 ? marked : out;
  };
  // Under rsr the result depends on the draw: no table.
  if (u.operands.rand !== undefined) {
    const frac = fractionOf(arch, u);
    return { fn: (x, y, r) => finish(mul(fa, x, fb, y, fo, mode, frac(r)), status.flags) };
  }
  const b = u.operands.b;
  const constant = b?.op === 'const' ? b.value : null;
  // Codes and flags in tables built once: over a alone when b is a constant (the 2-stage
  // rounder's 1.0), else over the pair when both are small.
  const rows = constant !== null ? 2 ** fa.width : 2 ** (fa.width + fb.width);
  if ((constant !== null ? fa.width : fa.width + fb.width) > TABLE_BITS) return { fn: (x, y) => finish(mul(fa, x, fb, y, fo, mode), status.flags) };
  const codes = new Uint32Array(rows);
  const flags = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    codes[i] = constant !== null ? mul(fa, i, fb, constant, fo, mode) : mul(fa, i >>> fb.width, fb, i & (2 ** fb.width - 1), fo, mode);
    flags[i] = status.flags;
  }
  const shift = constant !== null ? 0 : fb.width;
  const fn = (x: number, y: number): number => {
    const i = constant !== null ? x : (x << shift) | y;
    const f = flags[i]!;
    return f === 0 && st === null ? codes[i]! : finish(codes[i]!, f);
  };
  // With status flags every result has a status to keep: no bare lookups.
  return st === null ? { fn, table: { codes, flags, shift, unary: constant !== null } } : { fn };
}

/** An adder of any formats with core/arith's add, counting accumulator events and swamping
 *  (the sum equals x although y is finite and nonzero) as the kernel's adder does. */
function genericAdd(u: UnitDesc, arch: Arch, k: Accumulation, st: Int32Array | null): (x: number, y: number, r?: number) => number {
  const fx = formatOf(fmt(arch, u, 'x'));
  const fy = formatOf(fmt(arch, u, 'y'));
  const fo = formatOf(fmt(arch, u, 'out'));
  const mode = roundingCode(u.rounding!);
  const ev = k.mac.events;
  // A marked invalid product (a pipelined fused cell's inf*0) is an invalid operation unless x is
  // a NaN, as in the unpipelined FMA; the adder's own status knows nothing of it.
  const marked = u.formats.y === 'xprod' ? invalidProductCode(fy) : -1;
  if (st === null && sameRoles(u, { x: 'acc', y: 'xprod', out: 'acc' }) && u.rounding === arch.rounding.acc && u.operands.rand === undefined) {
    // The accumulator plus an exact product: a kernel whose "product" is the exact-product format
    // adds it with the float64 fast paths, counting into the PE kernel's events.
    const exact = new MacKernel({ a: fx, w: fx, product: fy, acc: fx, modeProduct: mode, modeAcc: mode, events: ev });
    return (x, y) => {
      if (y !== marked) return exact.addProduct(x, y);
      const out = add(fx, x, fy, y, fo, mode);
      countAcc(ev, isNaNCode(x, fx) ? 0 : EV_INVALID, false);
      return out;
    };
  }
  // The first half of a cut adder: its sum is in another format (no swamping to see here), and
  // under rdn an exact zero sum is -0 unless both operands are +0 (round-to-odd's rule gives +0).
  const half = u.formats.out !== u.formats.x;
  const minusZero = u.zeroSign === 'rdn' && u.rounding !== 'rdn' ? fo.signBit : 0;
  const frac = fractionOf(arch, u);
  return (x, y, r) => {
    let out = add(fx, x, fy, y, fo, mode, frac(r));
    const flags = status.flags;
    if (out === 0 && minusZero !== 0 && (x !== 0 || y !== 0)) out = minusZero;
    const swamp = !half && out === x && isFiniteNonzeroCode(y, fy) && isFiniteCode(x, fx);
    if (st !== null) st[0] = statusBits(flags, swamp);
    countAcc(ev, y === marked && !isNaNCode(x, fx) ? EV_INVALID : flags, swamp);
    return out;
  };
}

/** The fused multiply-add with core/arith's fma, for the status flags (the kernel has no flags). */
function genericFma(u: UnitDesc, arch: Arch, k: Accumulation, st: Int32Array): (a: number, b: number, c: number, r?: number) => number {
  const fa = formatOf(fmt(arch, u, 'a'));
  const fb = formatOf(fmt(arch, u, 'b'));
  const fc = formatOf(fmt(arch, u, 'c'));
  const fo = formatOf(fmt(arch, u, 'out'));
  const mode = roundingCode(u.rounding!);
  const ev = k.mac.events;
  const frac = fractionOf(arch, u);
  return (a, b, c, r) => {
    const out = fma(fa, a, fb, b, fc, c, fo, mode, frac(r));
    const flags = status.flags;
    // A fused term is nonzero exactly when both factors are finite and nonzero.
    const swamp = out === c && isFiniteNonzeroCode(a, fa) && isFiniteNonzeroCode(b, fb) && isFiniteCode(c, fc);
    st[0] = statusBits(flags, swamp);
    countAcc(ev, flags, swamp);
    return out;
  };
}

/** The second half of a cut adder: the rounded-to-odd sum rounded into the accumulator format,
 *  counting the accumulator events; swamping compares the result with the sum's acc operand. */
function genericRound(u: UnitDesc, arch: Arch, k: Accumulation, st: Int32Array | null): (x: number, one: number, ref: number, term: number) => number {
  const fx = formatOf(fmt(arch, u, 'x'));
  const fo = formatOf(fmt(arch, u, 'out'));
  const fr = formatOf(fmt(arch, u, 'ref'));
  const ft = formatOf(fmt(arch, u, 'term'));
  const mode = roundingCode(u.rounding!);
  const ev = k.mac.events;
  return (x, _one, ref, term) => {
    const out = convert(fx, x, fo, mode);
    const flags = status.flags;
    const swamp = out === ref && isFiniteNonzeroCode(term, ft) && isFiniteCode(ref, fr);
    if (st !== null) st[0] = statusBits(flags, swamp);
    countAcc(ev, flags, swamp);
    return out;
  };
}

/** A multiplier and the adder that alone reads its product, as one kernel call (x, a, b) ->
 *  x + round(a*b): the kernel's step, with the product table and the float64 paths. */
export function fusedMulAdd(k: Accumulation): (x: number, a: number, b: number) => number {
  return k.mac.step;
}

/** The adder is the kernel's own (accumulator plus product, the accumulator's mode, no draw):
 *  without status flags it evaluates as MacKernel.addProduct. */
export function isKernelAdder(adder: UnitDesc, arch: Arch): boolean {
  return adder.kind === 'add' && sameRoles(adder, { x: 'acc', y: 'product', out: 'acc' }) && adder.rounding === arch.rounding.acc && adder.operands.rand === undefined;
}

/** The multiplier and adder are the kernel's own (its formats and modes, no draws): fusedMulAdd
 *  applies. */
export function isKernelTerm(mul: UnitDesc, adder: UnitDesc, arch: Arch): boolean {
  return (
    sameRoles(mul, { a: 'a', b: 'w', out: 'product' }) && mul.rounding === arch.rounding.product && mul.operands.rand === undefined &&
    isKernelAdder(adder, arch)
  );
}
