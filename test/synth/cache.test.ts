import { expect } from 'chai';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheKey, SynthCache } from '../../synth/cache.js';
import { synthesize } from '../../synth/synthesize.js';
import { yosysRuns } from '../../synth/yosys.js';
import { tempDir } from '../support/tmp.js';
import { acc8 } from './fixtures.js';

describe('synth/cache', function () {
  this.timeout(60_000);

  it('keys do not depend on the order of object keys, and do depend on every value', () => {
    expect(cacheKey({ a: 1, b: { c: 2, d: 3 } })).to.equal(cacheKey({ b: { d: 3, c: 2 }, a: 1 }));
    expect(cacheKey({ a: 1, b: { c: 2, d: 3 } })).to.not.equal(cacheKey({ a: 1, b: { c: 2, d: 4 } }));
  });

  it('stores and returns values; a missing, corrupt or foreign entry is a miss', async () => {
    const cache = new SynthCache(tempDir('synth-cache'));
    expect(await cache.get('k1')).to.equal(null);
    await cache.put('k1', { what: 'inputs' }, { area: 42 });
    expect(await cache.get('k1')).to.deep.equal({ area: 42 });
    writeFileSync(join(cache.dir, 'k2.json'), '{"key":"k2","value":');
    expect(await cache.get('k2')).to.equal(null);
    writeFileSync(join(cache.dir, 'k3.json'), JSON.stringify({ key: 'other', value: 1 }));
    expect(await cache.get('k3')).to.equal(null);
    // Written atomically: no temporary file is left beside the entries.
    expect(readdirSync(cache.dir).sort()).to.deep.equal(['k1.json', 'k2.json', 'k3.json']);
  });

  it('a second synthesis of the same design does not run Yosys and returns the same result', async () => {
    const cache = new SynthCache(tempDir('synth-cache'));
    const before = yosysRuns.count;
    const first = await synthesize(acc8(), 'gates', cache);
    expect(yosysRuns.count).to.equal(before + 1);
    expect(first.cached).to.equal(false);
    const second = await synthesize(acc8(), 'gates', cache);
    expect(yosysRuns.count).to.equal(before + 1);
    expect(second.cached).to.equal(true);
    expect({ ...second, cached: false }).to.deep.equal(first);
    // The entry records what produced it.
    const [file] = readdirSync(cache.dir);
    const entry = JSON.parse(readFileSync(join(cache.dir, file!), 'utf8')) as { inputs: Record<string, unknown> };
    expect(entry.inputs).to.include.keys('yosys', 'generator', 'target', 'verilog', 'source');

    // Different Verilog (even a comment) or another target is another entry.
    await synthesize(acc8('edited'), 'gates', cache);
    expect(yosysRuns.count).to.equal(before + 2);
    await synthesize(acc8(), 'ecp5', cache);
    expect(yosysRuns.count).to.equal(before + 3);
    expect(readdirSync(cache.dir)).to.have.length(3);
  });
});
