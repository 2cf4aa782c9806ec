import { expect } from 'chai';
import { accuracyReference, collapseOf, findings, paretoFront, seriesOf } from '../../report/analysis.js';
import { curve, fakePoint } from './fake.js';

describe('report/analysis', () => {
  const baseline = fakePoint({ accMan: 23, role: 'baseline', block: 'fp32', acc: 'fp32', accuracy: 0.95 });

  it('groups grid points into curves over the mantissa, labelled by what varies within a block', () => {
    const rtz = curve([0.1, 0.5, 0.9], { rounding: 'rtz' });
    const rne = curve([0.3, 0.8, 0.95], { rounding: 'rne' });
    const s = seriesOf([...rtz, ...rne, baseline]);
    expect(s.map((x) => x.label)).to.deep.equal(['rtz', 'rne']);
    expect(s[0]!.points.map((p) => p.accMan)).to.deep.equal([1, 2, 3]);
    // A second block adds its name; a field that differs only between blocks does not show.
    const other = curve([0.2, 0.4], { block: 'c', accExp: 4, rounding: 'rtz' });
    expect(seriesOf([...rtz, ...rne, ...other]).map((x) => x.label)).to.deep.equal(['b rtz', 'b rne', 'c rtz']);
  });

  it('finds where a curve holds within a point of the reference and where it collapses', () => {
    const pts = curve([0.1, 0.3, 0.52, 0.8, 0.945, 0.95, 0.951]);
    const [s] = seriesOf([...pts, baseline]);
    const ref = accuracyReference([...pts, baseline], 'mnist')!;
    expect(ref.accuracy).to.equal(0.95);
    const c = collapseOf(s!, ref);
    expect(c.holdsFrom!.accMan).to.equal(5);
    expect(c.collapseBelow).to.be.closeTo(0.525, 1e-12);
    expect(c.collapsedAt!.accMan).to.equal(3); // 0.52 < 0.525: collapsed; 0.8 is not
    // A dip below the tolerance at a wider mantissa moves "holds from" above it.
    const dip = curve([0.5, 0.95, 0.93, 0.95]);
    expect(collapseOf(seriesOf([...dip, baseline])[0]!, ref).holdsFrom!.accMan).to.equal(4);
  });

  it('without a baseline block, holds accuracy against exact accumulation', () => {
    const pts = curve([0.2, 0.9], { accuracyExactAcc: 0.91 });
    expect(accuracyReference(pts, 'mnist')).to.include({ accuracy: 0.91 });
  });

  it('writes the findings from the measured numbers, citing the points it quotes', () => {
    const pts = curve([0.1, 0.12, 0.3, 0.7, 0.9, 0.94, 0.95, 0.95, 0.95, 0.95]);
    const f = findings([...pts, baseline]);
    const glance = f.find((x) => x.title.includes('at a glance'))!;
    expect(glance.text).to.include('of the baseline block fp32 (95.0%)').and.include('b: e5m6 (12 bits, 94.0%)');
    expect(glance.ids).to.deep.equal([baseline.id, pts[5]!.id]);
    const collapse = f.find((x) => x.title.includes('collapses'))!;
    expect(collapse.text).to.include('from e5m6 up (94.0%');
    expect(collapse.text).to.include('at m = 3 and below: 30.0%');
    expect(collapse.ids).to.include(pts[2]!.id).and.include(pts[5]!.id).and.include(baseline.id);
    // Other numbers, other text.
    const moved = curve([0.1, 0.12, 0.2, 0.4, 0.9, 0.92, 0.95, 0.95, 0.95, 0.95]);
    const text2 = findings([...moved, baseline]).find((x) => x.title.includes('collapses'))!.text;
    expect(text2).to.include('from e5m7 up').and.include('at m = 4 and below: 40.0%');
    const why = f.find((x) => x.title.includes('why'))!;
    expect(why.text).to.include('K = 784').and.include('150.0 on average are nonzero').and.include(`log2(150.0) = ${Math.log2(150).toFixed(1)}`);
    const paper = f.find((x) => x.title.includes('ResNet18'))!;
    expect(paper.text).to.include('95.0% at e5m10, 95.0% at e5m7, 94.0% at e5m6').and.include('69.5% with e5m10');
    expect(paper.ids).to.deep.equal([pts[9]!.id, pts[6]!.id, pts[5]!.id]);
  });

  it('compares chunked and unchunked curves and rtz with rne', () => {
    const pts = [
      ...curve([0.1, 0.2, 0.5, 0.9, 0.95, 0.95], { rounding: 'rtz', chunk: null }),
      ...curve([0.2, 0.6, 0.95, 0.95, 0.95, 0.95], { rounding: 'rtz', chunk: 16 }),
      ...curve([0.5, 0.95, 0.95, 0.95, 0.95, 0.95], { rounding: 'rne', chunk: null }),
    ];
    const why = findings([...pts, baseline]).find((x) => x.title.includes('why'))!.text;
    expect(why).to.include('accuracy holds from m = 3 instead of m = 5 (2 bits fewer)');
    expect(why).to.include('accuracy holds from m = 5 with rtz and from m = 2 with rne');
  });

  it('the Pareto front keeps the points nothing cheaper beats', () => {
    const pts = [
      { x: 8, y: 0.5 },
      { x: 9, y: 0.4 },
      { x: 10, y: 0.9 },
      { x: 10, y: 0.8 },
      { x: 12, y: 0.9 },
      { x: 13, y: 0.95 },
    ];
    expect(paretoFront(pts, (p) => p.x, (p) => p.y)).to.deep.equal([pts[0], pts[2], pts[5]]);
  });

  it('gives the synthesized points\' areas against the fp32 baseline\'s, the front, the cheapest that holds, and how many have area', () => {
    const area = (perPE: number) => ({ perPE, unit: 'gates', source: 'test' });
    // m = 1..6, widths 7..12; m = 2 and m = 4 not synthesized; m = 5 costs more than m = 6 (off the front).
    const accs = [0.2, 0.5, 0.7, 0.935, 0.94, 0.945];
    const perPE = [500, null, 600, null, 760, 700];
    const grid = curve(accs).map((p, i) => ({ ...p, area: perPE[i] === null ? null : area(perPE[i]!) }));
    const base = fakePoint({ accMan: 23, acc: 'fp32', role: 'baseline', block: 'fp32', accuracy: 0.94, area: area(2000) });
    const f = findings([...grid, base]).find((x) => x.title === 'mnist: accuracy against area')!;
    expect(f.text).to.include('for 4 of the 6 grid points of mnist');
    expect(f.text).to.include('The baseline fp32 (fp32 accumulation): 2000 gates.');
    expect(f.text).to.include('by area: e5m1 (b): 500 gates = 25% of fp32\'s, 20.0%; e5m3 (b): 600 gates = 30% of fp32\'s, 70.0%; e5m6 (b): 700 gates = 35% of fp32\'s, 94.5%.');
    expect(f.text).to.include('The cheapest within 1 point of the fp32 accumulator of the baseline block fp32 (94.0%): e5m6 (b): 700 gates = 35% of fp32\'s, 94.5%, 65% less area than fp32 accumulation.');
    expect(f.text).to.include('12-bit accumulators: e5m6 (b): 700 gates = 35% of fp32\'s, 94.5% (65% fewer)');
    expect(f.ids).to.include.members([grid[0]!.id, grid[2]!.id, grid[5]!.id, base.id]);
    expect(f.ids).not.to.include(grid[4]!.id);
    // No area anywhere: no such finding.
    expect(findings([...curve(accs), fakePoint({ accMan: 23, role: 'baseline', accuracy: 0.94 })]).map((x) => x.title)).not.to.include('mnist: accuracy against area');
  });
});
