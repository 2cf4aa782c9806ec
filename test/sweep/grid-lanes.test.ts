// sweep/grid.ts with dot-product cells: set through a block's config, hashed into the point ids,
// run by the sweep loop, their area synthesized where the array builds them and refused up front
// where it does not.
import { expect } from 'chai';
import { expandSweep, parseSweep } from '../../sweep/grid.js';
import { runPoint } from '../../sweep/point.js';

const workloads = [{ name: 'g', kind: 'synthetic', dist: 'gaussian', M: 4, K: 64, N: 4, seed: 1 }];
const block = { name: 'b', preset: 'ocp-fp8', acc: ['e4m7_b10', 'fp16'] };

describe('sweep/grid: dot-product cells', () => {
  it('a block config with lanes gives points of their own, which run', () => {
    const plain = expandSweep(parseSweep({ name: 's', workloads, blocks: [block] }));
    const cells = expandSweep(parseSweep({ name: 's', workloads, blocks: [{ ...block, config: { lanes: 8, alignBits: 6 } }] }));
    expect(cells.points.map((p) => p.config)).to.deep.equal(plain.points.map((p) => ({ ...p.config, lanes: 8, alignBits: 6 })));
    expect(cells.points.map((p) => p.id)).not.to.include.members(plain.points.map((p) => p.id));
    const [narrow] = cells.points.map(runPoint);
    const [exact] = plain.points.map(runPoint);
    // A 6-bit window loses products that an exact adder keeps.
    expect(narrow!.events.swamping).to.be.greaterThan(exact!.events.swamping);
  });

  it('a cell the array builds has its area synthesized like any other; one it refuses is refused up front, naming the block', () => {
    const raw = { name: 's', area: 'yosys-gates', workloads, blocks: [{ ...block, config: { lanes: 4 } }] };
    expect(expandSweep(parseSweep(raw)).points.map((p) => p.wantsArea)).to.deep.equal([true, true]);
    const staged = { ...raw, blocks: [{ ...raw.blocks[0]!, config: { lanes: 4, pipeline: { stages: 1 } } }] };
    expect(() => expandSweep(parseSweep(staged))).to.throw(/^blocks\[0\] \(b\): the area provider "yosys-gates" cannot synthesize this dot-product cell's PE: array: pipeline\.stages = 1 is not yet allowed with lanes = 4 .*; set "area": false on the block/);
    expect(expandSweep(parseSweep({ ...staged, blocks: [{ ...staged.blocks[0]!, area: false }] })).points).to.have.length(2);
  });
});
