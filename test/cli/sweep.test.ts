import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { journalPath } from '../../sweep/journal.js';
import { LOCK_FILE } from '../../util/dir-lock.js';
import { tempDir } from '../support/tmp.js';
import { microSweep, slowSweep, timeless, tinySweep } from '../sweep/fixtures.js';
import { compiledCli, compiledCliRoot, fixture, lbamac, lbamacTsx, ROOT } from './run.js';

interface Results {
  results: Array<{ id: string; seconds: number }>;
  findings: unknown[];
}

const resultsOf = (dir: string) => {
  const r = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
  return { results: r.results.map(timeless), findings: r.findings };
};

const journalLines = (dir: string) => (existsSync(journalPath(dir)) ? readFileSync(journalPath(dir), 'utf8').split('\n').length - 1 : 0);

/** Starts `lbamac sweep …` and sends `signal` once the journal holds `points` more points than `after`; resolves with the exit. */
function interruptAfter(args: string[], dir: string, after: number, points: number, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; lines: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'main.ts'), 'sweep', ...args], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setInterval(() => {
      if (journalLines(dir) >= 1 + after + points) {
        clearInterval(timer);
        child.kill(signal);
      }
    }, 5);
    child.on('error', reject);
    child.on('exit', (code, sig) => {
      clearInterval(timer);
      resolve({ code, signal: sig, stderr, lines: journalLines(dir) });
    });
  });
}

/** Starts `lbamac sweep …` and resolves with its pid, exit code and stderr once it ends. */
function sweepProcess(args: string[]): { pid: number; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'main.ts'), 'sweep', ...args], { cwd: ROOT });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
  return { pid: child.pid!, done };
}

