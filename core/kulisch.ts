// The Kulisch register for a configuration: the narrowest fixed-point accumulator (docs/arithmetic.md
// §3, "Fixed-point accumulation") whose sums of K products are exact, with no rounding onto the
// grid and no overflow, so that D is the exact sum rounded once into the output format.
//
//   lsb: every product is a multiple of 2^lsb. An exact product of a·w is a multiple of the
//        product of their last bits, 2^(qa + qw) with q = emin - man (subnormal or not, no value
//        of a format has a bit below it). A product rounded into a format P is a multiple of
//        2^qP as well and, rounded or not, of 2^(qa + qw) unless rounding made it coarser; so
//        lsb = max(qa + qw, qP), except that P's largest finite value (what an overflow saturates
//        to) may have a coarser last bit still, emax - man of P, when that is lower.
//   msb: |Σ| <= K · pmax, with pmax the largest finite product magnitude (a·w's largest, rounded
//        up into P where there is one: rounding is monotonic; or P's largest finite value where
//        an inf or NaN product becomes it); the register's top,
//        2^(msb+1) - 2^lsb, must reach it, so msb = floor(log2(K · pmax)).
// C is not covered unless asked for (`c`): it is rounded onto the grid like a term and may lose
// bits or overflow, and covering every C of a wide output format (fp32 beside fp8 products) would
// add a hundred bits for a value that is usually small. With `c`, lsb also reaches C's last bit
// and the bound takes C's largest finite value: K · pmax + cmax.
import { isInfCode, mul, RUP, unpackValue } from './arith.js';
import { exactValue, type ExactValue } from './describe.js';
import { FIXED_LIMITS } from './fixed.js';
import type { Format } from './format.js';

export interface KulischInput {
  a: Format;
  w: Format;
  /** null: exact products. */
  product: Format | null;
  /** Terms per dot product. */
  k: number;
  /** Also hold every finite C of this format (the output format) exactly. */
  c?: Format;
}

/** What set lsb: the exact products' last bit, the product format's grid (its smallest
 *  subnormal, or smallest normal's last bit), its saturation value's last bit, or C's last bit. */
export type LsbSource = 'exact-product' | 'product-format' | 'product-max' | 'c';

export interface KulischChoice {
  msb: number;
  lsb: number;
  /** msb + 2 - lsb. */
  width: number;
  lsbFrom: LsbSource;
  /** The candidates for lsb: qa + qw, and where they apply qP, P's top grid and C's last bit. */
  exactProductLsb: number;
  productFormatLsb: number | null;
  productMaxLsb: number | null;
  cLsb: number | null;
  largestProduct: ExactValue;
  /** pmax is the largest a times the largest w, exact or rounded up into P, or P's largest
   *  finite value (products beyond it are infinite, or specials become it). */
  largestProductFrom: 'exact' | 'rounded' | 'product-format-max';
  largestC: ExactValue | null;
  /** K · largestProduct (+ largestC): the largest |Σ|, below 2^(msb+1). */
  bound: ExactValue;
  /** Whether the register fits the limits of a config (FIXED_LIMITS.width). */
  configurable: boolean;
}

/** Exponent of the last bit of f's smallest nonzero magnitude's significand (and of every value's
 *  bits: none lies below it). */
function lastBit(f: Format): number {
  return f.emin - f.man;
}

function largestFinite(f: Format): { sig: bigint; q: number } {
  return { sig: BigInt(f.maxSig), q: f.emax - f.man };
}

/** pmax: the largest product magnitude a finite product can have. */
function largestProduct(a: Format, w: Format, product: Format | null): { sig: bigint; q: number; from: KulischChoice['largestProductFrom'] } {
  if (product === null) return { sig: BigInt(a.maxSig) * BigInt(w.maxSig), q: a.emax - a.man + w.emax - w.man, from: 'exact' };
  const top = { ...largestFinite(product), from: 'product-format-max' as const };
  // An infinite product in a format without inf, or a NaN one (a NaN operand, inf · 0) in a format
  // without NaN, becomes its largest finite value (docs/arithmetic.md §2).
  const infs = a.specials === 'ieee' || w.specials === 'ieee';
  const nans = a.specials !== 'none' || w.specials !== 'none';
  if ((infs && product.specials !== 'ieee') || (nans && product.specials === 'none')) return top;
  const code = mul(a, a.maxFiniteMag, w, w.maxFiniteMag, product, RUP);
  if (isInfCode(code, product)) return top; // beyond P's range: finite products stop at its largest
  const u = unpackValue(product, code);
  return { sig: BigInt(u.sig), q: u.q, from: 'rounded' };
}

export function kulisch({ a, w, product, k, c }: KulischInput): KulischChoice {
  const exactProductLsb = lastBit(a) + lastBit(w);
  const productFormatLsb = product === null ? null : lastBit(product);
  const productMaxLsb = product === null ? null : product.emax - product.man;
  const cLsb = c === undefined ? null : lastBit(c);
  let lsb = exactProductLsb;
  let lsbFrom: LsbSource = 'exact-product';
  if (productFormatLsb !== null && productFormatLsb > lsb) [lsb, lsbFrom] = [productFormatLsb, 'product-format'];
  if (productMaxLsb !== null && productMaxLsb < lsb) [lsb, lsbFrom] = [productMaxLsb, 'product-max'];
  if (cLsb !== null && cLsb < lsb) [lsb, lsbFrom] = [cLsb, 'c'];

  const p = largestProduct(a, w, product);
  const cmax = c === undefined ? null : largestFinite(c);
  // bound = K·pmax + cmax as an integer times 2^q0.
  const q0 = Math.min(p.q, cmax?.q ?? p.q);
  const bound = BigInt(k) * (p.sig << BigInt(p.q - q0)) + (cmax === null ? 0n : cmax.sig << BigInt(cmax.q - q0));
  const msb = Math.max(bound.toString(2).length - 1 + q0, lsb + 1);
  const width = msb + 2 - lsb;
  return {
    msb,
    lsb,
    width,
    lsbFrom,
    exactProductLsb,
    productFormatLsb,
    productMaxLsb,
    cLsb,
    largestProduct: exactValue(p.sig, p.q),
    largestProductFrom: p.from,
    largestC: cmax === null ? null : exactValue(cmax.sig, cmax.q),
    bound: exactValue(bound, q0),
    configurable: width <= FIXED_LIMITS.width.max,
  };
}
