import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LbamacError } from '../../core/errors.js';
import { publishDirOnce, tempSibling, writeDirAtomic, writeFileAtomic } from '../../util/atomic-write.js';
import { tempDir } from '../support/tmp.js';

describe('util/atomic-write', () => {
  const dir = tempDir('atomic');

  it('creates parent directories and replaces an existing file, leaving no temp file', async () => {
    const path = join(dir, 'a', 'b', 'out.json');
    await writeFileAtomic(path, 'first');
    await writeFileAtomic(path, 'second');
    expect(readFileSync(path, 'utf8')).to.equal('second');
    expect(readdirSync(join(dir, 'a', 'b'))).to.deep.equal(['out.json']);
  });

  it('writes a file whose name is as long as the system takes (the stand-in is cut to fit); a longer one is a user error', async () => {
    const longest = join(dir, `${'z'.repeat(250)}.json`);
    await writeFileAtomic(longest, 'x');
    expect(readFileSync(longest, 'utf8')).to.equal('x');
    let caught: unknown;
    await writeFileAtomic(join(dir, `${'z'.repeat(300)}.json`), 'x').catch((err: unknown) => (caught = err));
    expect(caught).to.be.instanceOf(LbamacError);
    expect((caught as Error).message).to.match(/: a name in it is longer than the system allows \(255 bytes per name, 4096 per path\); choose a shorter one$/);
  });

  it('on failure leaves the directory as it was', async () => {
    const sub = join(dir, 'fail');
    mkdirSync(join(sub, 'taken'), { recursive: true });
    writeFileSync(join(sub, 'taken', 'x'), '');
    // The target is a non-empty directory, so the final rename fails.
    let caught: unknown;
    await writeFileAtomic(join(sub, 'taken'), 'text').catch((err: unknown) => (caught = err));
    // A user error naming the path, not a crash.
    expect(caught).to.be.instanceOf(LbamacError);
    expect((caught as Error).message).to.equal(`cannot write ${join(sub, 'taken')}: it is a directory; name a file to write`);
    expect(readdirSync(sub)).to.deep.equal(['taken']);
  });

  const dirOpts = (previous: string[], force = false) => ({ marker: 'manifest.json', previous, force });

  it('replaces a directory of outputs whole, and refuses one that is not an output', async () => {
    const out = join(dir, 'rtl');
    await writeDirAtomic(out, [{ path: 'manifest.json', text: '{}' }, { path: 'a.v', text: 'one' }], dirOpts([]));
    await writeDirAtomic(out, [{ path: 'manifest.json', text: '{}' }, { path: 'b.v', text: 'two' }], dirOpts(['manifest.json', 'a.v']));
    expect(readdirSync(out).sort()).to.deep.equal(['b.v', 'manifest.json']);
    expect(readdirSync(dir).filter((n) => n.startsWith('.rtl.'))).to.deep.equal([]);
    const other = join(dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    let caught: unknown;
    await writeDirAtomic(other, [{ path: 'a.v', text: 'x' }], dirOpts([])).catch((err: unknown) => (caught = err));
    expect(caught).to.be.instanceOf(LbamacError);
    expect(readdirSync(other)).to.deep.equal(['notes.txt']);
  });

  it('beside files the user added: refused naming the first, or with force written in place, removing only what the earlier manifest lists', async () => {
    const out = join(dir, 'mixed');
    await writeDirAtomic(out, [{ path: 'a.v', text: 'one' }, { path: 'manifest.json', text: '{}' }], dirOpts([]));
    writeFileSync(join(out, 'notes.txt'), 'mine');
    writeFileSync(join(out, 'b-mine.v'), 'mine too');
    const next = [{ path: 'c.v', text: 'three' }, { path: 'manifest.json', text: '{"c":1}' }];
    let caught: unknown;
    await writeDirAtomic(out, next, dirOpts(['a.v', 'manifest.json', '../escape'])).catch((err: unknown) => (caught = err));
    expect((caught as Error).message).to.equal(`${out} holds b-mine.v, which no earlier output there lists; choose an empty or new directory, or use --force to write beside it`);
    expect(readdirSync(out).sort()).to.deep.equal(['a.v', 'b-mine.v', 'manifest.json', 'notes.txt']);
    writeFileSync(join(dir, 'escape'), 'outside');
    await writeDirAtomic(out, next, dirOpts(['a.v', 'manifest.json', '../escape'], true));
    expect(readdirSync(out).sort()).to.deep.equal(['b-mine.v', 'c.v', 'manifest.json', 'notes.txt']);
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).to.equal('{"c":1}');
    expect(existsSync(join(dir, 'escape'))).to.equal(true);
  });

  it('publishes a finished directory once: a second finisher leaves the first in place', () => {
    const target = join(dir, 'cache', 'key');
    const first = tempSibling(target);
    const second = tempSibling(target);
    expect(first).to.not.equal(second);
    for (const [t, text] of [[first, 'first'], [second, 'second']] as const) {
      mkdirSync(t, { recursive: true });
      writeFileSync(join(t, 'exe'), text);
    }
    publishDirOnce(first, target);
    publishDirOnce(second, target);
    expect(readFileSync(join(target, 'exe'), 'utf8')).to.equal('first');
    expect(existsSync(second)).to.equal(false);
  });
});

describe('util/atomic-write: what a killed writer left', () => {
  it("removes a dead process's stand-ins of the target at the next write, and leaves a running one's", async () => {
    const dir = tempDir('stale');
    const target = join(dir, 'rtl');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // has exited
    const live = spawn('sleep', ['30']);
    try {
      const stale = `.rtl.${dead}.0123abcd.tmp`;
      const busy = `.rtl.${live.pid}.0123abcd.tmp`;
      const other = `.other.${dead}.0123abcd.tmp`;
      for (const name of [stale, busy, other]) mkdirSync(join(dir, name, 'part'), { recursive: true });
      await writeDirAtomic(target, [{ path: 'a.v', text: 'module a; endmodule\n' }], { marker: 'a.v', previous: [], force: false });
      expect(readdirSync(dir).sort()).to.deep.equal([busy, other, 'rtl'].sort());
    } finally {
      live.kill();
    }
  });
});
