// Small helpers for writing Verilog-2005 text by hand: widths, sized literals, extensions.
// Every literal the generators write is sized, so that `verilator -Wall` finds no width mismatch.

/** Bits needed to hold the unsigned value n (at least 1). */
export function bitsFor(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`bitsFor: ${n} is not a non-negative integer`);
  let bits = 1;
  while (2 ** bits <= n) bits++;
  return bits;
}

/** Bits of a two's complement number that holds every integer in [lo, hi]. */
export function signedBits(lo: number, hi: number): number {
  let bits = 2;
  while (lo < -(2 ** (bits - 1)) || hi > 2 ** (bits - 1) - 1) bits++;
  return bits;
}

/** `[w-1:0]` for a vector, nothing for a single bit. */
export function range(width: number): string {
  return width === 1 ? '' : `[${width - 1}:0]`;
}

/** An unsigned sized literal: 4'd9. Values above 2^53 are not needed here. */
export function lit(width: number, value: number): string {
  if (!Number.isSafeInteger(value) || value < 0 || (width < 53 && value >= 2 ** width)) {
    throw new Error(`lit: ${value} does not fit ${width} unsigned bits`);
  }
  return `${width}'d${value}`;
}

/** A hexadecimal sized literal, for codes: 16'h7c00. */
export function hex(width: number, value: number): string {
  if (!Number.isSafeInteger(value) || value < 0 || (width < 53 && value >= 2 ** width)) {
    throw new Error(`hex: ${value} does not fit ${width} unsigned bits`);
  }
  return `${width}'h${value.toString(16)}`;
}

/** A non-negative signed sized literal: 10'sd5. */
export function slit(width: number, value: number): string {
  if (!Number.isSafeInteger(value) || value < 0 || value > 2 ** (width - 1) - 1) {
    throw new Error(`slit: ${value} does not fit ${width} signed bits as a non-negative value`);
  }
  return `${width}'sd${value}`;
}

/** `expr + k` or `expr - |k|` with k as a signed literal of the given width (nothing when k = 0). */
export function plusConst(expr: string, k: number, width: number): string {
  if (k === 0) return expr;
  return k > 0 ? `${expr} + ${slit(width, k)}` : `${expr} - ${slit(width, -k)}`;
}

/** n zero bits: 1'b0 or {n{1'b0}}. */
export function zeros(n: number): string {
  if (n < 1) throw new Error(`zeros: ${n} bits`);
  return n === 1 ? `1'b0` : `{${n}{1'b0}}`;
}

/** An unsigned `expr` of `from` bits zero-extended to `to` bits, as a concatenation. */
export function zext(expr: string, from: number, to: number): string {
  if (to < from) throw new Error(`zext: ${from} bits do not fit ${to}`);
  return to === from ? expr : `{${zeros(to - from)}, ${expr}}`;
}

/** `expr` with `n` zero bits appended below (a left shift by a constant). */
export function padLow(expr: string, n: number): string {
  return n === 0 ? expr : `{${expr}, ${zeros(n)}}`;
}

/** Bit i of a vector of the given width (the name itself when it is a single bit). */
export function bit(name: string, width: number, i: number): string {
  if (i < 0 || i >= width) throw new Error(`bit: ${i} outside ${width} bits of ${name}`);
  return width === 1 ? name : `${name}[${i}]`;
}

/** Bits hi..lo of a vector of the given width. */
export function slice(name: string, width: number, hi: number, lo: number): string {
  if (lo < 0 || hi >= width || hi < lo) throw new Error(`slice: [${hi}:${lo}] outside ${width} bits of ${name}`);
  if (hi === width - 1 && lo === 0) return name;
  return hi === lo ? `${name}[${hi}]` : `${name}[${hi}:${lo}]`;
}

/** Joins terms with an operator, dropping absent ones; `empty` when none is left. */
export function joinTerms(terms: (string | null | undefined | false)[], op: string, empty: string): string {
  const kept = terms.filter((t): t is string => typeof t === 'string' && t.length > 0);
  if (kept.length === 0) return empty;
  return kept.length === 1 ? kept[0]! : kept.map((t) => (/^[\w\[\]:~!]+$/.test(t) ? t : `(${t})`)).join(` ${op} `);
}
