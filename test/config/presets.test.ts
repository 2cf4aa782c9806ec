// config/presets.ts: every preset is a valid configuration that the core computes, the new
// architecture presets carry the numbers their notes cite, and a sweep block takes each of them.
import { expect } from 'chai';
import { fromFloat64, RNE } from '../../core/arith.js';
import { coreGemm } from '../../core/gemm.js';
import { resolveConfig } from '../../config/resolve.js';
import { presetConfig, PRESET_NAMES, PRESETS } from '../../config/presets.js';
import { kulisch } from '../../core/kulisch.js';
import { parseFormatName } from '../../core/format.js';
import { expandSweep, parseSweep } from '../../sweep/grid.js';
import { runPoint } from '../../sweep/point.js';

describe('config/presets', () => {
  it('every preset resolves and computes a small GEMM on the core', () => {
    for (const name of PRESET_NAMES) {
      const cfg = resolveConfig({ rows: 2, cols: 2, ...presetConfig(name) }, `preset ${name}`);
      const A = [[1, 0.5, -2, 0.25, 3, 1]].map((r) => r.map((x) => fromFloat64(x, cfg.a, RNE)));
      const B = [1, -1, 0.5, 2, -0.25, 1].map((x) => [fromFloat64(x, cfg.w, RNE), 0]);
      const r = coreGemm(cfg, A, B);
      expect(r.D, name).to.have.length(1);
      expect(PRESETS[name]!.notes.length, `${name} says where its numbers come from`).to.be.greaterThan(0);
    }
  });

  it('a config that names a preset takes its fields under its own, rounding merged by step', () => {
    const named = resolveConfig({ preset: 'lba', rows: 2, cols: 3, pipeline: { stages: 1 } });
    expect(named).to.deep.equal(resolveConfig({ ...presetConfig('lba'), rows: 2, cols: 3, pipeline: { stages: 1 } }));
    const over = resolveConfig({ preset: 'lba', acc: 'fp16', rounding: { acc: 'rne' } });
    expect([over.acc.name, over.rounding.acc, over.rounding.product]).to.deep.equal(['fp16', 'rne', presetConfig('lba').rounding!.product]);
    expect(() => resolveConfig({ preset: 'lbaa', rows: 2 }, 'my.json')).to.throw(`my.json.preset = "lbaa" is not a preset; expected one of ${PRESET_NAMES.join(', ')} (lbamac presets)`);
    expect(() => resolveConfig({ preset: 3 })).to.throw('config.preset = 3 is not a preset');
  });

  it('lba-floor is lba with rdn; tensorcore-fp8 is 32 lanes, 14 bits, e8m13 promoted every 128 terms into fp32', () => {
    const floor = presetConfig('lba-floor');
    expect({ ...floor, rounding: undefined }).to.deep.equal({ ...presetConfig('lba'), rounding: undefined });
    expect(floor.rounding).to.deep.include({ product: 'rdn', acc: 'rdn' });
    const tc = resolveConfig(presetConfig('tensorcore-fp8'));
    expect([tc.lanes, tc.alignBits, tc.acc.name, tc.chunk, tc.total.name, tc.rounding.acc]).to.deep.equal([32, 14, 'e8m13', 128, 'fp32', 'rtz']);
  });

  it("kulisch-fp8's register is the one `lbamac formats --kulisch e4m3 e4m3 --k 4096` picks; int32-fixed's is 32 bits", () => {
    const e4m3 = parseFormatName('e4m3');
    const pick = kulisch({ a: e4m3, w: e4m3, product: null, k: 4096 });
    const k = resolveConfig(presetConfig('kulisch-fp8'));
    expect([k.fixed!.msb, k.fixed!.lsb]).to.deep.equal([pick.msb, pick.lsb]);
    const i32 = resolveConfig(presetConfig('int32-fixed'));
    expect(i32.fixed!.msb + 2 - i32.fixed!.lsb).to.equal(32);
  });

  it('a sweep block takes each preset (fixed-point registers without area) and runs its point', () => {
    const workloads = [{ name: 'g', kind: 'synthetic', dist: 'gaussian', M: 3, K: 256, N: 3, seed: 2 }];
    const blocks = PRESET_NAMES.map((preset) => ({ name: preset, preset, area: false }));
    const sweep = expandSweep(parseSweep({ name: 'presets', workloads, blocks, area: 'none' }));
    expect(sweep.points.map((p) => p.block)).to.have.members([...PRESET_NAMES]);
    for (const p of sweep.points) {
      const r = runPoint(p);
      expect(r.metrics.nrmse, p.block).to.be.a('number');
      if (p.block === 'kulisch-fp8') expect(r.events.accOverflow + r.events.swamping, 'the Kulisch register loses nothing').to.equal(0);
    }
  });
});
