// Float formats of docs/arithmetic.md §1: the user-facing description (FormatSpec), its validation,
// and the resolved Format with every derived constant the arithmetic needs precomputed.
import { LbamacError } from './errors.js';

export type Specials = 'ieee' | 'fn' | 'none';
export type Overflow = 'inf' | 'saturate';

/** What a user writes: only exp and man are required. */
export interface FormatSpec {
  exp: number;
  man: number;
  bias?: number;
  subnormals?: boolean;
  specials?: Specials;
  overflow?: Overflow;
}

/** Allowed ranges. man ≤ 23 keeps a product of two significands (≤ 48 bits) and an aligned sum
 *  inside a float64's 53-bit integer range, which is what lets the core avoid BigInt. */
export interface FormatLimits {
  exp: { min: number; max: number };
  man: { min: number; max: number };
  bias: { min: number; max: number };
}

export const LIMITS = {
  exp: { min: 2, max: 8 },
  man: { min: 0, max: 23 },
  bias: { min: -(2 ** 20), max: 2 ** 20 },
} as const;

/**
 * The formats of registers inside a pipelined PE (core/odd-sum.ts): wider than a user's format, up
 * to 53-bit codes, which stay exact integers in a float64.
 */
export const INTERNAL_LIMITS: FormatLimits = {
  exp: { min: 2, max: 16 },
  man: { min: 0, max: 36 },
  bias: LIMITS.bias,
};

/** A validated format with its derived constants. Immutable; compare with `sameFormat`. */
export interface Format {
  readonly exp: number;
  readonly man: number;
  readonly bias: number;
  readonly subnormals: boolean;
  readonly specials: Specials;
  readonly overflow: Overflow;
  /** Canonical name: a named format (fp32, e4m3, ...) or eXmY with suffixes; parses back. */
  readonly name: string;
  /** 1 + exp + man. */
  readonly width: number;
  /** 2^(exp+man): the sign bit's weight in a code. */
  readonly signBit: number;
  /** 2^man: the hidden bit of a normal significand. */
  readonly hidden: number;
  /** Smallest unbiased exponent of a normal number: 1 - bias. */
  readonly emin: number;
  /** Largest magnitude code (sign clear) that is a finite number. */
  readonly maxFiniteMag: number;
  /** Unbiased exponent and significand (with hidden bit) of the largest finite magnitude. */
  readonly emax: number;
  readonly maxSig: number;
  /** Code of +inf, or -1 when the format has no infinity. */
  readonly infCode: number;
  /** Code of the canonical NaN, or -1 when the format has no NaN. */
  readonly nanCode: number;
}

/** docs/arithmetic.md §2: to nearest (ties to even, ties away), toward zero, toward -inf, toward
 *  +inf, and to odd: each a function of the exact value alone. */
export const DETERMINISTIC_MODES = ['rne', 'rna', 'rtz', 'rdn', 'rup', 'rod'] as const;
export type DeterministicMode = (typeof DETERMINISTIC_MODES)[number];

/** The deterministic modes and stochastic rounding (`rsr`), which also takes a draw of the random
 *  stream (core/random-stream.ts). The config schema's enum is this list. */
export const ROUNDING_MODES = [...DETERMINISTIC_MODES, 'rsr'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

const NAMED: Record<string, FormatSpec> = {
  fp32: { exp: 8, man: 23 },
  fp16: { exp: 5, man: 10 },
  bf16: { exp: 8, man: 7 },
  e5m2: { exp: 5, man: 2 },
  e4m3: { exp: 4, man: 3, specials: 'fn', overflow: 'saturate' },
};
export const NAMED_FORMATS: readonly string[] = Object.keys(NAMED);

function checkInt(field: string, v: unknown, min: number, max: number, where: string): number {
  if (v === undefined) throw new LbamacError(`${where}: ${field} is missing; expected an integer from ${min} to ${max}`);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new LbamacError(`${where}: ${field} = ${JSON.stringify(v)} is not allowed; expected an integer from ${min} to ${max}`);
  }
  return v;
}

