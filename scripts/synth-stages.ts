// The table of docs/synthesis.md "Pipeline stages": LUTs, flip-flops and the iCE40 fmax of one PE
// (a 1×1 array, so that place and route times the PE with its edge registers) with the e4m7
// bias-10 accumulator and with fp32 accumulation, at every pipeline stage count. Run it with
// `npm run synth-stages` (results are cached like `lbamac synth`'s); it prints Markdown.
import { MAX_STAGES } from '../config/schema.js';
import { resolveConfig } from '../config/resolve.js';
import { synthReport } from '../synth/report.js';
import { defaultCacheDir, SynthCache } from '../synth/cache.js';

const BASE = { rows: 1, cols: 1, dataflow: 'os', a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: 'e4m7_b10', rounding: { product: 'rtz', acc: 'rtz' } };

const cache = new SynthCache(defaultCacheDir());
const rows: string[] = [];
for (let stages = 0; stages <= MAX_STAGES; stages++) {
  const cfg = resolveConfig({ ...BASE, pipeline: { stages } });
  process.stderr.write(`stages ${stages}: synthesis and place and route (e4m7_b10 and fp32)\n`);
  const r = await synthReport(cfg, 'ice40', { pnr: true, cache, onStep: (what) => process.stderr.write(`  ${what}\n`) });
  for (const [name, d] of [['e4m7_b10', r.design], ['fp32', r.fp32!]] as const) {
    const c = d.pe.resources.counts;
    rows.push(`| ${stages} | ${name} | ${c.lut} | ${c.ff} | ${c.carry} | ${d.pe.depth ?? ''} | ${d.pnr?.fmaxMHz?.toFixed(1) ?? ''} |`);
  }
}
process.stdout.write(
  [
    '| stages | accumulator | LUT4 (PE) | FF (PE) | carry (PE) | logic depth (PE) | iCE40 fmax, MHz (1×1 array) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n') + '\n',
);
