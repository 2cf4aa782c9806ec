// The fixed-point accumulator's unit kinds (arch.fixed; docs/arithmetic.md §3): `fixload` (C onto
// the grid), `fixadd` (a product into the register) and `fixround` (the register into out). Each
// evaluates in the simulator with core/fixed-acc.ts's FixedKernel (the code coreGemm runs) and is
// built in Verilog by rtl-gen/lib/fixed-add.ts and fixed-round.ts.
//
// The simulator holds a PE's state as the RTL's state bus read as one number,
// special·2^(W+1) + zeroSign·2^W + (reg mod 2^W): exact in a float64 for W + 3 <= 53 bits
// (SIM_MAX_FIXED_WIDTH; sim/simulate.ts refuses wider registers by name).
import { EV_INEXACT, EV_INVALID, EV_OVERFLOW, EV_TINY, roundingCode, status, unpackValue } from '../core/arith.js';
import type { Format, RoundingMode } from '../core/format.js';
import { type FixedKernel, fixedKernel, type FixedState, NO_SPECIAL } from '../core/fixed-acc.js';
import type { Accumulation } from '../core/gemm.js';
import { countEvent, EVI } from '../core/mac.js';
import { fixedAddModule, fixedLoadModule } from '../rtl-gen/lib/fixed-add.js';
import { fixedRoundModule } from '../rtl-gen/lib/fixed-round.js';
import { formatOf } from './build.js';
import type { Arch, FixedDesc, UnitDesc } from './types.js';
import type { UnitKindImpl } from './units.js';

function fixedOf(arch: Arch): FixedDesc {
  if (arch.fixed === null) throw new Error('internal: a fixed-point unit in an array without a fixed-point accumulator');
  return arch.fixed;
}

/** The kernel of a unit: `product` is the format of the codes fixadd adds (product or exact product). */
/** What every fixed-point unit evaluates with: the register, its kernel, the state bus's codec
 *  and one state the kernel works on (reused from call to call). */
function unitMachine(arch: Arch, product: Format | null, mode: RoundingMode) {
  const fx = fixedOf(arch);
  const kernel = kernelFor(arch, product, mode);
  return { fx, kernel, codec: new StateCodec(fx, kernel.path === 'bigint'), s: kernel.newState() };
}

function kernelFor(arch: Arch, product: Format | null, mode: RoundingMode): FixedKernel {
  const fx = fixedOf(arch);
  return fixedKernel({
    a: formatOf(arch.formats.a),
    w: formatOf(arch.formats.w),
    product,
    fixed: { msb: fx.msb, lsb: fx.lsb, overflow: fx.overflow, width: fx.width },
    out: formatOf(arch.formats.out),
    modeProduct: roundingCode(arch.rounding.product),
    modeAcc: roundingCode(mode),
    modeInput: roundingCode(fx.input),
  });
}

/** The state bus as a number and back (file comment); the register is a number or a bigint as
 *  the kernel's path holds it. */
class StateCodec {
  private readonly lowTurn: number;
  private readonly half: number;
  private readonly zeroBit: number;
  private readonly specialUnit: number;
  constructor(
    fx: FixedDesc,
    private readonly big: boolean,
  ) {
    this.lowTurn = 2 ** fx.width;
    this.half = 2 ** (fx.width - 1);
    this.zeroBit = 2 ** fx.width;
    this.specialUnit = 2 ** (fx.width + 1);
  }

  read(v: number, s: FixedState): void {
    const special = Math.floor(v / this.specialUnit);
    let rest = v - special * this.specialUnit;
    const zs = rest >= this.zeroBit ? 1 : 0;
    rest -= zs * this.zeroBit;
    const reg = rest >= this.half ? rest - this.lowTurn : rest;
    s.special = special;
    s.zeroSign = zs;
    s.reg = this.big ? BigInt(reg) : reg;
  }

  write(s: FixedState): number {
    const reg = Number(s.reg);
    return s.special * this.specialUnit + s.zeroSign * this.zeroBit + (reg < 0 ? reg + this.lowTurn : reg);
  }
}

/** Moves a fixed kernel's events into the PE kernel's counters (which the simulator attributes);
 *  returns them as bits: 1 overflow, 2 underflow, 4 nan, 8 swamping. */
function drain(from: Float64Array, into: Float64Array): number {
  let bits = 0;
  for (let s = 0; s < 6; s++) {
    const n = from[s]!;
    if (n === 0) continue;
    for (let k = 0; k < n; k++) countEvent(into, s);
    from[s] = 0;
    if (s === EVI.accOverflow) bits |= 1;
    else if (s === EVI.accUnderflow) bits |= 2;
    else if (s === EVI.nan) bits |= 4;
    else if (s === EVI.swamping) bits |= 8;
  }
  return bits;
}

