// The properties of a float format as a user reads them (`lbamac formats`): ranges, codes and
// precision. Every value is sig·2^q with an integer sig, so it is printed exactly as a power of
// two and, where the decimal expansion is short, exactly in decimal too.
import { LbamacError } from './errors.js';
import { type Format, type FormatSpec, makeFormat, parseFormatName } from './format.js';

/** A value sig·2^q shown three ways. */
export interface ExactValue {
  /** Exact decimal when it has at most 17 significant digits, else "≈" and 8 digits. */
  decimal: string;
  /** The significand in [1, 2), exact ("1.75"). */
  significand: string;
  /** The power of two: value = significand · 2^exp2. */
  exp2: number;
}

export interface FormatDescription {
  name: string;
  width: number;
  exp: number;
  man: number;
  bias: number;
  subnormals: boolean;
  specials: Format['specials'];
  overflow: Format['overflow'];
  /** Unbiased exponents of the smallest normal and of the largest finite value. */
  emin: number;
  emax: number;
  /** null when the format has no subnormals (off, or man = 0). */
  smallestSubnormal: ExactValue | null;
  smallestNormal: ExactValue;
  largestFinite: ExactValue;
  /** 2^-man: the gap between 1 and the next larger value. */
  epsilon: ExactValue;
  /** Significand bits including the hidden bit: man + 1. */
  precisionBits: number;
  /** Codes as "0x…" hex of the format's width. */
  codes: {
    zero: string;
    negZero: string;
    smallestSubnormal: string | null;
    smallestNormal: string;
    largestFinite: string;
    inf: string | null;
    negInf: string | null;
    /** The canonical NaN results are rounded to, or null without NaN. */
    nan: string | null;
    /** Every NaN code, as ranges "0x7c01-0x7fff". */
    nanCodes: string[];
  };
}

/** A name, an eXmY string or a JSON format object, as given on the command line. */
export function parseFormatArg(text: string): Format {
  const where = 'format';
  if (!text.trim().startsWith('{')) return parseFormatName(text.trim(), where);
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (err) {
    throw new LbamacError(`${where}: ${JSON.stringify(text)} is not valid JSON (${(err as Error).message})`);
  }
  return makeFormat(spec as FormatSpec, where);
}

export function hexCode(code: number, f: Format): string {
  return '0x' + code.toString(16).padStart(Math.ceil(f.width / 4), '0');
}

export function describeFormat(f: Format): FormatDescription {
  const hex = (code: number): string => hexCode(code, f);
  const minNormalCode = f.hidden; // exponent field 1, mantissa 0
  const hasSubnormals = f.subnormals && f.man > 0; // with man = 0, exponent field 0 holds only zeros
  const nanCodes: string[] = [];
  if (f.specials === 'ieee') {
    for (const sign of [0, f.signBit]) nanCodes.push(`${hex(sign + f.infCode + 1)}-${hex(sign + f.infCode + f.hidden - 1)}`);
  } else if (f.specials === 'fn') {
    nanCodes.push(hex(f.nanCode), hex(f.signBit + f.nanCode));
  }
  return {
    name: f.name,
    width: f.width,
    exp: f.exp,
    man: f.man,
    bias: f.bias,
    subnormals: f.subnormals,
    specials: f.specials,
    overflow: f.overflow,
    emin: f.emin,
    emax: f.emax,
    smallestSubnormal: hasSubnormals ? exactValue(1, f.emin - f.man) : null,
    smallestNormal: exactValue(1, f.emin),
    largestFinite: exactValue(f.maxSig, f.emax - f.man),
    epsilon: exactValue(1, -f.man),
    precisionBits: f.man + 1,
    codes: {
      zero: hex(0),
      negZero: hex(f.signBit),
      smallestSubnormal: hasSubnormals ? hex(1) : null,
      smallestNormal: hex(minNormalCode),
      largestFinite: hex(f.maxFiniteMag),
      inf: f.infCode >= 0 ? hex(f.infCode) : null,
      negInf: f.infCode >= 0 ? hex(f.signBit + f.infCode) : null,
      nan: f.nanCode >= 0 ? hex(f.nanCode) : null,
      nanCodes,
    },
  };
}

