// One synthesis: a Verilog design and its top module, mapped for a target; resources and logic
// depth parsed from Yosys, cached by everything that decides them.
import { generatorInfo } from '../rtl-gen/back/module.js';
import { sha256 } from '../util/hash.js';
import { cacheKey, type SynthCache } from './cache.js';
import { headlineArea, parseLtp, parseStat, type Resources } from './parse.js';
import { type Target, targetSpec, type TargetSpec } from './targets.js';
import { runYosysScript, yosysVersion, type VerilogFile } from './yosys.js';

/** Bumped whenever a script or the parsing changes: older cache entries then stop matching. */
export const SYNTH_VERSION = 1;

export interface SynthDesign {
  files: readonly VerilogFile[];
  top: string;
  /** What the files were generated from (a canonical config), for the cache key and the report. */
  source: unknown;
  /** A module kept as a black box (counted as nothing). */
  blackBox?: string;
}

export interface SynthResult {
  target: Target;
  top: string;
  resources: Resources;
  /** The target's headline area (targets.ts): gates+FFs for `gates`, LUTs for the FPGAs. */
  area: number;
  unit: string;
  /** Cells on the longest combinational path (ltp -noff); null if Yosys found a loop. */
  depth: number | null;
  yosys: string;
  generator: string;
  /** Wall time of the Yosys run that produced the result (also when it now comes from the cache). */
  seconds: number;
  /** Yosys warnings, if any (generated Verilog should give none). */
  warnings: string[];
  /** True when this call found the result in the cache and ran nothing. */
  cached: boolean;
}

/** The Yosys commands of a target, from the elaborated design to the reports. */
export function synthScript(top: string, target: Target): string[] {
  const spec = targetSpec(target);
  return [
    `hierarchy -check -top ${top}`,
    ...spec.synth(top),
    'tee -q -o stat.json stat -json',
    // Depth over the combinational cells only: flip-flops (the target's own types, and Yosys's
    // with -noff) end paths instead of joining them.
    `tee -q -o ltp.txt ltp -noff * ${spec.ffSelection} %d`,
  ];
}

/** Everything that decides a result; its hash names the cache entry. */
async function keyInputs(design: SynthDesign, target: Target): Promise<Record<string, unknown>> {
  return {
    v: SYNTH_VERSION,
    target,
    top: design.top,
    source: design.source,
    yosys: await yosysVersion(),
    generator: generatorInfo().version,
    // The Verilog itself: an edited generator gives new text, hence a new key, even before
    // its version number changes.
    verilog: sha256(design.files.map((f) => `${f.path}\n${f.text}`).join('\n')),
  };
}

export async function synthesize(design: SynthDesign, target: Target, cache: SynthCache | null): Promise<SynthResult> {
  const inputs = await keyInputs(design, target);
  const key = cacheKey(inputs);
  if (cache) {
    const hit = await cache.get<SynthResult>(key);
    if (hit) return { ...hit, cached: true };
  }
  const spec = targetSpec(target);
  const start = performance.now();
  const { outputs, log } = await runYosysScript(design.files, synthScript(design.top, target), ['stat.json', 'ltp.txt']);
  const seconds = (performance.now() - start) / 1000;
  const resources = parseStat(outputs['stat.json']!, design.top, spec);
  if (design.blackBox !== undefined) {
    delete resources.other[design.blackBox];
    delete resources.byType[design.blackBox];
  }
  const result: SynthResult = {
    target,
    top: design.top,
    resources,
    area: headlineArea(resources, spec),
    unit: spec.area.unit,
    depth: parseLtp(outputs['ltp.txt']!),
    yosys: inputs.yosys as string,
    generator: inputs.generator as string,
    seconds,
    warnings: log.split('\n').filter((l) => /^warning:/i.test(l.trim())),
    cached: false,
  };
  if (cache) await cache.put(key, inputs, result);
  return result;
}

/**
 * The array from its parts: the edge (top with the grid a black box) plus `pes` copies of the PE.
 * Every PE is the same module, so this is what the flattened array holds, less what flattening
 * lets Yosys share or remove across PE boundaries (a few percent; `lbamac synth --flat` measures it).
 */
export function hierarchicalArray(edge: SynthResult, pe: SynthResult, pes: number, spec: TargetSpec): SynthResult {
  const sum = (a: Record<string, number>, b: Record<string, number>) => {
    const out = { ...a };
    for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + pes * n;
    return out;
  };
  const resources: Resources = {
    counts: sum(edge.resources.counts, pe.resources.counts) as Resources['counts'],
    other: sum(edge.resources.other, pe.resources.other),
    byType: sum(edge.resources.byType, pe.resources.byType),
    portBits: edge.resources.portBits,
  };
  // Every path inside the array starts and ends at a register of one PE or of the edge lines.
  const depth = edge.depth === null || pe.depth === null ? null : Math.max(edge.depth, pe.depth);
  return {
    ...edge,
    resources,
    area: headlineArea(resources, spec),
    depth,
    seconds: edge.seconds + pe.seconds,
    warnings: [...edge.warnings, ...pe.warnings],
    cached: edge.cached && pe.cached,
  };
}
