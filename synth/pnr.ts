// Place and route on an iCE40 (@yowasp/nextpnr-ice40) for the achieved clock frequency. Small
// arrays only: the design goes on an HX8K (the largest iCE40: 7680 logic cells) in its CT256
// package, with its pins placed by nextpnr, and a design that cannot fit is a clear error.
import { LbamacError } from '../core/errors.js';
import { generatorInfo } from '../rtl-gen/back/module.js';
import { sha256 } from '../util/hash.js';
import { cacheKey, type SynthCache } from './cache.js';
import { parseStat, type Resources } from './parse.js';
import { SYNTH_VERSION, type SynthDesign } from './synthesize.js';
import { targetSpec } from './targets.js';
import { runYosysScript, yosysVersion } from './yosys.js';

export const PNR_DEVICE = { family: 'iCE40', device: 'hx8k', package: 'ct256', logicCells: 7680, ioPins: 206 } as const;
/** Fixed, so that the same netlist always places the same way (and the cache is honest). */
const SEED = 1;
// There is no clock constraint to meet: --timing-allow-fail keeps nextpnr's default 12 MHz target
// from failing a slower design, whose achieved fmax is what we want to know.

export interface PnrResult {
  device: string;
  /** Achieved fmax of the slowest clock domain, MHz (null: no clocked path). */
  fmaxMHz: number | null;
  /** nextpnr's utilization report: resource -> used / available. */
  utilization: Record<string, { used: number; available: number }>;
  nextpnr: string;
  /** Wall time of synthesis plus place and route. */
  seconds: number;
  cached: boolean;
}

/** How many times nextpnr actually ran in this process. */
export const nextpnrRuns = { count: 0 };

type NextpnrModule = typeof import('@yowasp/nextpnr-ice40');
let loaded: Promise<NextpnrModule> | undefined;

async function nextpnrModule(): Promise<NextpnrModule> {
  loaded ??= import('@yowasp/nextpnr-ice40').catch((e: unknown) => {
    loaded = undefined;
    throw new LbamacError(`@yowasp/nextpnr-ice40 could not be loaded (${(e as Error).message}); run \`npm install\` in the lbamac directory`);
  });
  return loaded;
}

interface NextpnrReport {
  fmax?: Record<string, { achieved: number; constraint: number }>;
  utilization?: Record<string, { used: number; available: number }>;
}

/** Reads nextpnr's --report JSON: the slowest clock's achieved fmax, and the utilization. */
export function parsePnrReport(json: string): { fmaxMHz: number | null; utilization: Record<string, { used: number; available: number }> } {
  const r = JSON.parse(json) as NextpnrReport;
  const clocks = Object.values(r.fmax ?? {}).map((c) => c.achieved);
  return { fmaxMHz: clocks.length > 0 ? Math.min(...clocks) : null, utilization: r.utilization ?? {} };
}

/**
 * Places and routes the design. `estimate`, the iCE40 resources of the same design from its
 * parts, refuses an array that cannot fit before the (slow) flat synthesis; a design that does
 * not fit is remembered in the cache like a result, so that asking again fails at once.
 */
export async function placeAndRoute(design: SynthDesign, cache: SynthCache | null, estimate: Resources | null = null): Promise<PnrResult> {
  if (estimate !== null) checkFit(design.top, estimate);
  const { version: nextpnr } = await nextpnrModule();
  const inputs = {
    v: SYNTH_VERSION,
    step: 'pnr',
    top: design.top,
    source: design.source,
    device: PNR_DEVICE,
    seed: SEED,
    yosys: await yosysVersion(),
    nextpnr,
    generator: generatorInfo().version,
    verilog: sha256(design.files.map((f) => `${f.path}\n${f.text}`).join('\n')),
  };
  const key = cacheKey(inputs);
  if (cache) {
    const hit = await cache.get<PnrResult | { failure: string }>(key);
    if (hit && 'failure' in hit) throw new LbamacError(`${hit.failure} (remembered from an earlier run; --no-cache tries again)`);
    if (hit) return { ...hit, cached: true };
  }
  try {
    const result = await run(design, inputs.nextpnr);
    if (cache) await cache.put(key, inputs, result);
    return result;
  } catch (e) {
    if (cache && e instanceof LbamacError) await cache.put(key, inputs, { failure: e.message });
    throw e;
  }
}