/** "1.75·2^8" (or "2^8" when the significand is 1). */
export function powerForm(v: ExactValue): string {
  return v.significand === '1' ? `2^${v.exp2}` : `${v.significand}·2^${v.exp2}`;
}

/** sig·2^q for a positive integer sig (a number below 2^53, or a bigint). */
export function exactValue(sig: number | bigint, q: number): ExactValue {
  const bits = sig.toString(2).length;
  const frac = bits - 1; // sig / 2^frac is in [1, 2)
  return { decimal: decimalOf(BigInt(sig), q), significand: dyadicDecimal(BigInt(sig), frac), exp2: q + frac };
}

/** sig / 2^frac written out exactly: a dyadic fraction has exactly frac decimal places at most. */
function dyadicDecimal(sig: bigint, frac: number): string {
  const digits = (sig * 5n ** BigInt(frac)).toString().padStart(frac + 1, '0');
  const int = digits.slice(0, digits.length - frac);
  const rest = digits.slice(digits.length - frac).replace(/0+$/, '');
  return rest ? `${int}.${rest}` : int;
}

/** Beyond this |q| the exact expansion is too long to be worth building; log10 gives 8 digits. */
const EXACT_Q_LIMIT = 4096;
const SIG_DIGITS = 8;

function decimalOf(sig: bigint, q: number): string {
  if (Math.abs(q) > EXACT_Q_LIMIT) return approxDecimal(Number(sig), q);
  // value = digits · 10^exp10 with integer digits.
  let digits = q >= 0 ? (sig << BigInt(q)).toString() : (sig * 5n ** BigInt(-q)).toString();
  let exp10 = q >= 0 ? 0 : q;
  const trailing = /0*$/.exec(digits)![0].length;
  if (trailing > 0) {
    digits = digits.slice(0, -trailing);
    exp10 += trailing;
  }
  const sci = digits.length - 1 + exp10; // value = d.ddd · 10^sci
  if (digits.length > 17) return '≈' + scientific(roundDigits(digits, SIG_DIGITS), sci);
  if (sci >= -7 && sci < 21) {
    if (exp10 >= 0) return digits + '0'.repeat(exp10);
    const point = digits.length + exp10;
    return point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return scientific(digits, sci);
}

/** Rounds a digit string to n digits, half up; a carry out (9.99 → 10.0) keeps n digits. */
function roundDigits(digits: string, n: number): { digits: string; carry: boolean } {
  const head = BigInt(digits.slice(0, n)) + (digits.charCodeAt(n) >= 53 /* '5' */ ? 1n : 0n);
  const s = head.toString();
  return s.length > n ? { digits: s.slice(0, n), carry: true } : { digits: s, carry: false };
}

function scientific(d: string | { digits: string; carry: boolean }, sci: number): string {
  const { digits, carry } = typeof d === 'string' ? { digits: d, carry: false } : d;
  const e = sci + (carry ? 1 : 0);
  const mant = digits.replace(/0+$/, '') || '0';
  return `${mant[0]}${mant.length > 1 ? '.' + mant.slice(1) : ''}e${e < 0 ? '-' : '+'}${Math.abs(e)}`;
}

/** For extreme biases only: 8 significant digits from log10, good for |q| up to ~2^24. */
function approxDecimal(sig: number, q: number): string {
  const l = Math.log10(sig) + q * Math.log10(2);
  let e = Math.floor(l);
  let m = Number((10 ** (l - e)).toFixed(SIG_DIGITS - 1));
  if (m >= 10) {
    m /= 10;
    e += 1;
  }
  return '≈' + scientific(m.toFixed(SIG_DIGITS - 1).replace('.', ''), e);
}
