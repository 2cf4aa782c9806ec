// The array from its parts (synth/report.ts, synthesize.ts hierarchicalArray): the edge with the
// grid as a black box plus rows × cols PEs, against the flattened array; and the fit check that
// refuses --pnr for an array too big for the iCE40 before any flat synthesis, remembering it.
import { expect } from 'chai';
import { LbamacError } from '../../core/errors.js';
import { resolveConfig } from '../../config/resolve.js';
import { SynthCache } from '../../synth/cache.js';
import { designFor, synthesizeConfig } from '../../synth/config.js';
import { nextpnrRuns, placeAndRoute, PNR_DEVICE } from '../../synth/pnr.js';
import { synthReport } from '../../synth/report.js';
import { yosysRuns } from '../../synth/yosys.js';
import { tempDir } from '../support/tmp.js';
import { wide } from './fixtures.js';

// 2 x 2: several PEs along both edges, as 2 x 3 had, for two thirds of its flat synthesis (2 x 3
// measured 3318 gates+FFs from parts, 3376 flattened: well within the 10%).
const SMALL = { rows: 2, cols: 2, a: 'e2m1', w: 'e2m1', product: 'exact', acc: 'e3m4' };

describe('synth: the array from its parts', function () {
  this.timeout(600_000);

  it('edge + rows × cols PEs: the flip-flops exactly those of the flattened array, the gates within 10%', async () => {
    const cfg = resolveConfig(SMALL);
    const cache = new SynthCache(tempDir('hier-cache'));
    const parts = await synthReport(cfg, 'gates', { pnr: false, cache });
    const flat = await synthReport(cfg, 'gates', { pnr: false, flat: true, cache });
    const edge = await synthesizeConfig(cfg, 'gates', 'edge', cache);
    const h = parts.design.array;
    const f = flat.design.array;
    expect(parts.design.flat).to.equal(false);
    expect(flat.design.flat).to.equal(true);
    // The edge holds no PE: fewer flip-flops than one PE's worth per element of the grid.
    expect(h.resources.counts.ff).to.equal(edge.resources.counts.ff + 4 * parts.design.pe.resources.counts.ff);
    expect(h.resources.counts.ff).to.equal(f.resources.counts.ff);
    expect(Math.abs(h.area - f.area) / f.area).to.be.below(0.1);
    expect(h.depth).to.equal(Math.max(edge.depth!, parts.design.pe.depth!));
    expect(Object.keys(edge.resources.other)).to.deep.equal([]);
    console.log(`        2x2 array: from parts ${h.area}, flattened ${f.area} gates+FFs`);
  });

  it('--pnr of an array that cannot fit the HX8K fails from its parts\' figures, at once every time, without a flat synthesis', async () => {
    // The small PE of the last test: 256 of them are far more than the HX8K holds (a larger PE
    // proves no more, and its iCE40 synthesis takes twice as long).
    const cfg = resolveConfig({ rows: 16, cols: 16, a: 'e2m1', w: 'e2m1', product: 'exact', acc: 'e3m4' });
    const cache = new SynthCache(tempDir('fit-cache'));
    const pe = await synthesizeConfig({ ...cfg, rows: 1, cols: 1 }, 'ice40', 'pe', cache);
    const estimate = { ...pe.resources, counts: { ...pe.resources.counts, lut: pe.resources.counts.lut * 256, ff: pe.resources.counts.ff * 256 } };
    const [y, n] = [yosysRuns.count, nextpnrRuns.count];
    const attempt = () => placeAndRoute(designFor(cfg, 'array'), cache, estimate);
    for (let i = 0; i < 2; i++) {
      try {
        await attempt();
        expect.fail('no error');
      } catch (e) {
        expect(e).to.be.instanceOf(LbamacError);
        expect((e as Error).message).to.match(/needs at least \d+ iCE40 logic cells \(\d+ LUT4s, \d+ flip-flops\).*has 7680/);
      }
    }
    expect([yosysRuns.count, nextpnrRuns.count]).to.deep.equal([y, n]);
    expect(PNR_DEVICE.logicCells).to.equal(7680);
  });

  it('a design found not to fit after its synthesis is remembered: asking again runs nothing', async () => {
    const cache = new SynthCache(tempDir('fail-cache'));
    const messages: string[] = [];
    for (let i = 0; i < 2; i++) {
      const y = yosysRuns.count;
      try {
        await placeAndRoute(wide(), cache);
        expect.fail('no error');
      } catch (e) {
        expect(e).to.be.instanceOf(LbamacError);
        messages.push((e as Error).message);
      }
      expect(yosysRuns.count - y, `Yosys runs on attempt ${i + 1}`).to.equal(i === 0 ? 1 : 0);
    }
    expect(messages[0]).to.match(/600 port bits/);
    expect(messages[1]).to.equal(`${messages[0]} (remembered from an earlier run; --no-cache tries again)`);
  });

  it('synth --pnr of a 16x16 array is refused from its parts, saying how many PEs would fit', async () => {
    const cfg = resolveConfig({ rows: 16, cols: 16, a: 'e2m1', w: 'e2m1', product: 'exact', acc: 'e3m4' });
    const n = nextpnrRuns.count;
    try {
      await synthReport(cfg, 'ice40', { pnr: true, cache: new SynthCache(tempDir('fit-report')) });
      expect.fail('no error');
    } catch (e) {
      expect(e).to.be.instanceOf(LbamacError);
      expect((e as Error).message).to.match(/this config: the 16x16 array needs at least \d+ iCE40 logic cells .*has 7680: at most (\d+) PEs of this configuration fit \(e\.g\. a \d+x\d+ array\)/);
      const fit = Number(/at most (\d+) PEs/.exec((e as Error).message)![1]);
      expect(fit).to.be.within(1, 255);
    }
    expect(nextpnrRuns.count).to.equal(n);
  });
});
