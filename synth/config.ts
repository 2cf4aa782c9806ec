// Synthesis of an array configuration: its PE alone (the area a sweep point needs) or the whole
// array, and the fp32-accumulation baseline the CLI compares against.
import { parseFormatName } from '../core/format.js';
import { canonicalConfig } from '../config/canonical.js';
import type { ArrayConfig } from '../config/resolve.js';
import { generateRtl } from '../rtl-gen/generate.js';
import type { VModule } from '../rtl-gen/back/module.js';
import { gridModule } from '../rtl-gen/hdl/grid.js';
import type { SynthCache } from './cache.js';
import { synthesize, type SynthDesign, type SynthResult } from './synthesize.js';
import type { Target } from './targets.js';

/** The PE alone; the whole array flattened; the array's edge (the top with its grid a black box). */
export type Scope = 'pe' | 'array' | 'edge';

/**
 * The config whose RTL a scope synthesizes. Every PE of an array is the same module, so the PE
 * is taken from a 1 x 1 array: its result is then shared (and cached once) by every array shape.
 */
export function scopeConfig(cfg: ArrayConfig, scope: Scope): ArrayConfig {
  return scope === 'pe' ? { ...cfg, rows: 1, cols: 1 } : cfg;
}

export function designFor(cfg: ArrayConfig, scope: Scope): SynthDesign {
  const c = scopeConfig(cfg, scope);
  const rtl = generateRtl(c);
  const source = { scope, config: canonicalConfig(c), pipeline: c.pipeline ?? { stages: 0 } };
  if (scope !== 'edge') return { files: rtl.files, top: scope === 'pe' ? rtl.pe : rtl.top, source };
  // The grid's file becomes a black box with the grid's ports: Yosys keeps the edge lines and
  // drops the PEs (hierarchy removes the modules nothing instantiates any more).
  const grid = gridModule(rtl.arch, []);
  const files = rtl.files.map((f) => (f.path === `${grid.name}.v` ? { path: f.path, text: blackBox(grid) } : f));
  return { files, top: rtl.top, source, blackBox: grid.name };
}

/** A module with the ports of m and nothing inside, marked as a black box for Yosys. */
function blackBox(m: VModule): string {
  const ports = m.ports.map((p) => `  ${p.dir} wire ${p.width > 1 ? `[${p.width - 1}:0] ` : ''}${p.name}`);
  return `(* blackbox *)\nmodule ${m.name} (\n${ports.join(',\n')}\n);\nendmodule\n`;
}

export async function synthesizeConfig(cfg: ArrayConfig, target: Target, scope: Scope, cache: SynthCache | null): Promise<SynthResult> {
  return synthesize(designFor(cfg, scope), target, cache);
}

/** The same array accumulating in fp32: acc and chunk total fp32 (a fixed-point register
 *  replaced by the float one), everything else unchanged. */
export function fp32Baseline(cfg: ArrayConfig): ArrayConfig {
  const fp32 = parseFormatName('fp32');
  const { fixed: _fixed, ...float } = cfg;
  return { ...float, acc: fp32, total: fp32 };
}

/** True when the config already accumulates (and totals) in fp32, so the baseline is itself. */
export function isFp32Accumulation(cfg: ArrayConfig): boolean {
  // Format names are canonical: one name per distinct format; a fixed-point register into fp32 is not fp32.
  return cfg.fixed === undefined && cfg.acc.name === 'fp32' && cfg.total.name === 'fp32';
}
