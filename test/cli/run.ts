// Runs the CLI from its sources in a child process, as a user would, and captures the outcome.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../util/package-root.js';
import { tempDir } from '../support/tmp.js';

export const ROOT = packageRoot();

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function lbamac(...args: string[]): Run {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh directory holding the given files (strings and bytes are written verbatim, anything else as JSON). */
export function fixture(files: Record<string, unknown>): string {
  const dir = tempDir('cli');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), typeof content === 'string' || content instanceof Uint8Array ? content : JSON.stringify(content));
  return dir;
}

export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}
