import { expect } from 'chai';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LbamacError } from '../../core/errors.js';
import { registerAreaProvider } from '../../sweep/area.js';
import { canonicalConfig } from '../../config/canonical.js';
import { expandSweep, parseSweep } from '../../sweep/grid.js';
import { journalPath, readJournal } from '../../sweep/journal.js';
import { runPoint, type PointResult } from '../../sweep/point.js';
import { mergeSweeps, runSweep, type SweepRunResult } from '../../sweep/run.js';
import { tempDir } from '../support/tmp.js';
import { timeless, tinySweep } from './fixtures.js';

/** Results as they come back from JSON (the journal's form), without timings. */
const plain = (rs: readonly PointResult[]) => JSON.parse(JSON.stringify(rs.map(timeless))) as unknown[];

describe('sweep/run: runSweep and mergeSweeps', function () {
  this.timeout(300_000);
  const config = parseSweep(tinySweep());
  const sweep = expandSweep(config);
  let full: SweepRunResult;
  let fullDir: string;

  before(async () => {
    fullDir = tempDir('sweep');
    full = await runSweep({ config, outDir: fullDir, workers: 2 });
  });

  it('computes every point on worker threads (the .ts worker, under tsx) exactly as runPoint does here', () => {
    expect(full.computed).to.equal(sweep.points.length);
    expect(full.results.map((r) => r.id)).to.deep.equal(sweep.points.map((p) => p.id));
    const here = sweep.points.map((p) => ({ ...runPoint(p), area: null }));
    expect(plain(full.results)).to.deep.equal(plain(here));
  });

  it('journals every point and writes the outputs', () => {
    const j = readJournal(fullDir)!;
    expect(j.header.sweepHash).to.equal(sweep.hash);
    expect(j.results.map((r) => r.id).sort()).to.deep.equal(sweep.points.map((p) => p.id).sort());
    for (const f of ['sweep.json', 'results.json', 'results.csv', 'report.html', 'plots/accuracy-vs-acc-bits.svg', 'plots/accuracy-vs-area.svg', 'plots/error-vs-acc-bits.svg', 'plots/swamping-vs-acc-bits.svg']) {
      expect(existsSync(join(fullDir, f)), f).to.equal(true);
    }
    expect(readFileSync(join(fullDir, 'results.csv'), 'utf8').trim().split('\n')).to.have.length(sweep.points.length + 1);
    expect(parseSweep(JSON.parse(readFileSync(join(fullDir, 'sweep.json'), 'utf8')))).to.deep.equal(config);
  });

  it('--resume completes an interrupted journal (torn last line included) to the same results', async () => {
    const dir = tempDir('sweep');
    const lines = readFileSync(journalPath(fullDir), 'utf8').split('\n');
    const kept = 7;
    writeFileSync(journalPath(dir), lines.slice(0, 1 + kept).join('\n') + '\n');
    appendFileSync(journalPath(dir), lines[1 + kept]!.slice(0, 100)); // cut off mid-write
    const r = await runSweep({ config, outDir: dir, resume: true, workers: 2 });
    expect(r.resumed).to.equal(kept);
    expect(r.computed).to.equal(sweep.points.length - kept);
    expect(plain(r.results)).to.deep.equal(plain(full.results));
    const ids = readJournal(dir)!.results.map((x) => x.id);
    expect(ids).to.have.length(sweep.points.length);
    expect(new Set(ids).size).to.equal(sweep.points.length);
    // A finished run resumed again computes nothing.
    const again = await runSweep({ config, outDir: dir, resume: true, workers: 2 });
    expect(again.computed).to.equal(0);
  });

  it('--resume refuses the journal of another sweep or of another selection', async () => {
    const other = parseSweep({ ...tinySweep('other') });
    await expectReject(runSweep({ config: other, outDir: fullDir, resume: true }), /belongs to another sweep/);
    await expectReject(runSweep({ config, outDir: fullDir, resume: true, selection: { shard: { index: 1, count: 2 }, only: null } }), /holds every point, this run asks for shard 1\/2/);
  });

  it('shards split the points without overlap, and merge joins them into the full results', async () => {
    const dirs = [1, 2, 3].map(() => tempDir('shard'));
    const shards = [];
    for (let i = 0; i < 3; i++) shards.push(await runSweep({ config, outDir: dirs[i]!, selection: { shard: { index: i + 1, count: 3 }, only: null }, workers: 1 }));
    const ids = shards.flatMap((s) => s.results.map((r) => r.id));
    expect(ids.sort()).to.deep.equal(sweep.points.map((p) => p.id).sort());
    expect(shards.every((s) => s.files.length === 0)).to.equal(true); // merge writes the outputs
    await expectReject(mergeSweeps(dirs.slice(0, 2), { outDir: tempDir('merged') }), /in none of the journals \(with --shard i\/3: shards 3\)/);
    const out = tempDir('merged');
    const m = await mergeSweeps(dirs, { outDir: out });
    expect(plain(m.results)).to.deep.equal(plain(full.results));
    expect(existsSync(join(out, 'report.html'))).to.equal(true);
    expect(readJournal(out)!.results).to.have.length(sweep.points.length);
  });

  it('--only computes just the named points and refuses an unknown id', async () => {
    const pick = [sweep.points[3]!.id, sweep.points[40]!.id];
    const r = await runSweep({ config, outDir: tempDir('only'), selection: { shard: null, only: pick }, workers: 1 });
    expect(r.results.map((x) => x.id)).to.deep.equal(pick);
    expect(plain(r.results)).to.deep.equal(plain(full.results.filter((x) => pick.includes(x.id))));
    await expectReject(runSweep({ config, outDir: tempDir('only'), selection: { shard: null, only: ['0123456789ab'] } }), /no point of the sweep "tiny" has the id 0123456789ab/);
  });

  it('a point that fails stops the run with its error; the journal keeps only whole points', async () => {
    const broken = parseSweep({ ...tinySweep('broken'), workloads: [{ name: 'mnist', kind: 'mnist-mlp', model: 'models/no-such-model.json', testDigits: 5 }] });
    const dir = tempDir('broken');
    await expectReject(runSweep({ config: broken, outDir: dir, workers: 2 }), /cannot read the MLP model .*no-such-model\.json/);
    expect(readJournal(dir)!.results).to.deep.equal([]);
    expect(existsSync(join(dir, 'results.json'))).to.equal(false);
  });

  it('asks the area provider once per distinct configuration and stores its answer in each point', async () => {
    const asked: string[] = [];
    registerAreaProvider('test-width', () => ({
      name: 'test-width',
      areaPerPE: async (cfg) => {
        asked.push(cfg.acc.name);
        return { perPE: 10 * cfg.acc.width, unit: 'test-units', source: 'test' };
      },
    }));
    const small = parseSweep({ ...tinySweep('area'), area: 'test-width' });
    const dir = tempDir('area');
    const r = await runSweep({ config: small, outDir: dir, workers: 2 });
    const configs = new Set(r.results.map((x) => JSON.stringify(x.config)));
    expect(asked).to.have.length(configs.size);
    for (const x of r.results) expect(x.area).to.deep.equal({ perPE: 10 * x.accWidth, unit: 'test-units', source: 'test' });
    expect(readFileSync(join(dir, 'plots', 'accuracy-vs-area.svg'), 'utf8')).to.include('area per PE (test-units');
  });

  it('synthesizes only what the blocks select, asks for all of it before the first point is journaled, and reports how many points have area', async () => {
    const asked: string[] = [];
    let askedAtFirstPoint = -1;
    registerAreaProvider('test-subset', () => ({
      name: 'test-subset',
      areaPerPE: async (cfg) => {
        asked.push(JSON.stringify(canonicalConfig(cfg)));
        return { perPE: 10 * cfg.acc.width, unit: 'test-units', source: 'test' };
      },
    }));
    const base = tinySweep('subset');
    const subset = parseSweep({
      ...base,
      area: 'test-subset',
      blocks: [
        { ...base.blocks[0]!, area: { man: [3, 5], rounding: ['rtz'], chunk: [null] } },
        { ...base.blocks[1]!, area: false },
        base.blocks[2]!, // the baseline: area by default
      ],
    });
    const dir = tempDir('area-subset');
    const r = await runSweep({
      config: subset,
      outDir: dir,
      workers: 2,
      onProgress: (p) => {
        if (p.done === 1 && askedAtFirstPoint < 0) askedAtFirstPoint = asked.length;
      },
    });
    const selected = (x: PointResult) => (x.block === 'e5' && [3, 5].includes(x.accMan) && x.rounding === 'rtz' && x.chunk === null) || x.block === 'fp32';
    const configs = new Set(r.results.filter(selected).map((x) => JSON.stringify(x.config)));
    expect(configs.size).to.equal(3);
    expect(new Set(asked)).to.deep.equal(configs);
    expect(asked).to.have.length(configs.size);
    expect(askedAtFirstPoint).to.equal(configs.size);
    for (const x of r.results) expect(x.area, `${x.block} ${x.acc} ${x.rounding} ${x.chunk}`).to.deep.equal(selected(x) ? { perPE: 10 * x.accWidth, unit: 'test-units', source: 'test' } : null);
    const withArea = r.results.filter((x) => x.area !== null);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).to.include(`${withArea.length} of the ${r.results.length} points have an area per PE from <code>test-subset</code>`);
    const mnistGrid = r.results.filter((x) => x.kind === 'mnist-mlp' && x.role === 'grid');
    const svg = readFileSync(join(dir, 'plots', 'accuracy-vs-area.svg'), 'utf8');
    expect(svg).to.include('area per PE (test-units');
    expect(html).to.include(`2 of the ${mnistGrid.length} MNIST grid points have an area`);
    // The finding gives each synthesized point's area as a share of the fp32 baseline's.
    const fp32 = r.results.find((x) => x.block === 'fp32' && x.kind === 'mnist-mlp')!;
    const e5m3 = withArea.find((x) => x.kind === 'mnist-mlp' && x.accMan === 3)!;
    expect(html).to.include(`${e5m3.area!.perPE} test-units = ${((100 * e5m3.area!.perPE) / fp32.area!.perPE).toFixed(0)}% of fp32's`);
  });

  it('an area provider that fails stops the run with its error', async () => {
    registerAreaProvider('test-failing', () => ({
      name: 'test-failing',
      areaPerPE: async (cfg) => {
        if (cfg.acc.man === 7) throw new LbamacError(`cannot synthesize ${cfg.acc.name}`);
        return { perPE: 1, unit: 'u', source: 'test' };
      },
    }));
    const failing = parseSweep({ ...tinySweep('area-fails'), area: 'test-failing' });
    const dir = tempDir('area-fails');
    await expectReject(runSweep({ config: failing, outDir: dir, workers: 2 }), /cannot synthesize e5m7/);
    const journaled = readJournal(dir)!.results;
    expect(journaled.every((x) => x.accMan !== 7 && x.area !== null)).to.equal(true);
    expect(existsSync(join(dir, 'results.json'))).to.equal(false);
  });

  it('rejects a block "area" that names an impossible value', () => {
    expect(() => parseSweep({ ...tinySweep('bad-area'), blocks: [{ name: 'b', preset: 'lba', area: { man: [99] } }] })).to.throw(LbamacError, /blocks\[0\]\.area/);
  });
});

async function expectReject(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(LbamacError);
    expect((err as Error).message).to.match(pattern);
    return;
  }
  expect.fail(`expected a rejection matching ${pattern}`);
}
