import { expect } from 'chai';
import { LbamacError } from '../../core/errors.js';
import { resolveConfig } from '../../config/resolve.js';
import { SynthCache } from '../../synth/cache.js';
import { designFor } from '../../synth/config.js';
import { nextpnrRuns, placeAndRoute, PNR_DEVICE } from '../../synth/pnr.js';
import { yosysRuns } from '../../synth/yosys.js';
import { tempDir } from '../support/tmp.js';
import { wide } from './fixtures.js';

describe('synth/pnr: nextpnr-ice40', function () {
  this.timeout(300_000);

  it('places and routes a 1 x 1 array, reports its fmax, and caches the result', async () => {
    const cache = new SynthCache(tempDir('pnr-cache'));
    const design = designFor(resolveConfig({ rows: 1, cols: 1, a: 'e2m1', w: 'e2m1', product: 'exact', acc: 'e3m4' }), 'array');
    const runs = nextpnrRuns.count;
    const r = await placeAndRoute(design, cache);
    expect(nextpnrRuns.count).to.equal(runs + 1);
    expect(r.cached).to.equal(false);
    expect(r.device).to.equal('iCE40 HX8K (ct256)');
    // An iCE40 runs small logic at tens of MHz: anything outside 1..500 MHz would be a misread report.
    expect(r.fmaxMHz).to.be.within(1, 500);
    const lc = r.utilization.ICESTORM_LC!;
    expect(lc.available).to.equal(PNR_DEVICE.logicCells);
    expect(lc.used).to.be.within(1, lc.available);
    console.log(`        1x1 array: ${r.fmaxMHz!.toFixed(1)} MHz, ${lc.used} logic cells, ${r.seconds.toFixed(1)} s`);

    const yosys = yosysRuns.count;
    const again = await placeAndRoute(design, cache);
    expect([nextpnrRuns.count, yosysRuns.count]).to.deep.equal([runs + 1, yosys]);
    expect({ ...again, cached: false }).to.deep.equal(r);
  });

  it('a design with more port bits than the package has pins is a clear error before nextpnr runs', async () => {
    const runs = nextpnrRuns.count;
    try {
      await placeAndRoute(wide(), null);
      expect.fail('no error');
    } catch (e) {
      expect(e).to.be.instanceOf(LbamacError);
      expect((e as Error).message).to.match(/wide has 600 port bits.*has 206/);
    }
    expect(nextpnrRuns.count).to.equal(runs);
  });
});