describe('lbamac sweep, merge, presets', function () {
  this.timeout(300_000);
  const files = fixture({ 'tiny.json': tinySweep(), 'slow.json': slowSweep(20), 'micro.json': microSweep() });
  const tiny = join(files, 'tiny.json');
  const slow = join(files, 'slow.json');
  const micro = join(files, 'micro.json');
  let tinyOut: string;

  before(() => {
    tinyOut = tempDir('cli-sweep');
  });

  it('runs a sweep config: outputs listed on stdout, plain progress lines on stderr when not a terminal', () => {
    // From the sources under tsx: worker threads bootstrap tsx (sweep/pool.ts); the compiled
    // CLI's .js worker gives the same results (the last test).
    const r = lbamacTsx('sweep', '--config', tiny, '--out', tinyOut, '--workers', '2');
    expect(r.status, r.stderr).to.equal(0);
    for (const f of ['results.csv', 'results.json', 'report.html', 'plots/accuracy-vs-area.svg']) expect(r.stdout).to.include(`wrote ${join(tinyOut, f)}`);
    expect(r.stdout).to.match(/^52 points \(52 computed, 0 from the journal\)/);
    expect(r.stderr).to.include(`sweep tiny: 52 points on 2 worker threads, writing to ${tinyOut}`);
    expect(r.stderr).to.include('sweep: 52/52 points').and.include('ETA done');
    expect(r.stderr).to.not.include('\x1b'); // no terminal control sequences in a log
  });

  it('an interrupted run (SIGTERM, then SIGKILL) resumes to the results of an uninterrupted one', async () => {
    const whole = tempDir('cli-sweep');
    expect(lbamac('sweep', '--config', slow, '--out', whole, '--workers', '1').status).to.equal(0);
    const dir = tempDir('cli-sweep');
    const args = ['--config', slow, '--out', dir, '--workers', '1'];
    const first = await interruptAfter(args, dir, 0, 3, 'SIGTERM');
    expect(first.code).to.equal(143);
    expect(first.stderr).to.include(`every finished point is in ${journalPath(dir)}`).and.include('--resume');
    expect(first.lines - 1).to.be.within(3, 19); // stopped mid-sweep
    expect(existsSync(join(dir, LOCK_FILE))).to.equal(false); // released on SIGTERM
    const second = await interruptAfter([...args, '--resume'], dir, first.lines - 1, 3, 'SIGKILL');
    expect(second.signal).to.equal('SIGKILL');
    expect(second.lines - 1).to.be.within(first.lines - 1 + 3, 19);
    expect(existsSync(join(dir, 'results.json'))).to.equal(false); // outputs come only at the end
    expect(existsSync(join(dir, LOCK_FILE))).to.equal(true); // nothing runs after SIGKILL
    const last = lbamac('sweep', ...args, '--resume');
    expect(last.status, last.stderr).to.equal(0);
    expect(last.stderr).to.match(/was locked by pid \d+ on .*, which no longer runs: taking the lock over/);
    expect(last.stdout).to.include(`20 points (${20 - (second.lines - 1)} computed, ${second.lines - 1} from the journal)`);
    expect(resultsOf(dir)).to.deep.equal(resultsOf(whole));
    const csv = (d: string) => readFileSync(join(d, 'results.csv'), 'utf8').split('\n').map((l) => l.split(',').slice(0, -1).join(','));
    expect(csv(dir)).to.deep.equal(csv(whole)); // every column but the timing
  });

  it('two sweeps racing for one directory: exactly one runs, the other exits 1 naming the holder\'s pid', async () => {
    const dir = tempDir('cli-race');
    const runs = [0, 1].map(() => sweepProcess(['--config', slow, '--out', dir, '--workers', '1']));
    const ends = await Promise.all(runs.map((r) => r.done));
    const winner = ends.findIndex((e) => e.code === 0);
    expect(ends.map((e) => e.code).sort(), ends.map((e) => e.stderr).join('\n')).to.deep.equal([0, 1]);
    const loser = ends[1 - winner]!;
    expect(loser.stderr).to.equal(`lbamac: ${dir} is in use by another lbamac process (pid ${runs[winner]!.pid} on ${hostname()}, since ${/since (\S+)\)/.exec(loser.stderr)?.[1]}); wait for it to finish, or use another --out\n`);
    expect(journalLines(dir)).to.equal(1 + 20); // no point lost
    expect(existsSync(join(dir, LOCK_FILE))).to.equal(false);
  });

  it('a lock left by a dead process is taken over with a note on stderr', () => {
    const dir = tempDir('cli-stale');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: Number(dead), host: hostname(), since: '2020-01-01T00:00:00.000Z', token: 'old' }));
    const r = lbamac('sweep', '--config', micro, '--out', dir, '--workers', '1');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.include(`${dir} was locked by pid ${dead} on ${hostname()} (since 2020-01-01T00:00:00.000Z), which no longer runs: taking the lock over`);
    expect(existsSync(join(dir, LOCK_FILE))).to.equal(false);
  });

  it('finished results are kept: a rerun and --only onto them are refused, --force starts over, --resume and --force exclude each other', () => {
    const dir = tempDir('cli-force');
    expect(lbamac('sweep', '--config', micro, '--out', dir, '--workers', '1').status).to.equal(0);
    const journal = readFileSync(journalPath(dir), 'utf8');
    const again = lbamac('sweep', '--config', micro, '--out', dir, '--workers', '1');
    expect(again.status).to.equal(1);
    expect(again.stderr).to.match(new RegExp(`^lbamac: ${dir} already holds the finished results of the sweep "micro" \\(hash \\w+\\); use --resume to continue or --force to start over\n$`));
    const id = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).results[1].id as string;
    const only = lbamac('sweep', '--config', micro, '--out', dir, '--only', id, '--workers', '1');
    expect(only.status).to.equal(1);
    expect(only.stderr).to.include(`lbamac: ${dir} holds every point, this run asks for the points ${id}`);
    expect(readFileSync(journalPath(dir), 'utf8')).to.equal(journal);
    const both = lbamac('sweep', '--config', micro, '--out', dir, '--resume', '--force');
    expect(both.status).to.equal(1);
    expect(both.stderr).to.equal('lbamac: --resume continues the results in the output directory, --force deletes them: choose one\n');
    const forced = lbamac('sweep', '--config', micro, '--out', dir, '--only', id, '--force', '--workers', '1');
    expect(forced.status, forced.stderr).to.equal(0);
    expect(readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n')).to.have.length(2);
  });

  it('merge refuses a journal line that lacks a field, naming the file, line and field', () => {
    const dir = tempDir('cli-bad-journal');
    expect(lbamac('sweep', '--config', micro, '--out', dir, '--workers', '1').status).to.equal(0);
    const lines = readFileSync(journalPath(dir), 'utf8').split('\n');
    lines[2] = lines[2]!.replace('"acc":', '"accumulator":');
    writeFileSync(journalPath(dir), lines.join('\n'));
    const r = lbamac('merge', dir, '--out', join(dir, 'merged'));
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal(`lbamac: ${journalPath(dir)} line 3 has no field "acc": the journal was changed by something other than lbamac; fix or delete that line, or start over with --force\n`);
  });

  it('shards and merge from the command line', () => {
    const base = tempDir('cli-shards');
    for (const i of [1, 2]) {
      const r = lbamac('sweep', '--config', tiny, '--shard', `${i}/2`, '--out', join(base, `s${i}`), '--workers', '1');
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.include(`wrote ${journalPath(join(base, `s${i}`))}; when every shard is done: lbamac merge`);
    }
    const out = join(base, 'merged');
    const m = lbamac('merge', join(base, 's1'), join(base, 's2'), '--out', out);
    expect(m.status, m.stderr).to.equal(0);
    expect(m.stdout).to.include('52 points of the sweep tiny');
    expect(resultsOf(out).results).to.deep.equal(resultsOf(tinyOut).results);
    const missing = lbamac('merge', join(base, 's1'), '--out', join(base, 'm2'));
    expect(missing.status).to.equal(1);
    expect(missing.stderr).to.include('lbamac: merge: 26 of 52 points are in none of the journals (with --shard i/2: shards 2)');
  });

  it('bad options name the value and what is allowed', () => {
    const w = lbamac('sweep', '--config', tiny, '--workers', '0');
    expect(w.status).to.equal(1);
    expect(w.stderr).to.include('--workers 0: expected a whole number from 1 to 256');
    const s = lbamac('sweep', '--config', tiny, '--shard', '3/2');
    expect(s.status).to.equal(1);
    expect(s.stderr).to.include('--shard 3/2: expected i/N with 1 <= i <= N');
    const c = lbamac('sweep', '--config', join(files, 'nope.json'));
    expect(c.status).to.equal(1);
    expect(c.stderr).to.include('cannot read the sweep config');
  });

  it('lbamac presets lists the presets, and shows one with its assumptions', () => {
    const all = lbamac('presets');
    expect(all.status).to.equal(0);
    for (const n of ['lba', 'ocp-fp8', 'fp16', 'bf16', 'qtorch']) expect(all.stdout).to.match(new RegExp(`^${n}: `, 'm'));
    const lba = lbamac('presets', 'lba');
    expect(lba.stdout).to.include('assumed:').and.include('"chunk":16');
    const json = JSON.parse(lbamac('presets', 'qtorch', '--json').stdout) as Record<string, { rounding: { acc: string } }>;
    expect(json.qtorch!.rounding.acc).to.equal('rna');
    expect(lbamac('presets', 'nope').stderr).to.include('unknown preset "nope"; expected one of lba,');
    expect(lbamac('sweep', '--help').stdout).to.include('Presets').and.include('qtorch:');
  });

  it('the compiled CLI (dist/ layout: a .js worker) gives the same results as the sources under tsx', () => {
    // The sources compiled into a directory inside the package, so that models/ and node_modules/
    // resolve as they do from dist/ (test/cli/run.ts; every lbamac() of these tests runs it).
    const main = compiledCli();
    expect(existsSync(join(compiledCliRoot(), 'sweep', 'worker.js'))).to.equal(true);
    const out = tempDir('cli-dist');
    const r = spawnSync(process.execPath, [main, 'sweep', '--config', tiny, '--out', out, '--workers', '2'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(resultsOf(out).results).to.deep.equal(resultsOf(tinyOut).results);
  });
});