/** Validates a FormatSpec and derives the constants. `where` prefixes error messages. */
export function makeFormat(spec: FormatSpec, where = 'format', limits: FormatLimits = LIMITS): Format {
  if (typeof spec !== 'object' || spec === null) throw new LbamacError(`${where}: expected a format object, got ${JSON.stringify(spec)}`);
  for (const key of Object.keys(spec)) {
    if (!['exp', 'man', 'bias', 'subnormals', 'specials', 'overflow'].includes(key)) {
      throw new LbamacError(`${where}: unknown field "${key}"; allowed: exp, man, bias, subnormals, specials, overflow`);
    }
  }
  const exp = checkInt('exp', spec.exp, limits.exp.min, limits.exp.max, where);
  const man = checkInt('man', spec.man, limits.man.min, limits.man.max, where);
  const bias = spec.bias === undefined ? 2 ** (exp - 1) - 1 : checkInt('bias', spec.bias, limits.bias.min, limits.bias.max, where);
  const subnormals = spec.subnormals ?? true;
  if (typeof subnormals !== 'boolean') throw new LbamacError(`${where}: subnormals = ${JSON.stringify(subnormals)} is not allowed; expected true or false`);
  const specials = spec.specials ?? 'ieee';
  if (!['ieee', 'fn', 'none'].includes(specials)) {
    throw new LbamacError(`${where}: specials = ${JSON.stringify(specials)} is not allowed; expected "ieee", "fn" or "none"`);
  }
  if (specials === 'ieee' && man < 1) {
    throw new LbamacError(`${where}: specials = "ieee" needs man >= 1 (NaN and inf must differ), got man = ${man}; use "fn" or "none"`);
  }
  const overflow = spec.overflow ?? (specials === 'ieee' ? 'inf' : 'saturate');
  if (!['inf', 'saturate'].includes(overflow)) {
    throw new LbamacError(`${where}: overflow = ${JSON.stringify(overflow)} is not allowed; expected "inf" or "saturate"`);
  }
  if (overflow === 'inf' && specials !== 'ieee') {
    throw new LbamacError(`${where}: overflow = "inf" needs specials = "ieee" (the format has no infinity), got specials = "${specials}"`);
  }

  const signBit = 2 ** (exp + man);
  const hidden = 2 ** man;
  const allOnesField = 2 ** exp - 1;
  // The largest finite magnitude code sits just below the first special code (or is all ones).
  const maxFiniteMag = specials === 'ieee' ? allOnesField * hidden - 1 : specials === 'fn' ? signBit - 2 : signBit - 1;
  const maxField = Math.floor(maxFiniteMag / hidden);
  const resolved = { exp, man, bias, subnormals, specials, overflow };
  return Object.freeze({
    ...resolved,
    name: formatName(resolved),
    width: 1 + exp + man,
    signBit,
    hidden,
    emin: 1 - bias,
    maxFiniteMag,
    emax: maxField - bias,
    maxSig: hidden + (maxFiniteMag % hidden),
    infCode: specials === 'ieee' ? allOnesField * hidden : -1,
    nanCode: specials === 'ieee' ? allOnesField * hidden + hidden / 2 : specials === 'fn' ? signBit - 1 : -1,
  });
}

type Resolved = Required<FormatSpec>;

function formatName(f: Resolved): string {
  for (const [name, spec] of Object.entries(NAMED)) {
    if (sameResolved(f, resolveDefaults(spec))) return name;
  }
  const parts = [`e${f.exp}m${f.man}`];
  if (f.bias !== 2 ** (f.exp - 1) - 1) parts.push(f.bias < 0 ? `bn${-f.bias}` : `b${f.bias}`);
  if (!f.subnormals) parts.push('ftz');
  if (f.specials !== 'ieee') parts.push(f.specials);
  else if (f.exp === 4 && f.man === 3) parts.push('ieee'); // plain "e4m3" names OCP E4M3FN
  const defaultOverflow = f.specials === 'ieee' ? 'inf' : 'saturate';
  if (f.overflow !== defaultOverflow) parts.push(f.overflow === 'saturate' ? 'sat' : 'inf');
  return parts.join('_');
}

