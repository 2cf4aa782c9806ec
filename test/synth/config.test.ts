import { expect } from 'chai';
import { resolveConfig } from '../../config/resolve.js';
import { buildArch } from '../../arch/build.js';
import { designFor, fp32Baseline, isFp32Accumulation, scopeConfig, synthesizeConfig } from '../../synth/config.js';

/** A small array; acc and w vary per test. */
const config = (over: Record<string, unknown> = {}) =>
  resolveConfig({ rows: 3, cols: 2, a: 'e2m1', w: 'e2m1', product: 'exact', acc: 'e3m4', rounding: { acc: 'rtz' }, ...over });

describe('synth/config', function () {
  this.timeout(120_000);

  it('the PE is synthesized from a 1 x 1 array, so every array shape shares its result', () => {
    const pe = scopeConfig(config(), 'pe');
    expect([pe.rows, pe.cols]).to.deep.equal([1, 1]);
    const a = designFor(config({ rows: 4, cols: 4 }), 'pe');
    const b = designFor(config({ rows: 1, cols: 7 }), 'pe');
    expect(a).to.deep.equal(b);
    expect(a.top).to.match(/^lbamac_pe/);
    const array = designFor(config(), 'array');
    expect(array.top).to.not.equal(a.top);
    expect(array.source).to.not.deep.equal(a.source);
  });

  it('the fp32 baseline changes the accumulator and chunk total to fp32 and nothing else', () => {
    const cfg = config({ chunk: 8, total: 'e5m6', product: 'e3m3' });
    const base = fp32Baseline(cfg);
    expect(base.acc.name).to.equal('fp32');
    expect(base.total.name).to.equal('fp32');
    expect({ ...base, acc: null, total: null }).to.deep.equal({ ...cfg, acc: null, total: null });
    expect(isFp32Accumulation(cfg)).to.equal(false);
    expect(isFp32Accumulation(base)).to.equal(true);
    expect(isFp32Accumulation(config({ acc: 'e8m23' }))).to.equal(true);
    expect(isFp32Accumulation(config({ acc: 'fp32', chunk: 4, total: 'fp16' }))).to.equal(false);
    // A fixed-point register into fp32 is compared against the float fp32 accumulator.
    const fixed = config({ acc: { fixed: { msb: 12, lsb: -8 }, overflow: 'wrap', out: 'fp32' } });
    expect(isFp32Accumulation(fixed)).to.equal(false);
    const fixedBase = fp32Baseline(fixed);
    expect(fixedBase.fixed).to.equal(undefined);
    expect(isFp32Accumulation(fixedBase)).to.equal(true);
  });

  it('gates: a PE with a fixed-point accumulator synthesizes, one flip-flop per register bit of its description', async () => {
    const cfg = config({ acc: { fixed: { msb: 6, lsb: -4 }, overflow: 'wrap', out: 'e3m4' } });
    const r = await synthesizeConfig(cfg, 'gates', 'pe', null);
    const bits = buildArch(scopeConfig(cfg, 'pe')).pe.registers.reduce((n, reg) => n + reg.width, 0);
    expect(r.resources.counts.ff).to.equal(bits);
    expect(r.resources.counts.gate).to.be.greaterThan(0);
  });

  it('gates: a PE with a narrower accumulator has fewer gates and flip-flops', async () => {
    const narrow = await synthesizeConfig(config({ acc: 'e3m4' }), 'gates', 'pe', null);
    const wide = await synthesizeConfig(config({ acc: 'e5m10' }), 'gates', 'pe', null);
    expect(narrow.resources.counts.ff).to.be.lessThan(wide.resources.counts.ff);
    expect(narrow.resources.counts.gate).to.be.lessThan(wide.resources.counts.gate);
    expect(narrow.depth).to.be.a('number');
    console.log(`        PE e2m1 -> e3m4: ${narrow.area} gates+FFs (${narrow.seconds.toFixed(1)} s); -> e5m10: ${wide.area} (${wide.seconds.toFixed(1)} s)`);
  });
});
