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

/** Adds b into a and returns a. */
export function addEvents(a: EventCounts, b: EventCounts): EventCounts {
  for (const k of EVENT_NAMES) a[k] += b[k];
  return a;
}