function resolveDefaults(s: FormatSpec): Resolved {
  const specials = s.specials ?? 'ieee';
  return {
    exp: s.exp,
    man: s.man,
    bias: s.bias ?? 2 ** (s.exp - 1) - 1,
    subnormals: s.subnormals ?? true,
    specials,
    overflow: s.overflow ?? (specials === 'ieee' ? 'inf' : 'saturate'),
  };
}

function sameResolved(a: Resolved, b: Resolved): boolean {
  return a.exp === b.exp && a.man === b.man && a.bias === b.bias && a.subnormals === b.subnormals && a.specials === b.specials && a.overflow === b.overflow;
}

export function sameFormat(a: Format, b: Format): boolean {
  return sameResolved(a, b);
}

const NAME_RE = /^e(\d+)m(\d+)((?:_[a-z0-9]+)*)$/;

/** The suffix groups of a format name, in the order a name must give them. */
const SUFFIX_GROUPS = [/^bn?\d+$/, /^ftz$/, /^(fn|none|ieee)$/, /^(sat|inf)$/];

/** Parses a named format or an `eXmY[_bN|_bnN][_ftz][_fn|_none|_ieee][_sat|_inf]` string. */
export function parseFormatName(text: string, where = 'format'): Format {
  const named = NAMED[text];
  if (named) return makeFormat(named, where);
  const m = NAME_RE.exec(text);
  if (!m) {
    const negative = /_b-(\d+)/.exec(text);
    const hint = negative ? `; a negative bias is written _bn${negative[1]}` : '';
    throw new LbamacError(`${where}: "${text}" is not a format; expected one of ${NAMED_FORMATS.join(', ')} or eXmY (e.g. e4m7, e4m7_b10_ftz_none)${hint}`);
  }
  const spec: FormatSpec = { exp: Number(m[1]), man: Number(m[2]) };
  // One suffix per group, in the groups' order: a name says each property once, one way.
  let last = -1;
  let lastSuffix = '';
  for (const suffix of (m[3] ?? '').split('_').filter(Boolean)) {
    const group = SUFFIX_GROUPS.findIndex((re) => re.test(suffix));
    if (group < 0) throw new LbamacError(`${where}: unknown suffix "_${suffix}" in "${text}"; allowed: _bN, _bnN, _ftz, _fn, _none, _ieee, _sat, _inf`);
    if (group <= last) {
      const why = group === last ? `"_${lastSuffix}" and "_${suffix}" say the same property` : `"_${suffix}" comes after "_${lastSuffix}"`;
      throw new LbamacError(`${where}: ${why} in "${text}"; suffixes go once each, in this order: _bN or _bnN, _ftz, _fn/_none/_ieee, _sat/_inf`);
    }
    last = group;
    lastSuffix = suffix;
    const bias = /^b(n?)(\d+)$/.exec(suffix);
    if (bias) spec.bias = (bias[1] ? -1 : 1) * Number(bias[2]);
    else if (suffix === 'ftz') spec.subnormals = false;
    else if (suffix === 'sat' || suffix === 'inf') spec.overflow = suffix === 'sat' ? 'saturate' : 'inf';
    else spec.specials = suffix as 'fn' | 'none' | 'ieee';
  }
  return makeFormat(spec, where);
}

/** A format as it appears in a config: a name string or a FormatSpec object. */
export type FormatInput = string | FormatSpec;

export function toFormat(input: FormatInput, where = 'format'): Format {
  return typeof input === 'string' ? parseFormatName(input, where) : makeFormat(input, where);
}

/** The resolved fields only, for JSON output and manifests. */
export function formatSpecOf(f: Format): Required<FormatSpec> {
  return { exp: f.exp, man: f.man, bias: f.bias, subnormals: f.subnormals, specials: f.specials, overflow: f.overflow };
}
