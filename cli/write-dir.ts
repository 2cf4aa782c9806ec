// A directory of outputs written whole or not at all: every file goes into a fresh sibling
// directory first, which then takes the target's name. An existing target is replaced only when
// it holds a previous output of the same kind (its marker file); anything else is refused.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { LbamacError } from '../core/errors.js';

export async function writeDirAtomic(target: string, files: readonly { path: string; text: string }[], marker: string): Promise<void> {
  const dir = resolve(target);
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    if (entries.length > 0 && !entries.includes(marker)) {
      throw new LbamacError(`${target} exists and is not an output of this command (no ${marker} in it); choose an empty or new directory`);
    }
  }
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}.${randomBytes(4).toString('hex')}`;
  const temp = join(parent, `.${basename(dir)}.${tag}.tmp`);
  const old = join(parent, `.${basename(dir)}.${tag}.old`);
  try {
    await mkdir(temp);
    for (const f of files) {
      const handle = await open(join(temp, f.path), 'wx');
      try {
        await handle.writeFile(f.text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    if (existsSync(dir)) await rename(dir, old);
    await rename(temp, dir);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(dir)) await rename(old, dir);
    throw err;
  }
  await rm(old, { recursive: true, force: true });
}
