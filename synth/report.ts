// What `lbamac synth` reports: the PE and the whole array of a configuration for one target,
// optionally placed and routed, beside the same array accumulating in fp32, with the ratios.
import { LbamacError } from '../core/errors.js';
import { canonicalConfig, type CanonicalConfig } from '../config/canonical.js';
import type { ArrayConfig } from '../config/resolve.js';
import type { SynthCache } from './cache.js';
import { designFor, fp32Baseline, isFp32Accumulation, synthesizeConfig } from './config.js';
import { logicCellsNeeded, placeAndRoute, PNR_DEVICE, type PnrResult } from './pnr.js';
import { hierarchicalArray, type SynthResult } from './synthesize.js';
import { type Target, targetSpec } from './targets.js';

export interface DesignReport {
  config: CanonicalConfig & { pipeline: { stages: number } };
  pe: SynthResult;
  /** The array: from its parts (edge + PE × rows × cols), or flattened (`flat`). */
  array: SynthResult;
  flat: boolean;
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
  /** Synthesize the whole array flattened in one Yosys run (slow) instead of from its parts. */
  flat?: boolean;
  cache: SynthCache | null;
  /** Called before each step, for progress messages. */
  onStep?: (what: string) => void;
}

async function designReport(cfg: ArrayConfig, label: string, target: Target, opts: SynthReportOptions): Promise<DesignReport> {
  opts.onStep?.(`${label}: PE`);
  const pe = await synthesizeConfig(cfg, target, 'pe', opts.cache);
  let array: SynthResult;
  if (opts.flat) {
    opts.onStep?.(`${label}: ${cfg.rows}x${cfg.cols} array, flattened`);
    array = await synthesizeConfig(cfg, target, 'array', opts.cache);
  } else {
    opts.onStep?.(`${label}: ${cfg.rows}x${cfg.cols} array edge (skew and deskew lines)`);
    const edge = await synthesizeConfig(cfg, target, 'edge', opts.cache);
    array = hierarchicalArray(edge, pe, cfg.rows * cfg.cols, targetSpec(target));
    if (opts.pnr && target === 'ice40') checkArrayFits(cfg, label, edge, pe, array);
  }
  let pnr: PnrResult | null = null;
  if (opts.pnr) {
    opts.onStep?.(`${label}: place and route`);
    // The iCE40 figures of the parts say before any flat synthesis whether the array can fit.
    pnr = await placeAndRoute(designFor(cfg, 'array'), opts.cache, target === 'ice40' ? array.resources : null);
  }
  return { config: { ...canonicalConfig(cfg), pipeline: cfg.pipeline ?? { stages: 0 } }, pe, array, flat: opts.flat ?? false, pnr };
}

const cellsOf = (r: SynthResult) => logicCellsNeeded(r.resources);

/** Refuses --pnr of an array that cannot fit the device, saying how many PEs would. */
function checkArrayFits(cfg: ArrayConfig, label: string, edge: SynthResult, pe: SynthResult, array: SynthResult): void {
  const need = cellsOf(array);
  if (need <= PNR_DEVICE.logicCells) return;
  // The edge grows with rows + cols; counting it at full size keeps the estimate on the safe side.
  const fit = Math.max(0, Math.floor((PNR_DEVICE.logicCells - cellsOf(edge)) / cellsOf(pe)));
  const side = Math.floor(Math.sqrt(fit));
  throw new LbamacError(
    `${label}: the ${cfg.rows}x${cfg.cols} array needs at least ${need} iCE40 logic cells (${array.resources.counts.lut} LUT4s, ${array.resources.counts.ff} flip-flops; ` +
      `each PE ${cellsOf(pe)}), the ${PNR_DEVICE.device.toUpperCase()} has ${PNR_DEVICE.logicCells}: ` +
      (fit > 0 ? `at most ${fit} PEs of this configuration fit (e.g. a ${side}x${side} array)` : 'not even one PE of this configuration fits'),
  );
}

export async function synthReport(cfg: ArrayConfig, target: Target, opts: SynthReportOptions): Promise<SynthReport> {
  if (opts.pnr && target !== 'ice40') throw new LbamacError(`--pnr places and routes on an iCE40: it needs --target ice40, not "${target}"`);
  const design = await designReport(cfg, 'this config', target, opts);
  const fp32 = isFp32Accumulation(cfg) ? null : await designReport(fp32Baseline(cfg), 'fp32 accumulation', target, opts);
  const ratio = fp32 === null ? null : { pe: design.pe.area / fp32.pe.area, array: design.array.area / fp32.array.area };
  return { target, design, fp32, ratio };
}
