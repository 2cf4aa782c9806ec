import { expect } from 'chai';
import { join } from 'node:path';
import { fixture, lbamac } from './run.js';

// docs/arithmetic.md's worked example of a dot-product cell: one step of 4 lanes from C = 3.
const CONFIG = { a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'e4m7_b10', lanes: 4, alignBits: 6, rounding: { acc: 'rtz' } };
const FILES = { 'cfg.json': CONFIG, 'a.json': [[1.75, 0.21875, -0.375, 0.0234375]], 'b.json': [[2.5], [0.25], [1.25], [1]], 'c.json': [[3]] };

function gemm(dir: string, ...extra: string[]) {
  return lbamac('gemm', '--config', join(dir, 'cfg.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json'), '--c', join(dir, 'c.json'), ...extra);
}

describe('cli: gemm on a dot-product cell (lanes, alignBits)', function () {
  this.timeout(30_000); // each case spawns node

  it('--engine core and --engine golden give the worked example: D = 7, two products swamped', () => {
    const dir = fixture(FILES);
    const runs = ['core', 'golden'].map((engine) => gemm(dir, '--engine', engine));
    for (const r of runs) expect([r.status, r.stderr]).to.deep.equal([0, '']);
    const [core, golden] = runs.map((r) => JSON.parse(r.stdout));
    expect(core.D).to.deep.equal([['0x660']]);
    expect(core.values).to.deep.equal([[7]]);
    expect(core.events).to.include({ swamping: 2, accOverflow: 0, nan: 0 });
    expect({ ...golden, engine: 'core' }).to.deep.equal(core);
  });

  it('--engine sim computes it on the array: the same D and events as --engine core', () => {
    const dir = fixture(FILES);
    const [core, sim] = ['core', 'sim'].map((engine) => gemm(dir, '--engine', engine));
    expect([sim!.status, sim!.stderr]).to.deep.equal([0, '']);
    const [c, s] = [core, sim].map((r) => JSON.parse(r!.stdout));
    expect(s.D).to.deep.equal([['0x660']]);
    expect(s.events).to.deep.equal(c.events);
  });

  it('--engine sim refuses pipeline stages in a dot-product cell, saying what to do', () => {
    const r = gemm(fixture({ ...FILES, 'cfg.json': { ...CONFIG, pipeline: { stages: 1 } } }), '--engine', 'sim');
    expect(r.status).to.equal(1);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(/pipeline\.stages = 1 is not yet allowed with lanes = 4 and alignBits = 6 \(a dot-product cell\): .*set pipeline\.stages to 0/);
  });

  it('lbamac describe --config prints the array with its dot unit', () => {
    const r = lbamac('describe', '--config', join(fixture(FILES), 'cfg.json'));
    expect([r.status, r.stderr]).to.deep.equal([0, '']);
    expect(r.stdout).to.match(/^\d+ x \d+ OS array, dense, dot-product cell of 4 lanes \(alignBits 6\)/);
    expect(r.stdout).to.match(/ dot +sum = dot\(acc=acc, a=a, w=b\) into e4m7_b10 \(acc\), 4 lanes, alignBits 6, rtz/);
    expect(r.stdout).to.match(/ b +32 +b <= b_in/);
  });

  it('a chunk that is not a multiple of lanes is a config error', () => {
    const r = gemm(fixture({ ...FILES, 'cfg.json': { ...CONFIG, chunk: 6 } }));
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/cfg\.json: config\.chunk = 6 is not a multiple of lanes = 4/);
  });

  it('lbamac schema describes lanes and alignBits', () => {
    const r = lbamac('schema');
    expect(r.status).to.equal(0);
    const { properties } = JSON.parse(r.stdout);
    expect(properties.lanes.enum).to.deep.equal([1, 2, 4, 8, 16, 32]);
    expect(properties.alignBits.anyOf).to.have.length(2);
  });
});
