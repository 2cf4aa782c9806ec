// Shared by the rtl-gen tests: unit descriptions, their modules and core/arith.ts references,
// a seeded generator of formats and of corner-biased operands.
import { add, convert, fma, mul, roundingCode, status } from '../../core/arith.js';
import { type Format, makeFormat, parseFormatName, type RoundingMode, DETERMINISTIC_MODES, type Specials } from '../../core/format.js';
import type { TestFloatOp } from '../../golden/testfloat.js';
import type { VModule } from '../../rtl-gen/back/module.js';
import { addModule } from '../../rtl-gen/lib/add.js';
import { fmaModule } from '../../rtl-gen/lib/fma.js';
import { mulModule } from '../../rtl-gen/lib/mul.js';
import { mulberry32 as rng } from '../support/rng.js';

export { rng };

/** A unit under test; `bits` is R under rsr, whose units take the draw as one more operand. */
export type UnitSpec = { bits?: number } & (
  | { kind: 'mul'; a: Format; b: Format; out: Format; mode: RoundingMode }
  | { kind: 'add'; x: Format; y: Format; out: Format; mode: RoundingMode }
  | { kind: 'fma'; a: Format; b: Format; c: Format; out: Format; mode: RoundingMode }
);

export function moduleFor(u: UnitSpec): VModule {
  const R = u.bits ?? 0;
  switch (u.kind) {
    case 'mul':
      return mulModule(u.a, u.b, u.out, u.mode, null, R);
    case 'add':
      return addModule(u.x, u.y, u.out, u.mode, u.mode, R);
    case 'fma':
      return fmaModule(u.a, u.b, u.c, u.out, u.mode, R);
  }
}

export function inputFormats(u: UnitSpec): Format[] {
  return u.kind === 'mul' ? [u.a, u.b] : u.kind === 'add' ? [u.x, u.y] : [u.a, u.b, u.c];
}

/** Operand words per case: the input codes, and rsr's draw (the module's last input, rnd). */
export function arity(u: UnitSpec): number {
  return inputFormats(u).length + (u.mode === 'rsr' ? 1 : 0);
}

export function describeUnit(u: UnitSpec): string {
  const ins = inputFormats(u).map((f) => f.name);
  const op = u.kind === 'mul' ? ins.join(' * ') : u.kind === 'add' ? ins.join(' + ') : `${ins[0]} * ${ins[1]} + ${ins[2]}`;
  return `${u.kind} ${op} -> ${u.out.name} ${u.mode}${u.mode === 'rsr' ? ` R=${u.bits}` : ''}`;
}

/** The core's result code and flags for one case. */
export function reference(u: UnitSpec, ops: readonly number[]): [number, number] {
  const r = roundingCode(u.mode);
  const draw = u.mode === 'rsr' ? ops[inputFormats(u).length]! / 2 ** u.bits! : 0;
  let code: number;
  switch (u.kind) {
    case 'mul':
      code = mul(u.a, ops[0]!, u.b, ops[1]!, u.out, r, draw);
      break;
    case 'add':
      code = add(u.x, ops[0]!, u.y, ops[1]!, u.out, r, draw);
      break;
    case 'fma':
      code = fma(u.a, ops[0]!, u.b, ops[1]!, u.c, ops[2]!, u.out, r, draw);
      break;
  }
  return [code, status.flags];
}


