// `lbamac verify`: random jobs with corner-case operands through the simulator and the Verilated
// RTL of one configuration, every output port compared in every cycle.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LbamacError } from '../core/errors.js';
import type { Arch } from '../arch/types.js';
import type { ArrayConfig } from '../config/resolve.js';
import { generateRtl } from '../rtl-gen/generate.js';
import { type ArrayHarnessBuild, buildArrayHarness, type RtlDesign } from './array-harness.js';
import { checkTestbenchDir, type IcarusArrayResult, runArrayIcarus } from '../testbenches/array-testbench.js';
import { configHash } from '../rtl-gen/hdl/config-text.js';
import { MANIFEST_FILE } from '../rtl-gen/package.js';
import { cosimulate, type CosimResult } from './cosimulate.js';
import { describeJob, randomJobs } from './random-job.js';
import { traceJob } from './trace.js';

export const MAX_VECTORS = 10_000;

export interface VerifyOptions {
  /** Random jobs to run. */
  vectors: number;
  seed: number;
  /** Verify the Verilog in this directory (e.g. written by `lbamac gen`) instead of generating it. */
  rtlDir?: string;
  /** Where Verilator builds are cached. */
  buildDir?: string;
  /** Also write the self-checking Icarus testbench of the first job here and run it. */
  icarusDir?: string;
}

export interface VerifyOutcome {
  build: ArrayHarnessBuild;
  results: CosimResult[];
  failed: CosimResult[];
  /** The Icarus run of the first job, when asked for. */
  icarus?: IcarusArrayResult;
}

/**
 * The configuration hash and top module of the directory's manifest.json, when it has one (`lbamac
 * gen` writes it; a directory of hand-written Verilog may not).
 */
function manifestOf(dir: string): { hash: string; top: string | null } | null {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return null;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as { configHash?: unknown; top?: unknown } | null;
    if (typeof m?.configHash === 'string') return { hash: m.configHash, top: typeof m.top === 'string' ? m.top : null };
  } catch {
    // reported below
  }
  throw new LbamacError(`--rtl ${dir}: ${path} has no configHash; regenerate the directory with \`lbamac gen\``);
}

/**
 * The design in a directory: every .v file in it; the top is the manifest's (`gen --top` and
 * `--prefix` rename it), else arch.top. The manifest's hash is compared first: another
 * configuration's RTL would otherwise fail in Verilator with pin errors.
 */
export function loadRtlDir(arch: Arch, dir: string, hash: string): RtlDesign {
  const manifest = manifestOf(dir);
  if (manifest !== null && manifest.hash !== hash) {
    throw new LbamacError(`--rtl ${dir}: its manifest.json is for the configuration with hash ${manifest.hash}, --config has hash ${hash}; regenerate it with \`lbamac gen --config … -o ${dir}\` or pass that configuration`);
  }
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.v'));
  } catch (err) {
    throw new LbamacError(`--rtl ${dir}: cannot read the directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const top = manifest?.top ?? arch.top;
  if (!names.includes(`${top}.v`)) throw new LbamacError(`--rtl ${dir}: no ${top}.v (the array top); expected the directory \`lbamac gen\` writes`);
  return { arch, top, files: names.sort().map((n) => ({ path: n, text: readFileSync(join(dir, n), 'utf8') })) };
}

function checkCount(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new LbamacError(`--${name} = ${v} is not allowed; expected an integer from ${min} to ${max}`);
}

export function verifyConfig(cfg: ArrayConfig, opts: VerifyOptions): VerifyOutcome {
  checkCount('vectors', opts.vectors, 1, MAX_VECTORS);
  checkCount('seed', opts.seed, 0, 2 ** 32 - 1);
  if (opts.icarusDir !== undefined) checkTestbenchDir(opts.icarusDir);
  const generated = generateRtl(cfg);
  const design = opts.rtlDir === undefined ? generated : loadRtlDir(generated.arch, opts.rtlDir, configHash(cfg));
  const build = buildArrayHarness([design], opts.buildDir === undefined ? {} : { outDir: opts.buildDir });
  const jobs = randomJobs(cfg, opts.vectors, opts.seed);
  const results = cosimulate(
    build,
    jobs.map((job, k) => ({ top: 0, job, label: `job ${k + 1} of ${jobs.length} (${describeJob(job)}, seed ${opts.seed})` })),
  );
  const outcome: VerifyOutcome = { build, results, failed: results.filter((r) => r.comparison.total > 0) };
  if (opts.icarusDir !== undefined) outcome.icarus = runArrayIcarus(design, traceJob(design.arch, jobs[0]!), opts.icarusDir);
  return outcome;
}