/** The code is finite and not a whole number of units of 2^lsb: rounding it onto the grid is inexact. */
function offGrid(f: Format, code: number, lsb: number): boolean {
  const u = unpackValue(f, code);
  if (u.kind !== 'finite' || u.q >= lsb) return false;
  const drop = lsb - u.q;
  return drop >= 53 || u.sig % 2 ** drop !== 0;
}

/** The code is a finite value or a zero (not inf, not NaN). */
function finiteCode(f: Format, code: number): boolean {
  const k = unpackValue(f, code).kind;
  return k === 'finite' || k === 'zero';
}

/** The status of fixload and fixadd in the sticky-flag layout, as their Verilog's flags and swamp
 *  give it: inexact (off the grid while live, or overflowed), overflow, underflow (lost to the
 *  grid), invalid (+inf met -inf), swamping. */
function addStatus(events: number, live: boolean, inexact: boolean): number {
  const overflow = events & 1;
  return ((live && inexact) || overflow ? 1 : 0) | (overflow ? 2 : 0) | (events & 2 ? 4 : 0) | (events & 4 ? 8 : 0) | (events & 8 ? 16 : 0);
}

function yFormat(arch: Arch, u: UnitDesc): Format {
  const f = arch.formats[u.formats.y!];
  if (!f) throw new Error(`internal: unit ${u.name} has no format for its y`);
  return formatOf(f);
}

export const FIXED_UNIT_KINDS: Record<'fixload' | 'fixadd' | 'fixround', UnitKindImpl> = {
  fixload: {
    operands: ['c'],
    swampVerilog: null,
    verilog: (_u, arch) => ({
      module: fixedLoadModule(formatOf(arch.formats.out), fixedOf(arch), fixedOf(arch).input, arch.rounding.acc),
      inputs: { c: 'c' },
      result: 'acc',
      flags: 'flags',
    }),
    evaluate: (_u, arch, k: Accumulation, st) => {
      const { fx, kernel, codec, s } = unitMachine(arch, null, arch.rounding.acc);
      const out = formatOf(arch.formats.out);
      const ev = k.mac.events;
      return {
        kind: 'call',
        fn: (c) => {
          kernel.start(s, c!);
          // The RTL's state keeps C's sign bit as the zero sign of a special (meaningless there, but on the bus).
          if (s.special !== NO_SPECIAL) s.zeroSign = c! >= out.signBit ? 1 : 0;
          const events = drain(kernel.events, ev);
          if (st !== null) st[0] = addStatus(events, finiteCode(out, c!), offGrid(out, c!, fx.lsb));
          return codec.write(s);
        },
      };
    },
  },
  fixadd: {
    operands: ['x', 'y'],
    swampVerilog: null,
    verilog: (u, arch) => ({
      module: fixedAddModule(yFormat(arch, u), fixedOf(arch), u.rounding!),
      inputs: { x: 'acc', y: 'p' },
      result: 'acc_next',
      flags: 'flags',
      swamp: 'swamp',
    }),
    evaluate: (u, arch, k, st) => {
      const fy = yFormat(arch, u);
      const { fx, kernel, codec, s } = unitMachine(arch, fy, u.rounding!);
      const ev = k.mac.events;
      return {
        kind: 'call',
        fn: (x, y) => {
          codec.read(x!, s);
          const live = s.special === NO_SPECIAL && finiteCode(fy, y!);
          kernel.addProduct(s, y!);
          const events = drain(kernel.events, ev);
          if (st !== null) st[0] = addStatus(events, live, offGrid(fy, y!, fx.lsb));
          return codec.write(s);
        },
      };
    },
  },
  fixround: {
    operands: ['x'],
    swampVerilog: null,
    verilog: (u, arch) => ({ module: fixedRoundModule(fixedOf(arch), formatOf(arch.formats.out), u.rounding!), inputs: { x: 'acc' }, result: 'code', flags: 'flags' }),
    evaluate: (u, arch, k, st) => {
      const { kernel, codec, s } = unitMachine(arch, null, u.rounding!);
      const ev = k.mac.events;
      return {
        kind: 'call',
        fn: (x) => {
          codec.read(x!, s);
          status.flags = 0;
          const code = kernel.finish(s);
          const rounded = s.special === NO_SPECIAL && Number(s.reg) !== 0;
          drain(kernel.events, ev);
          if (st !== null) {
            const f = rounded ? status.flags : 0;
            // core/arith.ts's bits in the sticky-flag layout (units.ts statusBits): no swamping here.
            st[0] = (f & EV_INEXACT ? 1 : 0) | (f & EV_OVERFLOW ? 2 : 0) | (f & EV_TINY && f & EV_INEXACT ? 4 : 0) | (f & EV_INVALID ? 8 : 0);
          }
          return code;
        },
      };
    },
  },
};
