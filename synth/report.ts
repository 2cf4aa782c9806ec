// What `lbamac synth` reports: the PE and the whole array of a configuration for one target,
// optionally placed and routed, beside the same array accumulating in fp32, with the ratios.
import { LbamacError } from '../core/errors.js';
import { canonicalConfig, type CanonicalConfig } from '../config/canonical.js';
import type { ArrayConfig } from '../config/resolve.js';
import type { SynthCache } from './cache.js';
import { designFor, fp32Baseline, isFp32Accumulation, synthesizeConfig } from './config.js';
import { placeAndRoute, type PnrResult } from './pnr.js';
import type { SynthResult } from './synthesize.js';
import type { Target } from './targets.js';

export interface DesignReport {
  config: CanonicalConfig & { pipeline: { stages: number } };
  pe: SynthResult;
  array: SynthResult;
  pnr: PnrResult | null;
}

export interface SynthReport {
  target: Target;
  design: DesignReport;
  /** The same array with fp32 accumulation; null when the config already accumulates in fp32. */
  fp32: DesignReport | null;
  /** Headline area of the design over the fp32 baseline's (below 1: smaller). */
  ratio: { pe: number; array: number } | null;
}

export interface SynthReportOptions {
  pnr: boolean;
  cache: SynthCache | null;
  /** Called before each step, for progress messages. */
  onStep?: (what: string) => void;
}

async function designReport(cfg: ArrayConfig, label: string, target: Target, opts: SynthReportOptions): Promise<DesignReport> {
  opts.onStep?.(`${label}: PE`);
  const pe = await synthesizeConfig(cfg, target, 'pe', opts.cache);
  opts.onStep?.(`${label}: ${cfg.rows}x${cfg.cols} array`);
  const array = await synthesizeConfig(cfg, target, 'array', opts.cache);
  let pnr: PnrResult | null = null;
  if (opts.pnr) {
    opts.onStep?.(`${label}: place and route`);
    pnr = await placeAndRoute(designFor(cfg, 'array'), opts.cache);
  }
  return { config: { ...canonicalConfig(cfg), pipeline: cfg.pipeline ?? { stages: 0 } }, pe, array, pnr };
}

export async function synthReport(cfg: ArrayConfig, target: Target, opts: SynthReportOptions): Promise<SynthReport> {
  if (opts.pnr && target !== 'ice40') throw new LbamacError(`--pnr places and routes on an iCE40: it needs --target ice40, not "${target}"`);
  const design = await designReport(cfg, 'this config', target, opts);
  const fp32 = isFp32Accumulation(cfg) ? null : await designReport(fp32Baseline(cfg), 'fp32 accumulation', target, opts);
  const ratio = fp32 === null ? null : { pe: design.pe.area / fp32.pe.area, array: design.array.area / fp32.array.area };
  return { target, design, fp32, ratio };
}
