import { expect } from 'chai';
import { canonicalConfig } from '../../config/canonical.js';
import { resolveConfig } from '../../config/resolve.js';

describe('config/canonical', () => {
  it('writes a fixed-point accumulator back as the config names it, and resolves to the same', () => {
    const cfg = resolveConfig({ a: 'e4m3', w: 'e4m3', product: 'exact', acc: { fixed: { msb: 29, lsb: -18 }, overflow: 'saturate', out: 'fp16' } });
    const canonical = canonicalConfig(cfg);
    const fp16 = { exp: 5, man: 10, bias: 15, subnormals: true, specials: 'ieee', overflow: 'inf' };
    expect(canonical.acc).to.deep.equal({ fixed: { msb: 29, lsb: -18 }, overflow: 'saturate', out: fp16 });
    expect(resolveConfig(canonical)).to.deep.equal(cfg);
    // A float accumulator keeps its plain format (and so the hash it always had).
    expect(canonicalConfig(resolveConfig({ a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'fp16' })).acc).to.deep.equal(fp16);
  });
});
