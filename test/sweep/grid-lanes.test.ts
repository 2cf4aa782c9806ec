// sweep/grid.ts with dot-product cells: set through a block's config, hashed into the point ids,
// run by the sweep loop, and refused up front where an area provider would have to synthesize them.
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

  it('refuses a cell whose area would be synthesized, naming the block; "area": false lets it run', () => {
    const raw = { name: 's', area: 'yosys-gates', workloads, blocks: [{ ...block, config: { lanes: 4 } }] };
    expect(() => expandSweep(parseSweep(raw))).to.throw(/^blocks\[0\] \(b\): lanes = 4 with alignBits = "exact" .* is not yet in the array, so the area provider "yosys-gates" cannot synthesize its PE; set "area": false/);
    expect(expandSweep(parseSweep({ ...raw, blocks: [{ ...raw.blocks[0]!, area: false }] })).points).to.have.length(2);
  });
});
