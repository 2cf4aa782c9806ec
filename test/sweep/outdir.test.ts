// Who may write into a sweep's output directory: one run at a time, and never over results the
// user did not ask to replace (--resume continues them, --force starts over).
import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LbamacError } from '../../core/errors.js';
import { expandSweep, parseSweep } from '../../sweep/grid.js';
import { journalPath, readJournal } from '../../sweep/journal.js';
import { mergeSweeps, runSweep } from '../../sweep/run.js';
import { LOCK_FILE, lockDir } from '../../util/dir-lock.js';
import { tempDir } from '../support/tmp.js';
import { microSweep } from './fixtures.js';

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(LbamacError);
    return (err as Error).message;
  }
  return expect.fail('expected a rejection');
}

const rows = (dir: string) => readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n').length - 1;

describe('sweep/outdir: claiming an output directory', function () {
  this.timeout(120_000);
  const config = parseSweep(microSweep());
  const sweep = expandSweep(config);
  const [p1, p2] = sweep.points;
  const finished = async () => {
    const dir = tempDir('outdir');
    await runSweep({ config, outDir: dir, workers: 1 });
    return dir;
  };

  it('a rerun without --resume or --force refuses finished and partial results and leaves the journal whole', async () => {
    const dir = await finished();
    const journal = readFileSync(journalPath(dir), 'utf8');
    expect(await rejection(runSweep({ config, outDir: dir, workers: 1 }))).to.equal(
      `${dir} already holds the finished results of the sweep "micro" (hash ${sweep.hash}); use --resume to continue or --force to start over`,
    );
    expect(readFileSync(journalPath(dir), 'utf8')).to.equal(journal);
    const partial = journal.split('\n').slice(0, 2).join('\n') + '\n';
    writeFileSync(journalPath(dir), partial);
    expect(await rejection(runSweep({ config, outDir: dir, workers: 1 }))).to.equal(
      `${dir} already holds the partial (1 of 2 points) results of the sweep "micro" (hash ${sweep.hash}); use --resume to continue or --force to start over`,
    );
    expect(readFileSync(journalPath(dir), 'utf8')).to.equal(partial);
    expect((await runSweep({ config, outDir: dir, workers: 1, resume: true })).computed).to.equal(1);
  });

  it('--only onto a full run\'s directory is refused and its results stay; with --force it starts over, keeping the user\'s files', async () => {
    const dir = await finished();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const only = { shard: null, only: [p2!.id] };
    expect(await rejection(runSweep({ config, outDir: dir, selection: only, workers: 1 }))).to.equal(
      `${dir} holds every point, this run asks for the points ${p2!.id} (of the sweep "micro" (hash ${sweep.hash})); use another --out, or --force to replace them`,
    );
    expect(rows(dir)).to.equal(2);
    const r = await runSweep({ config, outDir: dir, selection: only, workers: 1, force: true });
    expect(r.computed).to.equal(1);
    expect(rows(dir)).to.equal(1);
    expect(readJournal(dir)!.header.selection).to.deep.equal(only);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).to.equal('mine');
  });

  it('--force removes the earlier results before computing, so an interrupted restart leaves no stale report', async () => {
    const dir = await finished();
    const broken = parseSweep({ ...microSweep(), workloads: [{ name: 'mnist', kind: 'mnist-mlp', model: 'models/no-such-model.json', testDigits: 5 }] });
    await rejection(runSweep({ config: broken, outDir: dir, workers: 1, force: true }));
    for (const f of ['results.json', 'results.csv', 'report.html', 'sweep.json']) expect(existsSync(join(dir, f)), f).to.equal(false);
    expect(readJournal(dir)!.results).to.deep.equal([]);
  });

  it('names both sweeps when the directory holds another one, with or without --resume', async () => {
    const dir = await finished();
    const other = parseSweep(microSweep('other'));
    const expected = `${dir} belongs to another sweep: "micro" (hash ${sweep.hash}), this one is "other" (hash ${expandSweep(other).hash}); use another --out, or --force to replace its results`;
    expect(await rejection(runSweep({ config: other, outDir: dir, workers: 1 }))).to.equal(expected);
    expect(await rejection(runSweep({ config: other, outDir: dir, workers: 1, resume: true }))).to.equal(expected);
    expect(readJournal(dir)!.header.sweepHash).to.equal(sweep.hash);
  });

  it('refuses a directory of other files, naming the first; shard subdirectories and a crash\'s temporary files are no obstacle', async () => {
    const dir = tempDir('outdir');
    writeFileSync(join(dir, 'b.txt'), '');
    writeFileSync(join(dir, 'a.txt'), '');
    expect(await rejection(runSweep({ config, outDir: dir, workers: 1 }))).to.equal(`${dir} holds a.txt but no sweep journal; choose an empty or new directory, or use --force to write into it`);
    const full = tempDir('outdir');
    await runSweep({ config, outDir: join(full, 'shard-1-of-2'), selection: { shard: { index: 1, count: 2 }, only: null }, workers: 1 });
    writeFileSync(join(full, '.results.json.123.0badcafe.tmp'), '');
    expect((await runSweep({ config, outDir: full, workers: 1 })).computed).to.equal(2);
  });

  it('one run at a time: a directory whose lock is held is refused naming the holder; the lock goes when a run ends, also by an error', async () => {
    const dir = tempDir('outdir');
    const held = lockDir(dir);
    expect(await rejection(runSweep({ config, outDir: dir, workers: 1 }))).to.match(new RegExp(`^${dir} is in use by another lbamac process \\(pid ${process.pid} on `));
    held.release();
    await runSweep({ config, outDir: dir, workers: 1 });
    expect(existsSync(join(dir, LOCK_FILE))).to.equal(false);
    await rejection(runSweep({ config, outDir: dir, workers: 1 }));
    expect(existsSync(join(dir, LOCK_FILE))).to.equal(false);
  });

  it('merge onto a directory with results needs --force', async () => {
    const shards = [1, 2].map(() => tempDir('outdir-shard'));
    for (const [i, d] of shards.entries()) await runSweep({ config, outDir: d, selection: { shard: { index: i + 1, count: 2 }, only: null }, workers: 1 });
    const dir = await finished();
    // merge cannot continue a partial run: its refusal names only --force, the flag it has.
    expect(await rejection(mergeSweeps(shards, { outDir: dir }))).to.match(/already holds the finished results of the sweep "micro" \(hash \w+\); use --force to replace them$/);
    const m = await mergeSweeps(shards, { outDir: dir, force: true });
    expect(m.results.map((r) => r.id)).to.deep.equal([p1!.id, p2!.id]);
  });
});
