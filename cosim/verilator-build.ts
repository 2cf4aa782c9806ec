// Cached Verilator builds: one Verilated executable per build spec (Verilog sources, C++ main,
// options). Builds land in out/verilator/<key>/ (git-ignored, or $LBAMAC_BUILD_DIR), the key a
// hash of the Verilator version and everything in the spec, so a second run with the same
// sources does not rebuild. The array harness (array-harness.ts) and the unit harness of the
// tests (testbenches/verilator.ts) build through here.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishDirOnce, tempSibling } from '../util/atomic-write.js';
import { sha256Fields } from '../util/hash.js';
import { packageRoot } from '../util/package-root.js';
import { requireTool } from './tools.js';

export interface VerilatorBuildOptions {
  /** Where builds are cached; default <package>/out/verilator (or $LBAMAC_BUILD_DIR). */
  outDir?: string;
  /** Parallel C++ compile jobs; default 2. */
  jobs?: number;
}

/** One Verilated executable: sources, C++ main and options; everything here goes into the cache key. */
export interface VerilatorBuildSpec {
  /** Verilog sources, written into the build's src/ (one module a file). */
  files: readonly { path: string; text: string }[];
  /** The C++ main. */
  cpp: string;
  top: string;
  /** Verilator options beyond --cc --exe --build. */
  flags: readonly string[];
  /** C++ optimization of the model's per-cycle code and the Verilator runtime (OPT_FAST and
   *  OPT_GLOBAL; default Verilator's -Os). Low levels build much faster and run slower. The code
   *  that runs once (OPT_SLOW: constructors, initial settling) stays unoptimized, as Verilator
   *  leaves it. */
  cxxOpt?: '-O0' | '-O1' | '-O2' | '-O3';
  /** Compile the model as two C++ files, its per-cycle code and its run-once code, each including
   *  Verilator's output files (as its own VM_PARALLEL_BUILDS=0 does with one), instead of one
   *  compile per output file. Every file parses Verilator's headers (about 1.4 s each on the test
   *  machines) and a batched build writes a hundred of them: where the code itself compiles fast
   *  (-O0, -O1) this builds in well under half the time; where it compiles slowly (-O3) a file at
   *  a time, two at once, wins. */
  unity?: boolean;
}

export interface VerilatorBuild {
  exe: string;
  dir: string;
  /** False when the build came from the cache. */
  built: boolean;
  /** Wall time of this call (the Verilator build, or the cache lookup). */
  seconds: number;
}

/** The cache key of a build: the Verilator version and everything in the spec. */
function buildKey(spec: VerilatorBuildSpec, version: string): string {
  const fields = [version, spec.top, spec.flags.join(' '), spec.cxxOpt ?? '', spec.unity ? 'unity' : '', spec.cpp, ...spec.files.flatMap((f) => [f.path, f.text])];
  return sha256Fields(fields).slice(0, 16);
}

/**
 * Builds (or finds in the cache) a Verilated executable. Builds land in <outDir>/<key>/: a second
 * call with the same spec returns at once. build.sh in the directory records the command.
 */
export function verilatorBuild(spec: VerilatorBuildSpec, opts: VerilatorBuildOptions = {}): VerilatorBuild {
  const t0 = performance.now();
  const version = requireTool('verilator');
  const key = buildKey(spec, version);
  const root = opts.outDir ?? defaultBuildDir();
  const dir = join(root, key);
  const exe = join(dir, 'obj', 'harness');
  if (existsSync(exe)) return { exe, dir, built: false, seconds: (performance.now() - t0) / 1000 };

  // Build in a private directory, then move it into place (concurrent runs cannot see half a build).
  const tmp = tempSibling(dir);
  mkdirSync(join(tmp, 'src'), { recursive: true });
  const paths: string[] = [];
  for (const f of spec.files) {
    const p = join(tmp, 'src', f.path);
    writeFileSync(p, f.text);
    paths.push(p);
  }
  const cppPath = join(tmp, 'src', 'harness.cpp');
  writeFileSync(cppPath, spec.cpp);
  const obj = join(tmp, 'obj');
  const jobs = String(opts.jobs ?? 2);
  const make = spec.cxxOpt ? ['OPT_FAST', 'OPT_GLOBAL'].map((v) => `${v}=${spec.cxxOpt}`) : [];
  const verilate = ['--cc', '--exe', ...spec.flags, '--top-module', spec.top, '--Mdir', obj, '-o', 'harness', ...paths, cppPath];
  const steps: string[][] = [];
  if (spec.unity) {
    steps.push(['verilator', ...verilate]);
    run(tmp, steps[0]!);
    steps.push(['make', '-C', obj, '-f', `V${spec.top}.mk`, '-j', jobs, ...make, ...unitySources(obj, `V${spec.top}`)]);
    run(tmp, steps[1]!);
  } else {
    steps.push(['verilator', '--build', '-j', jobs, ...make.flatMap((m) => ['-MAKEFLAGS', m]), ...verilate]);
    run(tmp, steps[0]!);
  }
  const shown = steps.map((cmd) => cmd.map((a) => (a.includes(tmp) ? a.replaceAll(tmp, '.') : a)).join(' '));
  writeFileSync(join(tmp, 'build.sh'), `#!/bin/sh\n# How this harness was built.\n${shown.join('\n')}\n`);
  publishDirOnce(tmp, dir);
  if (!existsSync(exe)) throw new Error(`verilator build did not produce ${exe}`);
  return { exe, dir, built: true, seconds: (performance.now() - t0) / 1000 };
}

