// Every command that writes, against the filesystem refusals a user meets: a read-only directory,
// a path under a regular file, a directory (or file) already in the way, a missing parent that
// cannot be created. Each must exit 1 with one `lbamac: …` line naming the path, no stack trace,
// and leave no output (nor a temporary file) behind.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandSweep, parseSweep } from '../../sweep/grid.js';
import { RESULTS_VERSION } from '../../sweep/canonical.js';
import { writeWholeJournal } from '../../sweep/journal.js';
import { runPoint } from '../../sweep/point.js';
import { tempDir } from '../support/tmp.js';
import { microSweep } from '../sweep/fixtures.js';
import { compiledCli, type Run, ROOT } from './run.js';

const EXAMPLE = join(ROOT, 'examples', 'e4m3-e4m7');
/** Root writes into any directory whatever its mode: a read-only directory is met as this user. */
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** As root: whether the unprivileged user can read the checkout and run the CLI at all (a clone
 *  under a private home directory is out of its reach; its cases are then skipped, not passed). */
let nobodyCan: boolean | undefined;
const nobodyCanRun = () =>
  (nobodyCan ??= !isRoot || spawnSync(process.execPath, ['-e', `require('node:fs').accessSync(${JSON.stringify(compiledCli())})`], { cwd: ROOT, uid: NOBODY, gid: NOBODY }).status === 0);

function lbamacAs(readOnlyUser: boolean, args: string[]): Run & { error?: Error } {
  const asNobody = readOnlyUser && isRoot ? { uid: NOBODY, gid: NOBODY } : {};
  const r = spawnSync(process.execPath, [compiledCli(), ...args], { cwd: ROOT, encoding: 'utf8', ...asNobody });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ...(r.error ? { error: r.error } : {}) };
}

interface Writer {
  command: string;
  /** A file output or a directory output. */
  kind: 'file' | 'dir';
  args: (out: string) => string[];
}

describe('cli: filesystem errors of every command that writes', function () {
  this.timeout(120_000);
  // Readable by the unprivileged user too: it loads these inputs before meeting the read-only directory.
  const base = tempDir('fs-errors');
  chmodSync(base, 0o755);
  const inputs = join(base, 'inputs');
  mkdirSync(inputs);
  const micro = join(inputs, 'micro.json');
  writeFileSync(micro, JSON.stringify(microSweep()));
  const shard = join(inputs, 'shard');
  const readOnly = join(base, 'read-only');
  mkdirSync(readOnly);
  chmodSync(readOnly, 0o555);
  const aFile = join(base, 'a-file');
  writeFileSync(aFile, 'not a directory');

  before(async () => {
    const sweep = expandSweep(parseSweep(microSweep()));
    const header = { journal: 'lbamac-sweep-journal' as const, resultsVersion: RESULTS_VERSION, sweepHash: sweep.hash, selection: { shard: null, only: null }, sweep: sweep.config };
    await writeWholeJournal(shard, header, sweep.points.map(runPoint));
  });

  const writers: Writer[] = [
    { command: 'gen -o', kind: 'dir', args: (out) => ['gen', '--config', join(EXAMPLE, 'config.json'), '-o', out] },
    { command: 'gemm --out', kind: 'file', args: (out) => ['gemm', '--config', join(EXAMPLE, 'config.json'), '--a', join(EXAMPLE, 'a.json'), '--b', join(EXAMPLE, 'b.json'), '--out', out] },
    { command: 'sim --vcd', kind: 'file', args: (out) => ['sim', '--config', join(EXAMPLE, 'config.json'), '--vcd', out] },
    { command: 'synth --json', kind: 'file', args: (out) => ['synth', '--config', join(EXAMPLE, 'config.json'), '--no-cache', '--json', out] },
    { command: 'sweep --out', kind: 'dir', args: (out) => ['sweep', '--config', micro, '--workers', '1', '--out', out] },
    { command: 'merge --out', kind: 'dir', args: (out) => ['merge', shard, '--out', out] },
    { command: 'verify --icarus', kind: 'dir', args: (out) => ['verify', '--config', join(EXAMPLE, 'config.json'), '--vectors', '1', '--icarus', out] },
  ];

  let n = 0;
  /** A fresh directory for one case, whose listing must not change. */
  const place = () => {
    const dir = join(base, `case-${++n}`);
    mkdirSync(dir);
    return dir;
  };

  function expectRefused(r: Run, out: string, says: string): void {
    expect(r.status, r.stderr).to.equal(1);
    expect(r.stderr).to.match(/^lbamac: [^\n]+\n$/); // one line
    expect(r.stderr).to.not.include('    at ');
    expect(r.stderr).to.include(out);
    expect(r.stderr).to.include(says);
    expect(r.stdout).to.equal('');
  }

  for (const w of writers) {
    describe(w.command, () => {
      it('into a read-only directory', function () {
        const out = join(readOnly, 'out');
        if (!nobodyCanRun()) this.skip(); // no unprivileged user can run the CLI here: not counted as passed
        const r = lbamacAs(true, w.args(out));
        if (r.error && isRoot) this.skip(); // cannot switch to an unprivileged user here: not counted as passed
        expectRefused(r, out, `cannot write ${out}: permission denied; choose a location you can write to`);
        expect(readdirSync(readOnly)).to.deep.equal([]);
      });

      it('under a missing parent that cannot be created', function () {
        const out = join(readOnly, 'missing', 'deeper', 'out');
        if (!nobodyCanRun()) this.skip();
        const r = lbamacAs(true, w.args(out));
        if (r.error && isRoot) this.skip();
        expectRefused(r, out, 'permission denied');
        expect(readdirSync(readOnly)).to.deep.equal([]);
      });

      it('under a regular file', () => {
        const out = join(aFile, 'sub', 'out');
        expectRefused(lbamacAs(false, w.args(out)), out, `cannot write ${out}: ${aFile} is a file, not a directory; choose another path`);
      });

      if (w.kind === 'file') {
        it('onto an existing directory', () => {
          const out = place();
          writeFileSync(join(out, 'mine.txt'), 'mine');
          expectRefused(lbamacAs(false, w.args(out)), out, `cannot write ${out}: it is a directory; name a file to write`);
          expect(readdirSync(out)).to.deep.equal(['mine.txt']);
        });
      } else {
        it('into an existing directory of other files', () => {
          const out = place();
          writeFileSync(join(out, 'notes.txt'), 'mine');
          expectRefused(lbamacAs(false, w.args(out)), out, `${out} holds notes.txt`);
          expect(readdirSync(out)).to.deep.equal(['notes.txt']);
        });

        it('onto a regular file', () => {
          const dir = place();
          const out = join(dir, 'taken');
          writeFileSync(out, 'mine');
          expectRefused(lbamacAs(false, w.args(out)), out, `cannot write ${out}: it is a file, not a directory; choose another path`);
          expect(readdirSync(dir)).to.deep.equal(['taken']);
        });
      }
    });
  }

  it('the merge input is a whole journal: merge succeeds with a writable --out', () => {
    const out = join(place(), 'ok');
    const r = lbamacAs(false, ['merge', shard, '--out', out]);
    expect(r.status, r.stderr).to.equal(0);
    expect(existsSync(join(out, 'report.html'))).to.equal(true);
  });
});
