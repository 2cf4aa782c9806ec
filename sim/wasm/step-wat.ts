// The step's code tree (sim/step-code.ts) as a WebAssembly module in folded text, the way the
// JavaScript back end (sim/step-js.ts) prints it: every array lives in one memory at an offset fixed
// per architecture (WasmLayout), every value is an i32. The kernel's exact-sum step and adder and
// the multipliers' lookup tables run inside the module; the rare cases (a sum outside the fast
// range, a product that counts an event) and every other unit call back into JavaScript through
// imports, which also move the events they counted to the PE and the output.
import { RDN, RNA, RNE, ROD, RTZ, RUP } from '../../core/arith.js';
import { EVI, type InlineConstants } from '../../core/mac.js';
import { N_EVENTS } from '../pe-arith.js';
import { namesOf, type Stmt, type UnitCall, type Val } from '../step-code.js';

export type ElementType = 'u32' | 'f64' | 'u8';
const BYTES: Record<ElementType, number> = { u32: 4, f64: 8, u8: 1 };

/** Where each array sits in the memory. */
export class WasmLayout {
  readonly regions = new Map<string, { offset: number; length: number; type: ElementType }>();
  end = 0;

  place(name: string, length: number, type: ElementType): void {
    this.regions.set(name, { offset: this.end, length, type });
    this.end += Math.ceil((length * BYTES[type]) / 8) * 8;
  }

  offset(name: string): number {
    const r = this.regions.get(name);
    if (r === undefined) throw new Error(`internal simulator compiler error: no array ${name} in the WebAssembly memory`);
    return r.offset;
  }
}

/** How each unit of the step evaluates inside the module. */
export type UnitPlan = { how: 'kernel'; k: InlineConstants } | { how: 'table'; shift: number; unary: boolean } | { how: 'import' };

export interface StepModule {
  body: Stmt[];
  layout: WasmLayout;
  mask: number;
  units: Map<string, UnitPlan>;
}

/** The imported JavaScript a unit of this plan calls: (q, o, operands...) -> code; a draw takes
 *  its operands only. */
export function importArity(u: UnitCall): number {
  return u.tag === null ? u.args.length : u.args.length + 2;
}

/** The kernel's constants when the unit runs inline. The kernel keeps its operands in shared
 *  locals: an operand after the first that evaluated a unit itself (none in today's cells) would
 *  overwrite them, so such a unit calls out instead. */
function inlineKernel(m: StepModule, u: UnitCall): InlineConstants | null {
  const plan = m.units.get(u.name);
  if (plan?.how !== 'kernel' || u.tag === null) return null;
  return u.args.slice(1).some((a) => namesOf([{ k: 'set', name: '_', v: a }]).units.size > 0) ? null : plan.k;
}

/** The units the module calls out to (in import order). */
export function importedUnits(m: StepModule): UnitCall[] {
  return [...namesOf(m.body).units.values()].filter((u) => inlineKernel(m, u) === null);
}

const OPS = { '+': 'i32.add', '-': 'i32.sub', '*': 'i32.mul', '&': 'i32.and', '|': 'i32.or', '===': 'i32.eq' } as const;

const i32 = (n: number): string => `(i32.const ${n})`;
const get = (name: string): string => `(local.get $${name})`;
const set = (name: string, value: string): string => `(local.set $${name} ${value})`;

