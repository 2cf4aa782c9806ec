// What happened to real values on their way into a format (docs/arithmetic.md §2, "Inputs from
// real numbers"). A code does not say that its value was clipped or rounded, so whoever converts
// a whole matrix keeps a tally and can tell the user.
import { EV_INEXACT, EV_OVERFLOW, EV_TINY, fromFloat64, type RoundingCode, status } from './arith.js';
import type { Format } from './format.js';

/** Each converted value counts in at most one of overflow, underflow, inexact (in that order). */
export interface ConversionCounts {
  /** Real values converted (bit patterns given as codes are not conversions). */
  values: number;
  /** Finite values beyond the largest finite, or infinities into a format without inf: saturated or turned to inf. */
  overflow: number;
  /** Nonzero values that became zero or subnormal. */
  underflow: number;
  /** Values rounded to a nearby code of the format. */
  inexact: number;
}

export function zeroConversions(): ConversionCounts {
  return { values: 0, overflow: 0, underflow: 0, inexact: 0 };
}

/** Adds b into a and returns a. */
export function addConversions(a: ConversionCounts, b: ConversionCounts): ConversionCounts {
  a.values += b.values;
  a.overflow += b.overflow;
  a.underflow += b.underflow;
  a.inexact += b.inexact;
  return a;
}

export function anyConversionEvent(c: ConversionCounts): boolean {
  return c.overflow + c.underflow + c.inexact > 0;
}

/** fromFloat64 into one format, counting as it goes. */
export class ConversionTally {
  readonly counts = zeroConversions();
  /** The overflowed value of largest magnitude and the code it became. */
  largestOverflow: { value: number; code: number } | null = null;

  constructor(
    readonly format: Format,
    private readonly mode: RoundingCode,
  ) {}

  convert(x: number): number {
    const code = fromFloat64(x, this.format, this.mode);
    const flags = status.flags;
    this.counts.values++;
    // fromFloat64 raises no flag for an infinity; one that has no code of its own is clipped all the same.
    if (flags & EV_OVERFLOW || (Math.abs(x) === Infinity && this.format.infCode < 0)) {
      this.counts.overflow++;
      if (this.largestOverflow === null || Math.abs(x) > Math.abs(this.largestOverflow.value)) this.largestOverflow = { value: x, code };
    } else if (flags & EV_TINY) this.counts.underflow++;
    else if (flags & EV_INEXACT) this.counts.inexact++;
    return code;
  }
}
