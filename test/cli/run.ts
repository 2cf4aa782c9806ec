// Runs the CLI in a child process, as a user would, and captures the outcome. The CLI runs as
// bin/lbamac runs it, compiled to JavaScript (dist/'s layout): the sources are compiled once per
// test process (transpiled file by file, a few seconds), and each run then starts in about half
// the time the sources take under tsx (its loader hooks cost ~0.8 s a start over some 200 CLI
// runs). The tsx path keeps its own tests (test/cli/sweep.test.ts: sweeps with worker threads).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { packageRoot } from '../../util/package-root.js';
import { tempDir } from '../support/tmp.js';

export const ROOT = packageRoot();

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The directories of the sources the CLI is built from (tsconfig.json's, less test/, bench/, scripts/). */
const SOURCE_DIRS = ['arch', 'cli', 'config', 'core', 'cosim', 'engine', 'golden', 'onnx', 'report', 'rtl-gen', 'sim', 'sweep', 'synth', 'testbenches', 'util', 'workloads'];

let compiledRoot: string | undefined;

/**
 * A directory inside the package (so that package.json, models/ and node_modules/ resolve as from
 * dist/) holding every source compiled to JavaScript with the project's target: ES modules, .js
 * imports as written. Readable by everyone (test/cli/fs-errors.test.ts runs the CLI as nobody).
 */
export function compiledCliRoot(): string {
  if (compiledRoot !== undefined) return compiledRoot;
  mkdirSync(join(ROOT, 'out'), { recursive: true }); // git-ignored: absent in a fresh clone
  const dir = tempDir('cli-js', join(ROOT, 'out'));
  chmodSync(dir, 0o755);
  const compilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext };
  const walk = (from: string): void => {
    for (const e of readdirSync(from, { withFileTypes: true })) {
      const path = join(from, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        const out = join(dir, relative(ROOT, path)).replace(/\.ts$/, '.js');
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, ts.transpileModule(readFileSync(path, 'utf8'), { compilerOptions, fileName: path }).outputText);
      }
    }
  };
  for (const d of SOURCE_DIRS) walk(join(ROOT, d));
  return (compiledRoot = dir);
}

/** The compiled CLI's entry point (compiledCliRoot's cli/main.js). */
export function compiledCli(): string {
  return join(compiledCliRoot(), 'cli', 'main.js');
}

export function lbamac(...args: string[]): Run {
  const r = spawnSync(process.execPath, [compiledCli(), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** lbamac from its sources under tsx (`node --import tsx cli/main.ts`), the developers' way. */
export function lbamacTsx(...args: string[]): Run {
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