export function stepWat(m: StepModule): string {
  const { vars, units } = namesOf(m.body);
  const f64Locals = new Set<string>();
  const i32Locals = new Set([...vars].filter((n) => n !== 'x' && n !== 'N' && n !== 'MASK'));
  for (const u of units.keys()) i32Locals.add(`u_${u}`).add(`d_${u}`);
  const at = (arr: string, index: string, shift: number): string => `offset=${m.layout.offset(arr)} (i32.shl ${index} ${i32(shift)})`;

  const val = (x: Val): string => {
    switch (x.k) {
      case 'num':
        return i32(x.v);
      case 'var':
        return x.name === 'MASK' ? i32(m.mask) : get(x.name);
      case 'bin':
        return `(${OPS[x.op]} ${val(x.a)} ${val(x.b)})`;
      case 'load':
        return `(i32.load ${at(x.arr, val(x.i), 2)})`;
      case 'cond':
        return `(if (result i32) ${val(x.c)} (then ${val(x.t)}) (else ${val(x.e)}))`;
      case 'unit':
        return unit(x.unit);
      case 'status':
        throw new Error('internal simulator compiler error: status flags are not compiled to WebAssembly');
    }
  };

  /** Adds one to event `slot` of PE q and of output o (the attribution the JavaScript does with ATTR). */
  const countEvent = (slot: number, tag: string): string =>
    [
      `(i32.store offset=${m.layout.offset('PEV') + slot * 4} (local.tee $k_i (i32.mul ${get('q')} ${i32(N_EVENTS * 4)})) (i32.add (i32.load offset=${m.layout.offset('PEV') + slot * 4} (local.get $k_i)) ${i32(1)}))`,
      `(i32.store offset=${m.layout.offset('OEV') + slot * 4} (local.tee $k_i (i32.mul ${tag} ${i32(N_EVENTS * 4)})) (i32.add (i32.load offset=${m.layout.offset('OEV') + slot * 4} (local.get $k_i)) ${i32(1)}))`,
    ].join(' ');

  /** The kernel's adder on locals k_acc and k_code: core/mac.ts inlineSource's arithmetic. */
  const kernelAdd = (k: InlineConstants, tag: string): string => {
    for (const n of ['k_acc', 'k_code', 'k_hi', 'k_e', 'k_mag', 'k_out', 'k_i']) i32Locals.add(n);
    f64Locals.add('k_pv').add('k_sum');
    const hi = get('k_hi');
    const lo = '(i32.wrap_i64 (i64.reinterpret_f64 (local.get $k_sum)))';
    const odd = k.oddTie ? i32(1) : `(i32.and ${get('k_mag')} ${i32(1)})`;
    const sign = `(i32.shr_u ${hi} ${i32(31)})`;
    // Above half, exactly half, and inexact, of the bits the rounding drops.
    let above: string, half: string, inexact: string;
    if (k.drop === 0) {
      above = `(i32.gt_u ${lo} ${i32(0x80000000)})`;
      half = `(i32.eq ${lo} ${i32(0x80000000)})`;
      inexact = `(i32.ne ${lo} ${i32(0)})`;
    } else {
      const rem = `(i32.and ${hi} ${i32(2 ** k.drop - 1)})`;
      const h = 2 ** (k.drop - 1);
      above = `(i32.or (i32.gt_u ${rem} ${i32(h)}) (i32.and (i32.eq ${rem} ${i32(h)}) (i32.ne ${lo} ${i32(0)})))`;
      half = `(i32.and (i32.eq ${rem} ${i32(h)}) (i32.eq ${lo} ${i32(0)}))`;
      inexact = `(i32.or (i32.ne ${rem} ${i32(0)}) (i32.ne ${lo} ${i32(0)}))`;
    }
    const up: Record<number, string> = {
      [RNE]: `(i32.or ${above} (i32.and ${half} ${odd}))`,
      [RNA]: `(i32.or ${above} ${half})`,
      [RDN]: `(i32.and ${inexact} ${sign})`,
      [RUP]: `(i32.and ${inexact} (i32.eqz ${sign}))`,
      [ROD]: `(i32.and ${inexact} (i32.eqz ${odd}))`,
    };
    return [
      set('k_pv', `(f64.load offset=${m.layout.offset('KV')} (i32.shl ${get('k_code')} ${i32(3)}))`),
      set('k_sum', `(f64.add (f64.load offset=${m.layout.offset('KA')} (i32.shl ${get('k_acc')} ${i32(3)})) (local.get $k_pv))`),
      set('k_hi', '(i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $k_sum)) (i64.const 32)))'),
      set('k_e', `(i32.sub (i32.and (i32.shr_u ${hi} ${i32(20)}) ${i32(0x7ff)}) ${i32(1023)})`),
      `(if (result i32) (i32.or (i32.lt_s ${get('k_e')} ${i32(k.eLo)}) (i32.ge_s ${get('k_e')} ${i32(k.eHi)}))`,
      `(then (call $Kslow ${get('k_acc')} ${get('k_code')} ${get('q')} ${tag}))`,
      '(else',
      set('k_mag', `(i32.add (i32.mul (i32.add ${get('k_e')} ${i32(k.bias)}) ${i32(k.hidden)}) (i32.shr_u (i32.and ${hi} ${i32(0xfffff)}) ${i32(k.drop)}))`),
      ...(k.mode === RTZ ? [] : [set('k_mag', `(i32.add ${get('k_mag')} ${up[k.mode]!})`)]),
      set('k_out', `(i32.add ${get('k_mag')} (i32.mul ${sign} ${i32(k.signBit)}))`),
      // Swamping: the sum rounded back to the accumulator although the term was not zero.
      `(if (i32.and (i32.eq ${get('k_out')} ${get('k_acc')}) (f64.ne (local.get $k_pv) (f64.const 0))) (then ${countEvent(EVI.swamping, tag)}))`,
      `${get('k_out')}))`,
    ].join(' ');
  };

  const evaluate = (u: UnitCall): string => {
    const plan = m.units.get(u.name) ?? { how: 'import' };
    const args = u.args.map(val);
    const tag = u.tag === null ? null : val(u.tag);
    const k = inlineKernel(m, u);
    if (k !== null && tag !== null) {
      if (u.fn === 'kernel-add') return `(block (result i32) ${set('k_acc', args[0]!)} ${set('k_code', args[1]!)} ${kernelAdd(k, tag)})`;
      // The fused step: the product's code (and the events it counts) from the table, then the adder.
      i32Locals.add('k_t');
      return [
        '(block (result i32)',
        set('k_acc', args[0]!),
        set('k_t', `(i32.load offset=${m.layout.offset('KT')} (i32.shl (i32.or (i32.shl ${args[1]} ${i32(k.wShift)}) ${args[2]}) ${i32(2)}))`),
        `(if (i32.shr_u ${get('k_t')} ${i32(24)}) (then (call $Kcount (i32.shr_u ${get('k_t')} ${i32(24)}) ${get('q')} ${tag})))`,
        set('k_code', `(i32.and ${get('k_t')} ${i32(0xffffff)})`),
        kernelAdd(k, tag),
        ')',
      ].join(' ');
    }
    const call = `(call $U_${u.name} ${tag === null ? '' : `${get('q')} ${tag} `}${args.join(' ')})`;
    if (plan.how === 'table') {
      // A result that counts an event goes through the unit's own evaluation.
      i32Locals.add('k_i');
      const index = plan.unary ? args[0]! : `(i32.or (i32.shl ${args[0]} ${i32(plan.shift)}) ${args[1]})`;
      return `(if (result i32) (i32.load8_u offset=${m.layout.offset(`MF_${u.name}`)} (local.tee $k_i ${index})) (then ${call}) (else (i32.load ${at(`MC_${u.name}`, get('k_i'), 2)})))`;
    }
    return call;
  };

  /** Evaluated at most once per PE and cycle: d_<unit> says whether u_<unit> holds the value. */
  const unit = (u: UnitCall): string => {
    const term = u.term ? `(i32.store ${at('PT', get('q'), 2)} (i32.add (i32.load ${at('PT', get('q'), 2)}) ${i32(1)}))` : '';
    return `(if (result i32) ${get(`d_${u.name}`)} (then ${get(`u_${u.name}`)}) (else ${set(`u_${u.name}`, evaluate(u))} ${set(`d_${u.name}`, i32(1))} ${term} ${get(`u_${u.name}`)}))`;
  };

  const stmt = (s: Stmt): string => {
    switch (s.k) {
      case 'set':
        return set(s.name, val(s.v));
      case 'store':
        return `(i32.store ${at(s.arr, val(s.i), 2)} ${val(s.v)})`;
      case 'if':
        return `(if ${val(s.c)} (then ${s.then.map(stmt).join(' ')}))`;
      case 'fresh':
        return s.units.map((u) => set(`d_${u}`, i32(0))).join(' ');
      case 'for': {
        const next = s.down ? `(i32.sub ${get(s.v)} ${i32(1)})` : `(i32.add ${get(s.v)} ${i32(1)})`;
        const more = s.down ? `(i32.ge_s ${get(s.v)} ${i32(0)})` : `(i32.lt_s ${get(s.v)} ${i32(s.n)})`;
        return `${set(s.v, i32(s.down ? s.n - 1 : 0))}\n(loop $L_${s.v}\n${s.body.map(stmt).join('\n')}\n${set(s.v, next)}\n(br_if $L_${s.v} ${more}))`;
      }
    }
  };

  const code = m.body.map(stmt).join('\n');
  const imports = importedUnits(m).map((u) => `(import "k" "U_${u.name}" (func $U_${u.name} (param${' i32'.repeat(importArity(u))}) (result i32)))`);
  const locals = [...[...i32Locals].map((n) => `(local $${n} i32)`), ...[...f64Locals].map((n) => `(local $${n} f64)`)];
  return [
    '(module',
    '(import "k" "Kslow" (func $Kslow (param i32 i32 i32 i32) (result i32)))',
    '(import "k" "Kcount" (func $Kcount (param i32 i32 i32)))',
    ...imports,
    `(import "k" "mem" (memory ${Math.ceil(m.layout.end / 65536)}))`,
    '(func (export "step") (param $x i32) (param $N i32)',
    locals.join(' '),
    code,
    '))',
  ].join('\n');
}
