// Event counts of docs/arithmetic.md §5, per output and in total.

export interface EventCounts {
  productOverflow: number;
  productUnderflow: number;
  accOverflow: number;
  accUnderflow: number;
  swamping: number;
  nan: number;
}

export const EVENT_NAMES: readonly (keyof EventCounts)[] = ['productOverflow', 'productUnderflow', 'accOverflow', 'accUnderflow', 'swamping', 'nan'];

export function zeroEvents(): EventCounts {
  return { productOverflow: 0, productUnderflow: 0, accOverflow: 0, accUnderflow: 0, swamping: 0, nan: 0 };
}

/** The counts held at counters[at .. at + 5] in EVENT_NAMES order (the kernels' EVI order): a
 *  literal, not a loop over the names, since the simulator builds one per output and per PE. */
export function eventsAt(counters: ArrayLike<number>, at: number): EventCounts {
  return {
    productOverflow: counters[at]!,
    productUnderflow: counters[at + 1]!,
    accOverflow: counters[at + 2]!,
    accUnderflow: counters[at + 3]!,
    swamping: counters[at + 4]!,
    nan: counters[at + 5]!,
  };
}

/** Adds b into a and returns a. */
export function addEvents(a: EventCounts, b: EventCounts): EventCounts {
  for (const k of EVENT_NAMES) a[k] += b[k];
  return a;
}
