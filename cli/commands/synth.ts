// `lbamac synth`: the configuration's PE and array through Yosys for one target (and nextpnr with
// --pnr), beside the same array with fp32 accumulation; a table, and the whole report as JSON.
import type { CommandModule } from 'yargs';
import { loadConfig } from '../../engine/job.js';
import { defaultCacheDir, SynthCache } from '../../synth/cache.js';
import { synthReport, type DesignReport, type SynthReport } from '../../synth/report.js';
import type { SynthResult } from '../../synth/synthesize.js';
import { CATEGORIES, parseTarget, TARGETS } from '../../synth/targets.js';
import type { ArrayConfig } from '../../config/resolve.js';
import { configSummary } from '../../config/summary.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { checkOutputFile } from '../../util/output-path.js';
import { messages } from '../messages.js';
import { renderTable } from '../table.js';

interface Args {
  config: string;
  target: string;
  pnr: boolean;
  flat: boolean;
  json?: string;
  cache: boolean;
}

const M = messages.synth;

export const synthCommand: CommandModule<object, Args> = {
  command: M.command,
  describe: M.describe,
  builder: (y) =>
    y
      .usage(M.usage)
      .options({
        config: { type: 'string', demandOption: true, requiresArg: true, describe: M.config },
        // Checked by parseTarget (an error naming the allowed values), not by yargs choices.
        target: { type: 'string', default: 'gates', requiresArg: true, describe: M.target(TARGETS) },
        pnr: { type: 'boolean', default: false, describe: M.pnr },
        flat: { type: 'boolean', default: false, describe: M.flat },
        json: { type: 'string', requiresArg: true, describe: M.json },
        cache: { type: 'boolean', default: true, describe: M.cache },
      })
      .example(M.examples),
  handler: async (args) => {
    const target = parseTarget(args.target);
    const cfg = await loadConfig(args.config);
    if (args.json !== undefined) checkOutputFile(args.json); // before minutes of synthesis
    // Progress goes to stderr whether or not it is a terminal: a long run in CI or behind a pipe still says what it does.
    const start = performance.now();
    const report = await synthReport(cfg, target, {
      pnr: args.pnr,
      flat: args.flat,
      cache: args.cache ? new SynthCache(defaultCacheDir()) : null,
      onStep: (what) => process.stderr.write(M.progress(what, (performance.now() - start) / 1000)),
    });
    process.stdout.write(renderSynthReport(cfg, report));
    if (args.json !== undefined) await writeFileAtomic(args.json, JSON.stringify(report, null, 2) + '\n');
  },
};

const num = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(Math.round(x * 100) / 100));
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? (a / b).toFixed(2) : '');
const seconds = (r: SynthResult) => `${r.seconds.toFixed(1)}${r.cached ? M.cachedMark : ''}`;

/** The table: one row per resource, columns PE and array, for the config and its fp32 baseline, and the ratios. */
export function renderSynthReport(cfg: ArrayConfig, report: SynthReport): string {
  const d = report.design;
  const b = report.fp32;
  const all: DesignReport[] = b ? [d, b] : [d];
  const rows: string[][] = [b ? ['', ...M.columns] : ['', ...M.columns.slice(0, 2)]];
  const row = (label: string, get: (r: SynthResult, x: DesignReport) => number | null | undefined, show = num) => {
    const cells = [label, show(get(d.pe, d)), show(get(d.array, d))];
    if (b) cells.push(show(get(b.pe, b)), show(get(b.array, b)), ratio(get(d.pe, d), get(b.pe, b)), ratio(get(d.array, d), get(b.array, b)));
    rows.push(cells);
  };
  for (const c of CATEGORIES) {
    if (all.some((x) => x.pe.resources.counts[c] + x.array.resources.counts[c] > 0)) row(M.category[c], (r) => r.resources.counts[c]);
  }
  const others = new Set(all.flatMap((x) => [...Object.keys(x.pe.resources.other), ...Object.keys(x.array.resources.other)]));
  for (const t of [...others].sort()) row(M.otherCell(t), (r) => r.resources.other[t] ?? 0);
  row(M.area(d.pe.unit), (r) => r.area);
  row(M.depth, (r) => r.depth);
  if (d.pnr) {
    rows.push([M.fmax, '', num(d.pnr.fmaxMHz), ...(b ? ['', num(b.pnr?.fmaxMHz), '', ratio(d.pnr.fmaxMHz, b.pnr?.fmaxMHz)] : [])]);
    const lc = (x: DesignReport) => x.pnr?.utilization.ICESTORM_LC?.used;
    rows.push([M.logicCells, '', num(lc(d)), ...(b ? ['', num(lc(b)), '', ratio(lc(d), lc(b))] : [])]);
  }
  rows.push([M.synthTime, seconds(d.pe), seconds(d.array), ...(b ? [seconds(b.pe), seconds(b.array), '', ''] : [])]);

  const out = [M.heading(configSummary(cfg)), M.tool(report.target, d.pe.yosys, d.pe.generator, d.pnr?.device ?? null), ...(d.flat ? [] : [M.fromParts]), '', renderTable(rows).trimEnd(), ''];
  if (report.ratio) out.push(M.summary(report.ratio.pe, report.ratio.array, d.pe.unit, cfg.fixed !== undefined ? cfg.fixed.width : cfg.acc.width, cfg.fixed !== undefined));
  else out.push(M.alreadyFp32);
  // A hierarchical array repeats its PE's warnings: count each once.
  const warnings = [...new Set(all.flatMap((x) => [...x.pe.warnings, ...x.array.warnings]))];
  if (warnings.length > 0) out.push(M.warnings(warnings.length));
  return out.join('\n') + '\n';
}
