// The unit kinds of the PE description: each is one object that knows how the simulator evaluates
// it (with core/'s MacKernel, the same code coreGemm runs) and which Verilog module implements it
// (rtl-gen/lib/). The simulator compiler and the PE emitter only look units up here.
import type { Accumulation } from '../core/gemm.js';
import type { VModule } from '../rtl-gen/back/module.js';
import { addModule } from '../rtl-gen/lib/add.js';
import { fmaModule } from '../rtl-gen/lib/fma.js';
import { mulModule } from '../rtl-gen/lib/mul.js';
import { selectorModule } from '../rtl-gen/lib/selector.js';
import { formatOf } from './build.js';
import type { Arch, FormatDesc, UnitDesc, UnitKind } from './types.js';

/** The Verilog of one unit instance: the module and which of its ports take each operand role. */
export interface UnitVerilog {
  module: VModule;
  /** Operand role -> module input port. */
  inputs: Record<string, string>;
  result: string;
  /** The status flags output (core/arith.ts EV_* bits), or null. */
  flags: string | null;
}

/**
 * How the simulator evaluates a unit: `lane` units pick lane `index` of their `group` operand (the
 * compiler reads the lane directly); `call` units are a function of their operand codes, in the
 * order of the kind's operand roles, that counts the events (docs/arithmetic.md section 5) into the kernel's counters.
 */
export type UnitEvaluation = { kind: 'lane' } | { kind: 'call'; fn: (...codes: number[]) => number };

export interface UnitKindImpl {
  /** Operand roles, in the order `call` functions take them. */
  operands: readonly string[];
  verilog(u: UnitDesc, arch: Arch): UnitVerilog;
  evaluate(u: UnitDesc, arch: Arch, kernel: Accumulation): UnitEvaluation;
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

export const UNIT_KINDS: Record<UnitKind, UnitKindImpl> = {
  selector: {
    operands: ['group', 'index'],
    verilog: (u, arch) => ({ module: selectorModule(fmt(arch, u, 'out').width), inputs: { group: 'group', index: 'index' }, result: 'value', flags: null }),
    evaluate: () => ({ kind: 'lane' }),
  },
  mul: {
    operands: ['a', 'b'],
    verilog: (u, arch) => ({
      module: mulModule(formatOf(fmt(arch, u, 'a')), formatOf(fmt(arch, u, 'b')), formatOf(fmt(arch, u, 'out')), u.rounding!),
      inputs: { a: 'a', b: 'b' },
      result: 'product',
      flags: 'flags',
    }),
    evaluate: (u, arch, k) => {
      if (!sameRoles(u, { a: 'a', b: 'w', out: 'product' }) || u.rounding !== arch.rounding.product) noKernelPath(u);
      const mac = k.mac;
      return { kind: 'call', fn: (a, b) => mac.mulCode(a!, b!) };
    },
  },
  add: {
    operands: ['x', 'y'],
    verilog: (u, arch) => ({
      module: addModule(formatOf(fmt(arch, u, 'x')), formatOf(fmt(arch, u, 'y')), formatOf(fmt(arch, u, 'out')), u.rounding!),
      inputs: { x: 'x', y: 'y' },
      result: 'sum',
      flags: 'flags',
    }),
    evaluate: (u, arch, k) => {
      if (sameRoles(u, { x: 'acc', y: 'product', out: 'acc' }) && u.rounding === arch.rounding.acc) {
        const mac = k.mac;
        return { kind: 'call', fn: (x, y) => mac.addProduct(x!, y!) };
      }
      if (sameRoles(u, { x: 'total', y: 'acc', out: 'total' }) && u.rounding === arch.rounding.total) return { kind: 'call', fn: (x, y) => k.addChunk(x!, y!) };
      return noKernelPath(u);
    },
  },
  fma: {
    operands: ['a', 'b', 'c'],
    verilog: (u, arch) => ({
      module: fmaModule(formatOf(fmt(arch, u, 'a')), formatOf(fmt(arch, u, 'b')), formatOf(fmt(arch, u, 'c')), formatOf(fmt(arch, u, 'out')), u.rounding!),
      inputs: { a: 'a', b: 'b', c: 'c' },
      result: 'result',
      flags: 'flags',
    }),
    evaluate: (u, arch, k) => {
      if (!sameRoles(u, { a: 'a', b: 'w', c: 'acc', out: 'acc' }) || u.rounding !== arch.rounding.acc) noKernelPath(u);
      const step = k.mac.step;
      return { kind: 'call', fn: (a, b, c) => step(c!, a!, b!) };
    },
  },
};

/** A multiplier and the adder that alone reads its product, as one kernel call (x, a, b) ->
 *  x + round(a*b): the kernel's step, with the product table and the float64 paths. */
export function fusedMulAdd(mul: UnitDesc, add: UnitDesc, arch: Arch, k: Accumulation): (x: number, a: number, b: number) => number {
  const ok = sameRoles(mul, { a: 'a', b: 'w', out: 'product' }) && mul.rounding === arch.rounding.product && sameRoles(add, { x: 'acc', y: 'product', out: 'acc' }) && add.rounding === arch.rounding.acc;
  if (!ok) noKernelPath(add);
  return k.mac.step;
}
