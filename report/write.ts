// Everything a finished sweep writes next to its journal, each file atomically: sweep.json (the
// config, so the report's commands can name it), results.json, results.csv, per-layer.csv (when
// blocks ask for per-layer answers), plots/*.svg and report.html.
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { sha256 } from '../util/hash.js';
import { packageInfo } from '../util/package-root.js';
import { stableStringify } from '../util/stable-json.js';
import { packageRoot } from '../util/package-root.js';
import { DEFAULT_SWEEP } from '../sweep/default.js';
import { parseSweep, type Sweep } from '../sweep/grid.js';
import type { Selection } from '../sweep/journal.js';
import { defaultOutDir, OUTPUT_FILES, PLOTS_DIR } from '../sweep/outdir.js';
import type { PointResult } from '../sweep/point.js';
import { resultsCsv } from './csv.js';
import { findings } from './analysis.js';
import { reportHtml } from './html.js';
import { perLayerCsv, perLayerRows } from './per-layer.js';
import { figuresOf, renderSvg } from './plots.js';

const quote = (s: string) => (/^[\w./,:=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** True when the config is the built-in default sweep (then `lbamac sweep` alone recomputes it). */
export function isDefaultSweep(sweep: Sweep): boolean {
  return sweep.hash === sha256(stableStringify(parseSweep(DEFAULT_SWEEP, 'the default sweep', packageRoot()))).slice(0, 12);
}

export function sweepCommands(sweep: Sweep, outDir: string): { all: string; points: (ids: readonly string[]) => string } {
  const isDefault = isDefaultSweep(sweep);
  const config = isDefault ? '' : ` --config ${quote(join(outDir, OUTPUT_FILES.sweep))}`;
  const out = outDir === defaultOutDir(sweep.config, { shard: null, only: null }) ? '' : ` --out ${quote(outDir)}`;
  return {
    all: `lbamac sweep${config}${out}`,
    // A run written elsewhere than the default gets its reruns beside it (in its only/).
    points: (ids) => `lbamac sweep${config}${out === '' ? '' : ` --out ${quote(join(outDir, 'only'))}`} --only ${[...new Set(ids)].join(',')}`,
  };
}

/** Writes the outputs and returns their paths. */
export async function writeSweepOutputs(outDir: string, sweep: Sweep, results: readonly PointResult[], selection: Selection): Promise<string[]> {
  const commands = sweepCommands(sweep, outDir);
  const perLayer = perLayerRows(sweep, results);
  const figures = await Promise.all(figuresOf(results, sweep.config.area).map(async (f) => ({ ...f, svg: await renderSvg(f.spec) })));
  const generated = new Date().toISOString();
  const version = packageInfo().version;
  const files: Array<[string, string]> = [
    [OUTPUT_FILES.sweep, JSON.stringify(sweep.config, null, 2) + '\n'],
    [OUTPUT_FILES.results, JSON.stringify({ lbamac: version, generated, sweep: sweep.config, hash: sweep.hash, selection, command: commands.all, findings: findings(results), perLayer, results }, null, 1) + '\n'],
    [OUTPUT_FILES.csv, resultsCsv(results)],
    ...(perLayer.length ? [[OUTPUT_FILES.perLayer, perLayerCsv(perLayer)] as [string, string]] : []),
    ...figures.map((f): [string, string] => [join(PLOTS_DIR, f.file), f.svg]),
    [OUTPUT_FILES.report, reportHtml({ sweep, results, figures, allCommand: commands.all, pointsCommand: commands.points, perLayer, version, generated })],
  ];
  for (const [name, text] of files) await writeFileAtomic(join(outDir, name), text);
  return files.map(([name]) => join(outDir, name));
}
