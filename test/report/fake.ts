// Hand-made PointResults for the report's unit tests: only the fields the analysis reads vary.
import { zeroEvents } from '../../core/events.js';
import type { PointResult } from '../../sweep/point.js';

let counter = 0;

export function fakePoint(over: Partial<PointResult> & { accMan: number }): PointResult {
  const id = (counter++).toString(16).padStart(12, '0');
  const M = over.M ?? 100;
  const base: PointResult = {
    id,
    index: counter,
    block: 'b',
    role: 'grid',
    workload: 'mnist',
    kind: 'mnist-mlp',
    M,
    K: 784,
    N: 128,
    a: 'e4m3',
    w: 'e4m3',
    product: 'exact',
    acc: `e5m${over.accMan}`,
    accExp: 5,
    accMan: over.accMan,
    accBias: 15,
    accWidth: 6 + over.accMan,
    accSubnormals: true,
    accSpecials: 'ieee',
    accOverflow: 'inf',
    rounding: 'rne',
    roundingProduct: 'rne',
    roundingInput: 'rne',
    chunk: null,
    sparsity: 'dense',
    metrics: { nrmse: 2 ** -over.accMan, meanRelError: 0, maxRelError: 0, outputs: 1, nonzeroRefs: 1, nonFinite: 0 },
    events: { ...zeroEvents(), swamping: 1000 >> over.accMan },
    terms: 1000,
    swampingRate: (1000 >> over.accMan) / 1000,
    accuracy: 0.9,
    accuracyFloat64: 0.95,
    accuracyExactAcc: 0.94,
    layers: [{ name: 'layer 1', M, K: 784, N: 128, terms: M * 128 * 150, events: zeroEvents(), metrics: null }],
    refMethod: 'float64',
    area: null,
    seconds: 0,
    config: {} as PointResult['config'],
  };
  return { ...base, ...over };
}

/** One curve of accuracies for mantissas 1..n. */
export function curve(accuracies: number[], over: Partial<PointResult> = {}): PointResult[] {
  return accuracies.map((accuracy, i) => fakePoint({ ...over, accMan: i + 1, accuracy }));
}