/** iCE40 logic cells a design needs at least: a cell holds one LUT4 and one flip-flop. */
export function logicCellsNeeded(res: Resources): number {
  return Math.max(res.counts.lut, res.counts.ff);
}

/** More LUTs or flip-flops than the device has logic cells cannot fit. */
function checkFit(top: string, res: Resources): void {
  const cells = logicCellsNeeded(res);
  if (cells > PNR_DEVICE.logicCells) {
    throw new LbamacError(
      `${top} needs at least ${cells} iCE40 logic cells (${res.counts.lut} LUT4s, ${res.counts.ff} flip-flops); ` +
        `the largest iCE40 (${PNR_DEVICE.device}) has ${PNR_DEVICE.logicCells}. --pnr is for small arrays: use fewer rows and columns.`,
    );
  }
}

async function run(design: SynthDesign, nextpnr: string): Promise<PnrResult> {
  const { runNextpnrIce40 } = await nextpnrModule();
  const start = performance.now();
  const synth = await runYosysScript(
    design.files,
    [`hierarchy -check -top ${design.top}`, ...targetSpec('ice40').synth(design.top), 'tee -q -o stat.json stat -json', 'write_json netlist.json'],
    ['stat.json', 'netlist.json'],
  );
  const res = parseStat(synth.outputs['stat.json']!, design.top, targetSpec('ice40'));
  checkFit(design.top, res);
  if (res.portBits > PNR_DEVICE.ioPins) {
    throw new LbamacError(
      `${design.top} has ${res.portBits} port bits, one I/O pin each; the ${PNR_DEVICE.device} ${PNR_DEVICE.package} has ${PNR_DEVICE.ioPins}. ` +
        '--pnr is for small arrays: use fewer rows and columns or narrower formats.',
    );
  }
  let log = '';
  const collect = (bytes: Uint8Array | null) => {
    if (bytes) log += new TextDecoder().decode(bytes);
  };
  nextpnrRuns.count++;
  let out: Record<string, unknown>;
  try {
    out = (await runNextpnrIce40(
      [`--${PNR_DEVICE.device}`, '--package', PNR_DEVICE.package, '--json', 'netlist.json', '--report', 'report.json', '--seed', String(SEED), '--timing-allow-fail'],
      { 'netlist.json': synth.outputs['netlist.json']! },
      { stdout: collect, stderr: collect },
    )) as Record<string, unknown>;
  } catch (e) {
    const errors = log.split('\n').filter((l) => /error/i.test(l));
    throw new LbamacError(
      `nextpnr-ice40 could not place and route ${design.top} on an ${PNR_DEVICE.family} ${PNR_DEVICE.device} (${PNR_DEVICE.package}): ` +
        `${errors.join('; ') || (e as Error).message} (the device has ${PNR_DEVICE.logicCells} logic cells and ${PNR_DEVICE.ioPins} I/O pins; ` +
        `the design needs ${res.counts.lut} LUT4s, ${res.counts.ff} flip-flops, ${res.portBits} pins). Use a smaller array.`,
    );
  }
  const reportFile = out['report.json'];
  if (reportFile === undefined) throw new Error(`nextpnr wrote no report.json\n${log.slice(-3000)}`);
  const report = parsePnrReport(typeof reportFile === 'string' ? reportFile : new TextDecoder().decode(reportFile as Uint8Array));
  const result: PnrResult = {
    device: `${PNR_DEVICE.family} ${PNR_DEVICE.device.toUpperCase()} (${PNR_DEVICE.package})`,
    ...report,
    nextpnr,
    seconds: (performance.now() - start) / 1000,
    cached: false,
  };
  return result;
}
