import { expect } from 'chai';
import type { PointResult } from '../../sweep/point.js';
import { architectureOf, architectureRows, workloadCell } from '../../report/architectures.js';
import { fakePoint } from './fake.js';

const FP = { exp: 8, man: 23, bias: 127, subnormals: true, specials: 'ieee', overflow: 'inf' };
const config = (over: Record<string, unknown>) => ({ rounding: { acc: 'rtz', product: 'rne' }, acc: { exp: 4, man: 7 }, ...over }) as unknown as PointResult['config'];

/** A curve of one block over mantissas `mans` on each workload. */
function curve(block: string, mans: number[], workloads: string[], over: Partial<PointResult> = {}): PointResult[] {
  return workloads.flatMap((workload) => mans.map((accMan) => fakePoint({ block, workload, accMan, config: config({}), ...over })));
}

describe('report/architectures: the architectures side by side', () => {
  it('names FMA cells, dot-product cells, fixed-point registers and stochastic rounding', () => {
    expect(architectureOf(fakePoint({ accMan: 7, config: config({}) }))).to.equal('fused FMA cell');
    expect(architectureOf(fakePoint({ accMan: 7, product: 'e5m10', config: config({}) }))).to.equal('rounded-product FMA cell');
    expect(architectureOf(fakePoint({ accMan: 13, config: config({ lanes: 32, alignBits: 14 }) }))).to.equal('dot-product cell, 32 products per step, 14 bits kept');
    expect(architectureOf(fakePoint({ accMan: 13, config: config({ lanes: 4, alignBits: 'exact' }) }))).to.equal('dot-product cell, 4 products per step, exact alignment');
    expect(architectureOf(fakePoint({ accMan: 23, config: config({ acc: { fixed: { msb: 29, lsb: -18 }, overflow: 'saturate', out: FP } }) }))).to.equal(
      'fixed-point register, bits 2^29..2^-18 (saturate), one rounding at the end',
    );
    expect(architectureOf(fakePoint({ accMan: 7, config: config({ rounding: { acc: 'rsr', product: 'rne', randomBits: 8, seed: 1 } }) }))).to.equal('fused FMA cell, stochastic rounding (8 random bits)');
  });

  it('one row per curve at mantissa 7 (else its widest), one per baseline, each with its points on every workload', () => {
    const wide = curve('e4', [1, 2, 7, 10], ['mnist', 'gauss']);
    const narrow = curve('e5', [1, 2, 3], ['mnist', 'gauss'], { rounding: 'rtz' });
    const base = curve('fp32', [23], ['mnist', 'gauss'], { role: 'baseline' });
    const rows = architectureRows([...wide, ...narrow, ...base]);
    expect(rows.map((r) => [r.block, r.baseline, [...r.points.values()].map((p) => p.accMan)])).to.deep.equal([
      ['e4', false, [7, 7]],
      ['e5', false, [3, 3]],
      ['fp32', true, [23, 23]],
    ]);
    expect([...rows[0]!.points.keys()]).to.deep.equal(['mnist', 'gauss']);
  });

  it("shows a classifier's accuracy and a synthetic workload's NRMSE with its largest relative error", () => {
    expect(workloadCell(fakePoint({ accMan: 7, accuracy: 0.9812 }))).to.equal('98.1%');
    const g = fakePoint({ accMan: 7, kind: 'synthetic', accuracy: null });
    g.metrics = { ...g.metrics, nrmse: 0.0123, maxRelError: 0.069 };
    expect(workloadCell(g)).to.equal('1.2e-2 (max 6.9%)');
    expect(workloadCell(undefined)).to.equal('');
  });
});
