import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { resolveConfig } from '../../config/resolve.js';
import { areaProvider } from '../../sweep/area.js';
import { YosysAreaProvider } from '../../sweep/area-yosys.js';
import { yosysRuns } from '../../synth/yosys.js';
import { tempDir } from '../support/tmp.js';

describe('sweep/area-yosys', function () {
  this.timeout(120_000);

  it('is registered as yosys-gates and yosys-ice40', () => {
    expect(areaProvider('yosys-gates').name).to.equal('yosys-gates');
    expect(areaProvider('yosys-ice40').name).to.equal('yosys-ice40');
    expect(() => areaProvider('yosys-asic')).to.throw(/available: none, yosys-gates, yosys-ice40/);
  });

  it('gives the area of one PE, once per configuration whatever the array shape, synthesized off the calling thread', async () => {
    const cacheDir = tempDir('area-cache');
    const provider = new YosysAreaProvider('gates', cacheDir);
    const cfg = (rows: number, cols: number) => resolveConfig({ rows, cols, a: 'e2m1', w: 'e2m1', product: 'exact', acc: 'e3m4' });
    const before = yosysRuns.count;
    try {
      const r = await provider.areaPerPE(cfg(4, 4));
      expect(yosysRuns.count, 'Yosys ran in this thread').to.equal(before);
      expect(readdirSync(cacheDir)).to.have.length(1);
      expect(r.unit).to.equal('gates+FFs');
      expect(r.source).to.match(/^yosys 0\.\d+\S* gates$/);
      expect(r.perPE).to.equal(r.detail!.gate! + r.detail!.ff!);
      expect(r.detail!.depth).to.be.greaterThan(0);
      // Another shape: the same PE, answered from the one cache entry (its recorded synthesis time included).
      const again = await provider.areaPerPE(cfg(8, 2));
      expect(readdirSync(cacheDir)).to.have.length(1);
      expect(again).to.deep.equal(r);
    } finally {
      await provider.close();
    }
  });
});
