// sweep/grid.ts: the pipeline-stage axis of a block.
import { expect } from 'chai';
import { expandSweep, parseSweep } from '../../sweep/grid.js';
import { runPoint } from '../../sweep/point.js';

const workloads = [{ name: 'g', kind: 'synthetic', dist: 'gaussian', M: 4, K: 32, N: 4, seed: 1 }];

describe('sweep/grid: stages', () => {
  it('a stages axis multiplies the points; stage 0 keeps the id it has without the axis; results are the same bits at every stage', () => {
    const plain = expandSweep(parseSweep({ name: 's', workloads, blocks: [{ name: 'b', preset: 'lba', acc: ['e4m7_b10', 'e4m5_b10'] }] }));
    const staged = expandSweep(parseSweep({ name: 's', workloads, blocks: [{ name: 'b', preset: 'lba', acc: ['e4m7_b10', 'e4m5_b10'], stages: [0, 1, 2] }] }));
    expect(staged.points).to.have.length(3 * plain.points.length);
    expect(new Set(staged.points.map((p) => p.id)).size).to.equal(staged.points.length);
    for (const p of plain.points) expect(staged.points.map((q) => q.id)).to.include(p.id);
    const stagesOf = staged.points.map((p) => p.config.pipeline?.stages ?? 0);
    expect([...new Set(stagesOf)].sort()).to.deep.equal([0, 1, 2]);
    const [r0, , r2] = staged.points.filter((p) => 'man' in p.config.acc && p.config.acc.man === 7).map(runPoint);
    expect(r2!.metrics).to.deep.equal(r0!.metrics);
    expect(r2!.events).to.deep.equal(r0!.events);
  });

  it('a stage count out of range names the value and the allowed range', () => {
    expect(() => parseSweep({ name: 's', workloads, blocks: [{ name: 'b', preset: 'lba', stages: [5] }] })).to.throw(/stages\[0\].*4/);
  });
});

describe('sweep/grid: config errors', () => {
  const block = { name: 'b', preset: 'lba' };
  const cases: [string, unknown, string][] = [
    ['a mantissa range end', { name: 's', workloads, blocks: [{ ...block, acc: { exp: 4, man: { from: 1, to: 30, step: 1 } } }] }, 'sweep.blocks[0].acc.man.to: must be from 0 to 23 (got 30)'],
    ['a workload size', { name: 's', workloads: [{ ...workloads[0], M: 0 }], blocks: [block] }, 'sweep.workloads[0].M: must be from 1 to 4096 (got 0)'],
    ['a preset name', { name: 's', workloads, blocks: [{ ...block, preset: 'nope' }] }, 'sweep.blocks[0].preset: expected one of "lba", "lba-floor", "tensorcore-fp8", "kulisch-fp8", "int32-fixed", "ocp-fp8", "ocp-fp8-e5m2", "fp16", "bf16", "qtorch" (got "nope")'],
    ['a list given as one value', { name: 's', workloads, blocks: [{ ...block, rounding: 'up' }] }, 'sweep.blocks[0].rounding: expected a list of one of "rne", "rna", "rtz", "rdn", "rup", "rod", "rsr" (got "up")'],
    ['an empty list', { name: 's', workloads, blocks: [] }, 'sweep.blocks: must have at least 1 entry (got [])'],
    ['a block name used twice', { name: 's', workloads, blocks: [block, { ...block, rounding: ['rne'] }] }, 'sweep.blocks[1]: the name "b" is used twice; give each block its own'],
  ];
  for (const [what, raw, message] of cases) {
    it(`${what}: names the path, the value and what is allowed`, () => {
      expect(() => parseSweep(raw)).to.throw(message);
    });
  }
});

describe('sweep/grid: accumulators', () => {
  const kulisch = { a: 'e4m3', w: 'e4m3', product: 'exact', acc: { fixed: { msb: 29, lsb: -18 }, overflow: 'saturate', out: 'fp32' } };
  it('a fixed-point accumulator is a point like any other, with or without area (the array builds it)', () => {
    const free = expandSweep(parseSweep({ name: 's', workloads, blocks: [{ name: 'k', config: kulisch, area: false }] }));
    expect(free.points).to.have.length(1);
    expect(free.points[0]!.wantsArea).to.equal(false);
    const withArea = expandSweep(parseSweep({ name: 's', workloads, area: 'yosys-gates', blocks: [{ name: 'k', config: kulisch }] }));
    expect(withArea.points).to.have.length(1);
    expect(withArea.points[0]!.wantsArea).to.equal(true);
  });
});

describe('sweep/grid: stochastic rounding beside other modes', () => {
  it('a block may list rsr with deterministic modes: its random bits and seed go to the rsr points only', () => {
    const sweep = expandSweep(parseSweep({ name: 's', workloads, blocks: [{ name: 'b', preset: 'lba', rounding: ['rtz', 'rsr'], config: { rounding: { randomBits: 8, seed: 3 } } }] }));
    const byMode = new Map(sweep.points.map((p) => [p.config.rounding.acc, p.config.rounding]));
    expect([...byMode.keys()].sort()).to.deep.equal(['rsr', 'rtz']);
    expect(byMode.get('rtz')).to.not.have.any.keys('randomBits', 'seed');
    expect(byMode.get('rsr')).to.deep.include({ randomBits: 8, seed: 3 });
  });
});