/** Runs one step of a build in `tmp`; a failure leaves its output in tmp/build.log and throws. */
function run(tmp: string, cmd: readonly string[]): void {
  const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status === 0) return;
  const log = `${cmd.join(' ')}\n${r.error?.message ?? ''}\n${r.stdout}\n${r.stderr}`;
  writeFileSync(join(tmp, 'build.log'), log);
  throw new Error(`verilator build failed (log in ${join(tmp, 'build.log')}):\n${log.slice(-4000)}`);
}

/** The files of a Verilated model's class list in <prefix>_classes.mk (`NAME += \` then a name a line). */
function classList(mk: string, name: string): string[] {
  const m = new RegExp(`^${name} \\+= \\\\\n((?:\t.*\n)*)`, 'm').exec(mk);
  return m ? m[1]!.split('\n').map((l) => l.replace(/\\$/, '').trim()).filter((l) => l !== '') : [];
}

/**
 * Writes <prefix>__unity_fast.cpp and __unity_slow.cpp, each including the model's files of its
 * kind, and returns the make variables that compile those instead (the fast one with OPT_FAST,
 * the slow one with OPT_SLOW, as Verilator compiles the files they include).
 */
function unitySources(obj: string, prefix: string): string[] {
  const mk = readFileSync(join(obj, `${prefix}_classes.mk`), 'utf8');
  const vars: string[] = ['VM_SUPPORT_FAST=', 'VM_SUPPORT_SLOW='];
  for (const kind of ['FAST', 'SLOW'] as const) {
    const files = [...classList(mk, `VM_CLASSES_${kind}`), ...classList(mk, `VM_SUPPORT_${kind}`)];
    if (files.length === 0) {
      vars.push(`VM_CLASSES_${kind}=`);
      continue;
    }
    const unity = `${prefix}__unity_${kind.toLowerCase()}`;
    writeFileSync(join(obj, `${unity}.cpp`), files.map((f) => `#include "${f}.cpp"\n`).join(''));
    vars.push(`VM_CLASSES_${kind}=${unity}`);
  }
  return vars;
}

/** <package>/out/verilator, or $LBAMAC_BUILD_DIR. */
function defaultBuildDir(): string {
  return process.env.LBAMAC_BUILD_DIR ?? join(packageRoot(), 'out', 'verilator');
}

/**
 * The Verilog of a harness build's wrapper top: the header comment lines, then module `name`
 * with the given port declarations and instances (both harnesses put their tops behind one).
 */
export function wrapperModule(name: string, ports: readonly string[], insts: readonly string[], header: readonly string[]): string {
  return [...header, '`default_nettype none', '', `module ${name} (`, ports.join(',\n'), ');', ...insts, 'endmodule', '', '`default_nettype wire', ''].join('\n');
}

/** A C++ function `fn` that appends a whole file of little-endian uint32 words to `words`. */
export function cppReadWords(fn: string): string {
  return `static bool ${fn}(const char* path, std::vector<uint32_t>& words) {
  FILE* f = std::fopen(path, "rb");
  if (!f) return false;
  uint32_t buf[4096];
  size_t n;
  while ((n = std::fread(buf, sizeof(uint32_t), 4096, f)) > 0) words.insert(words.end(), buf, buf + n);
  std::fclose(f);
  return true;
}`;
}