export function randInt(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

/** A random valid format: exp 2..8, man 0..23, any bias now and then, every option. */
export function randomFormat(r: () => number, opts: { exp?: [number, number]; man?: [number, number] } = {}): Format {
  const exp = randInt(r, ...(opts.exp ?? [2, 8]));
  const man = randInt(r, ...(opts.man ?? [0, 23]));
  const specials: Specials = man === 0 ? pick(r, ['fn', 'none'] as const) : pick(r, ['ieee', 'ieee', 'fn', 'none'] as const);
  const overflow = specials === 'ieee' ? pick(r, ['inf', 'saturate'] as const) : 'saturate';
  const u = r();
  const std = 2 ** (exp - 1) - 1;
  const bias = u < 0.4 ? std : u < 0.8 ? std + randInt(r, -6, 6) : u < 0.9 ? randInt(r, -40, 300) : randInt(r, -5000, 5000);
  return makeFormat({ exp, man, bias, subnormals: r() < 0.65, specials, overflow });
}

export function randomMode(r: () => number): RoundingMode {
  return pick(r, DETERMINISTIC_MODES);
}

/** Largest exponent field of a finite number. */
function maxField(f: Format): number {
  return Math.floor(f.maxFiniteMag / f.hidden);
}

/** A finite code with unbiased exponent near e (clamped into the format), random sign and mantissa. */
export function codeNearExponent(f: Format, e: number, r: () => number): number {
  const field = Math.max(0, Math.min(maxField(f), e + f.bias));
  const mag = Math.min(f.maxFiniteMag, field * f.hidden + Math.floor(r() * f.hidden));
  return (r() < 0.5 ? f.signBit : 0) + mag;
}

/** Codes every operand test should see: zeros, subnormal and normal extremes, 1, inf, NaNs. */
export function cornerCodes(f: Format): number[] {
  const mags = new Set<number>([0, f.maxFiniteMag, Math.max(0, f.maxFiniteMag - 1)]);
  if (f.man > 0) {
    mags.add(1); // smallest subnormal (a zero under ftz, with a nonzero mantissa)
    mags.add(f.hidden - 1); // largest subnormal
    mags.add(f.hidden + (f.hidden >> 1)); // 1.5 * 2^emin
  }
  mags.add(f.hidden); // smallest normal
  mags.add(f.hidden + 1);
  if (f.bias >= 1 && f.bias <= maxField(f)) mags.add(f.bias * f.hidden); // 1.0
  if (f.infCode >= 0) mags.add(f.infCode);
  if (f.nanCode >= 0) mags.add(f.nanCode);
  if (f.specials === 'ieee') {
    mags.add(f.infCode + 1); // a non-canonical NaN
    mags.add(f.signBit - 1);
  }
  const out: number[] = [];
  for (const m of mags) out.push(m, m + f.signBit);
  return out;
}

/** A random code, biased toward corners, extreme exponents and mantissas close to ties. */
export function randomCode(f: Format, r: () => number): number {
  const u = r();
  const sign = r() < 0.5 ? f.signBit : 0;
  if (u < 0.15) return pick(r, cornerCodes(f));
  if (u < 0.35) {
    // Extreme exponent fields with a random mantissa.
    const mf = 2 ** f.exp - 1;
    const field = pick(r, [0, 0, 1, 2, mf - 2, mf - 1, mf].filter((x) => x >= 0 && x <= mf));
    return sign + field * f.hidden + Math.floor(r() * f.hidden);
  }
  if (u < 0.55 && f.man > 0) {
    // Few significant mantissa bits (products and sums of these land on ties), or a run of ones.
    const keep = randInt(r, 0, Math.min(f.man, 4));
    const top = Math.floor(r() * 2 ** keep) * 2 ** (f.man - keep);
    const m = r() < 0.7 ? top : top + 2 ** (f.man - keep) - 1;
    const field = randInt(r, 0, 2 ** f.exp - 1);
    return sign + field * f.hidden + (m % f.hidden);
  }
  return Math.floor(r() * 2 * f.signBit);
}

/** The code with its sign flipped. */
export function negate(f: Format, code: number): number {
  return code >= f.signBit ? code - f.signBit : code + f.signBit;
}

/** Unbiased exponent of a finite nonzero code's leading bit, or null. */
function leadExp(f: Format, code: number): number | null {
  const mag = code % f.signBit;
  const field = Math.floor(mag / f.hidden);
  const m = mag % f.hidden;
  if (mag > f.maxFiniteMag) return null;
  if (field === 0) {
    if (!f.subnormals || m === 0) return null;
    return Math.floor(Math.log2(m)) - f.man + 1 - f.bias;
  }
  return field - f.bias;
}

/** rsr's draw for a case: its ends (0, 2^R - 1), its middle, or uniform. */
function randomDraw(bits: number, r: () => number): number {
  const v = r();
  return v < 0.1 ? 0 : v < 0.2 ? 2 ** bits - 1 : v < 0.25 ? 2 ** (bits - 1) : Math.floor(r() * 2 ** bits);
}

/** Operands for one case of the unit (and rsr's draw last): independent, or correlated to exercise
 *  alignment and cancellation. */
export function randomCase(u: UnitSpec, r: () => number): number[] {
  const ops = randomOperands(u, r);
  return u.mode === 'rsr' ? [...ops, randomDraw(u.bits!, r)] : ops;
}

function randomOperands(u: UnitSpec, r: () => number): number[] {
  const fs = inputFormats(u);
  const ops = fs.map((f) => randomCode(f, r));
  const mode = roundingCode(u.mode);
  const v = r();
  if (u.kind === 'mul') {
    // Aim the product at the output's underflow or overflow boundary.
    const ea = leadExp(u.a, ops[0]!);
    if (ea !== null && v < 0.4) {
      const target = v < 0.2 ? u.out.emin + randInt(r, -u.out.man - 3, 2) : u.out.emax + randInt(r, -2, 1);
      ops[1] = codeNearExponent(u.b, target - ea, r);
    }
    return ops;
  }
  if (u.kind === 'add') {
    const ex = leadExp(u.x, ops[0]!);
    if (ex !== null && v < 0.35) ops[1] = codeNearExponent(u.y, ex - randInt(r, -3, u.out.man + 4), r);
    else if (v < 0.5) ops[1] = negate(u.y, convert(u.x, ops[0]!, u.y, mode)); // near cancellation
    else if (v < 0.6) ops[1] = codeNearExponent(u.y, (ex ?? 0) + randInt(r, -60, 60), r);
    return ops;
  }
  const ea = leadExp(u.a, ops[0]!);
  const eb = leadExp(u.b, ops[1]!);
  if (ea !== null && eb !== null) {
    if (v < 0.3) ops[2] = codeNearExponent(u.c, ea + eb - randInt(r, -4, u.out.man + 4), r);
    else if (v < 0.5) ops[2] = negate(u.c, mul(u.a, ops[0]!, u.b, ops[1]!, u.c, mode)); // near cancellation
    else if (v < 0.55) ops[2] = codeNearExponent(u.c, u.out.emin + randInt(r, -3, 3), r);
  }
  return ops;
}

/** A random array cell: input formats a and b, product format p, accumulator acc, one mode. */
export interface Combo {
  a: Format;
  b: Format;
  p: Format;
  acc: Format;
  mode: RoundingMode;
}

/** Seeded random combinations (the same every run, so the Verilator build stays cached). */
export function randomCombos(seed: number, count: number): Combo[] {
  const r = rng(seed);
  const out: Combo[] = [];
  for (let i = 0; i < count; i++) {
    const a = randomFormat(r, { man: [0, 10] });
    const b = randomFormat(r, { man: [0, 10] });
    out.push({ a, b, p: randomFormat(r), acc: randomFormat(r), mode: randomMode(r) });
  }
  return out;
}

/** The cell's three units: product rounding, accumulation, and the fused alternative. */
export function comboUnits(c: Combo): UnitSpec[] {
  return [
    { kind: 'mul', a: c.a, b: c.b, out: c.p, mode: c.mode },
    { kind: 'add', x: c.acc, y: c.p, out: c.acc, mode: c.mode },
    { kind: 'fma', a: c.a, b: c.b, c: c.acc, out: c.acc, mode: c.mode },
  ];
}

/** The combinations the co-simulation runs (about ten, exp 2..8, man 0..23). */
export const COSIM_COMBOS = { seed: 20240611, count: 10 };
/** More combinations that are only linted and compiled (cheap: no Verilator build). */
export const LINT_COMBOS = { seed: 77, count: 20 };

/** Where a fixed unit's cases come from. */
export type CaseSource = { kind: 'exhaustive' } | { kind: 'random'; count: number; seed: number } | { kind: 'testfloat'; type: 'f16' | 'f32'; op: TestFloatOp };

/** The units every run co-simulates besides the random combinations, with their case sources. */
export function fixedUnits(): { unit: UnitSpec; cases: CaseSource[] }[] {
  const F = parseFormatName;
  const e4m3 = F('e4m3');
  const fp16 = F('fp16');
  const fp32 = F('fp32');
  const list: { unit: UnitSpec; cases: CaseSource[] }[] = [];
  for (const mode of DETERMINISTIC_MODES) list.push({ unit: { kind: 'mul', a: e4m3, b: e4m3, out: fp16, mode }, cases: [{ kind: 'exhaustive' }] });
  list.push({ unit: { kind: 'mul', a: F('e5m2'), b: F('e5m2'), out: F('e4m7_b10'), mode: 'rtz' }, cases: [{ kind: 'exhaustive' }] });
  // No mantissa bits: the kept significand is the hidden bit alone (rod sets it below the
  // smallest normal, rne's tie and rup's increment carry into the exponent).
  for (const mode of DETERMINISTIC_MODES) list.push({ unit: { kind: 'mul', a: e4m3, b: e4m3, out: F('e4m0_fn'), mode }, cases: [{ kind: 'exhaustive' }] });
  for (const mode of DETERMINISTIC_MODES) {
    const count = mode === 'rne' ? 300_000 : 60_000;
    list.push({ unit: { kind: 'fma', a: e4m3, b: e4m3, c: F('e4m7'), out: F('e4m7'), mode }, cases: [{ kind: 'random', count, seed: 11 + mode.length }] });
  }
  // TestFloat vectors (f16 mulAdd is the required set; the others come cheap) plus corner cases.
  const tf: ['f16' | 'f32', TestFloatOp, Format][] = [
    ['f16', 'mulAdd', fp16],
    ['f16', 'mul', fp16],
    ['f16', 'add', fp16],
    ['f32', 'mulAdd', fp32],
  ];
  tf.forEach(([type, op, f], i) => {
    for (const mode of DETERMINISTIC_MODES) {
      const unit: UnitSpec =
        op === 'mulAdd' ? { kind: 'fma', a: f, b: f, c: f, out: f, mode } : op === 'mul' ? { kind: 'mul', a: f, b: f, out: f, mode } : { kind: 'add', x: f, y: f, out: f, mode };
      list.push({ unit, cases: [{ kind: 'testfloat', type, op }, { kind: 'random', count: 20_000, seed: 40 + i * 3 + mode.length }] });
    }
  });
  // Wide exponent arithmetic: biases of -2^20 and 2^20 whose product lands in fp32's range.
  list.push({ unit: { kind: 'fma', a: F('e8m23_bn1048576'), b: F('e8m23_b1048576'), c: fp32, out: fp32, mode: 'rne' }, cases: [{ kind: 'random', count: 20_000, seed: 5 }] });
  // Stochastic rounding (rsr) with R from the spec's ends and between: narrow cells, and fp32 sums
  // whose R = 32 bits below the last kept one need the widest window.
  for (const bits of [1, 3, 8, 32]) {
    const e4m7 = F('e4m7');
    list.push({ unit: { kind: 'mul', a: e4m3, b: e4m3, out: F('e3m2'), mode: 'rsr', bits }, cases: [{ kind: 'random', count: 20_000, seed: 60 + bits }] });
    list.push({ unit: { kind: 'add', x: e4m7, y: fp16, out: e4m7, mode: 'rsr', bits }, cases: [{ kind: 'random', count: 20_000, seed: 61 + bits }] });
    list.push({ unit: { kind: 'fma', a: e4m3, b: e4m3, c: F('e4m7_b10_ftz'), out: F('e4m7_b10_ftz'), mode: 'rsr', bits }, cases: [{ kind: 'random', count: 20_000, seed: 62 + bits }] });
  }
  list.push({ unit: { kind: 'add', x: fp32, y: fp32, out: fp32, mode: 'rsr', bits: 32 }, cases: [{ kind: 'random', count: 20_000, seed: 70 }] });
  list.push({ unit: { kind: 'fma', a: fp16, b: fp16, c: fp32, out: fp32, mode: 'rsr', bits: 29 }, cases: [{ kind: 'random', count: 20_000, seed: 71 }] });
  return list;
}
