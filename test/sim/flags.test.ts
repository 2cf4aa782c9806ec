// Sticky status flags per PE: what sets them (checked against the events the same run counts,
// over random configurations), that flags_clear clears them, and that they cost no result bit.
// That the RTL's pe_flags port agrees every cycle is test/cosim/cosimulate.test.ts's job.
import { expect } from 'chai';
import { buildArch } from '../../arch/build.js';
import { FLAG_NAMES } from '../../arch/types.js';
import { resolveConfig } from '../../config/resolve.js';
import { simulate } from '../../sim/simulate.js';
import { randomJob } from '../../sim/stimulus.js';
import { randomCase } from './support.js';

const bit = (name: (typeof FLAG_NAMES)[number]) => 1 << FLAG_NAMES.indexOf(name);

describe('sim: sticky status flags', function () {
  this.timeout(120_000);

  it('200 random configurations: overflow and swamping flags exactly where those events were counted, invalid wherever a NaN was made; D unchanged', () => {
    let withFlags = 0;
    const seen = { overflow: 0, swamping: 0, invalid: 0, inexact: 0 };
    for (let seed = 0xf1a90000; withFlags < 200; seed++) {
      const c = randomCase(seed);
      if (!c.cfg.flags) continue;
      withFlags++;
      const arch = buildArch(c.cfg);
      const job = c.C ? { A: c.A, B: c.B, C: c.C } : { A: c.A, B: c.B };
      const r = simulate(arch, job);
      const plain = simulate(buildArch({ ...c.cfg, flags: false }), job);
      expect(r.D, `D with flags, seed ${seed}`).to.deep.equal(plain.D);
      expect(r.events).to.deep.equal(plain.events);
      r.perPE.forEach((row, i) =>
        row.forEach((e, j) => {
          const f = r.flags![i]![j]!;
          const where = `PE(${i}, ${j}), seed ${seed}, flags ${f.toString(2)}`;
          expect((f & bit('overflow')) !== 0, `overflow: ${where}`).to.equal(e.productOverflow + e.accOverflow > 0);
          expect((f & bit('swamping')) !== 0, `swamping: ${where}`).to.equal(e.swamping > 0);
          if (e.nan > 0) expect(f & bit('invalid'), `invalid: ${where}`).to.not.equal(0);
          for (const k of Object.keys(seen) as (keyof typeof seen)[]) if (f & bit(k)) seen[k]++;
        }),
      );
    }
    for (const [k, n] of Object.entries(seen)) expect(n, `PEs with ${k} set`).to.be.greaterThan(0);
  });

  for (const dataflow of ['os', 'ws'] as const) {
    it(`${dataflow.toUpperCase()}: a flags_clear after the last add leaves every PE clear; without it they stay set`, () => {
      const cfg = resolveConfig({ rows: 3, cols: 4, dataflow, a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: 'e4m7_b10', rounding: { product: 'rtz', acc: 'rtz' }, flags: true });
      const arch = buildArch(cfg);
      const job = randomJob(arch, { M: 5, K: 24, N: 6 }, 7);
      const set = simulate(arch, job);
      expect(set.flags!.flat().every((f) => (f & bit('inexact')) !== 0), 'every PE rounded something inexactly').to.equal(true);
      const cleared = simulate(arch, { ...job, flagsClear: [set.cycles - arch.cols - 2] });
      expect(cleared.flags).to.deep.equal(set.flags!.map((row) => row.map(() => 0)));
      expect(cleared.D).to.deep.equal(set.D);
    });
  }

  it('flagsClear on an array without flags is an error that says how to get them', () => {
    const arch = buildArch(resolveConfig({ rows: 2, cols: 2, a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: 'e4m7_b10' }));
    expect(() => simulate(arch, { A: [[0x38]], B: [[0x38]], flagsClear: [3] })).to.throw(/"flags": true/);
  });
});
