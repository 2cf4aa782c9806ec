// Draws the timing diagrams of docs/timing.md from the cycle simulator itself: a small OS and a
// small WS job are simulated and their ports and PE registers, cycle by cycle, become SVG
// waveforms (docs/timing-os.svg, docs/timing-ws.svg). Run: node --import tsx scripts/timing-diagram.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromFloat64, RNE, toFloat64 } from '../core/arith.js';
import type { Format } from '../core/format.js';
import { resolveConfig } from '../config/resolve.js';
import { buildArch, formatOf } from '../arch/build.js';
import type { Arch } from '../arch/types.js';
import { simulate, type PortValues, type RegisterReader } from '../sim/simulate.js';
import { packageRoot } from '../util/package-root.js';

/** One waveform row: a bit (drawn high/low) or a bus (a value per cycle, 0 drawn as idle). */
interface Row {
  label: string;
  format: Format | null;
  sample: (ports: PortValues, reg: RegisterReader) => number;
}

const CYCLE_W = 46;
const ROW_H = 24;
const LABEL_W = 120;
const TOP = 30;

function value(code: number, f: Format | null): string {
  if (f === null) return String(code);
  const x = toFloat64(code, f);
  return Number.isInteger(x) ? String(x) : String(+x.toPrecision(4));
}

function svg(title: string, rows: Row[], samples: number[][]): string {
  const cycles = samples.length;
  const width = LABEL_W + cycles * CYCLE_W + 10;
  const height = TOP + rows.length * ROW_H + 10;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="11">`,
    `<title>${title}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  for (let x = 0; x <= cycles; x++) {
    const px = LABEL_W + x * CYCLE_W;
    out.push(`<line x1="${px}" y1="${TOP - 12}" x2="${px}" y2="${height - 6}" stroke="#ddd"/>`);
    if (x < cycles) out.push(`<text x="${px + CYCLE_W / 2}" y="${TOP - 16}" text-anchor="middle" fill="#555">${x}</text>`);
  }
  rows.forEach((row, i) => {
    const y0 = TOP + i * ROW_H + 4;
    const y1 = y0 + ROW_H - 8;
    const mid = (y0 + y1) / 2;
    out.push(`<text x="4" y="${mid + 4}">${row.label}</text>`);
    const v = samples.map((s) => s[i]!);
    if (row.label === 'clk') {
      const pts: string[] = [];
      for (let x = 0; x < cycles; x++) {
        const px = LABEL_W + x * CYCLE_W;
        pts.push(`${px},${y1} ${px},${y0} ${px + CYCLE_W / 2},${y0} ${px + CYCLE_W / 2},${y1} ${px + CYCLE_W},${y1}`);
      }
      out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="#333"/>`);
      return;
    }
    if (row.format === null && v.every((b) => b === 0 || b === 1)) {
      const pts = v.flatMap((b, x) => [`${LABEL_W + x * CYCLE_W},${b ? y0 : y1}`, `${LABEL_W + (x + 1) * CYCLE_W},${b ? y0 : y1}`]);
      out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="#1565c0" stroke-width="1.5"/>`);
      return;
    }
    // A bus: one shape per run of equal values.
    for (let x = 0; x < cycles; ) {
      let end = x + 1;
      while (end < cycles && v[end] === v[x]) end++;
      const a = LABEL_W + x * CYCLE_W;
      const b = LABEL_W + end * CYCLE_W;
      if (v[x] === 0) {
        out.push(`<line x1="${a}" y1="${mid}" x2="${b}" y2="${mid}" stroke="#999"/>`);
      } else {
        out.push(`<polygon points="${a},${mid} ${a + 3},${y0} ${b - 3},${y0} ${b},${mid} ${b - 3},${y1} ${a + 3},${y1}" fill="#e8f0fe" stroke="#1565c0"/>`);
        out.push(`<text x="${(a + b) / 2}" y="${mid + 4}" text-anchor="middle">${value(v[x]!, row.format)}</text>`);
      }
      x = end;
    }
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function port(name: string, e: number, format: Format | null, label = `${name}[${e}]`): Row {
  return { label, format, sample: (p) => p[name]![e]! };
}

function pe(reg: string, r: number, j: number, format: Format | null): Row {
  return { label: `PE(${r},${j}).${reg}`, format, sample: (_, read) => read(reg, r, j) };
}

function draw(arch: Arch, title: string, rows: Row[], job: { A: number[][]; B: number[][]; C: number[][] }): string {
  const samples: number[][] = [];
  simulate(arch, job, { onCycle: (_, ports, reg) => samples.push(rows.map((row) => (row.label === 'clk' ? 0 : row.sample(ports, reg)))) });
  return svg(title, rows, samples);
}

function codes(m: number[][], f: Format): number[][] {
  return m.map((row) => row.map((x) => fromFloat64(x, f, RNE)));
}

const CLK: Row = { label: 'clk', format: null, sample: () => 0 };
const FORMATS = { a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'fp16' };

/** The job both OS diagrams run: A 2×3, B 3×2, C given. */
function osJob(fa: Format, fw: Format, fo: Format): { A: number[][]; B: number[][]; C: number[][] } {
  return { A: codes([[1, 2, 3], [4, 5, 6]], fa), B: codes([[1, 2], [0.5, 1], [2, 0.25]], fw), C: codes([[10, 20], [30, 40]], fo) };
}

/** The OS diagram's SVG text (docs/timing-os.svg). */
export function osDiagram(): string {
  const arch = buildArch(resolveConfig({ rows: 2, cols: 2, dataflow: 'os', ...FORMATS }));
  const fa = formatOf(arch.formats.a);
  const fw = formatOf(arch.formats.w);
  const fo = formatOf(arch.formats.out);
  const rows: Row[] = [
    CLK,
    port('c_shift', 0, null, 'c_shift'),
    port('c_drain', 0, null, 'c_drain'),
    port('c_data', 0, fo),
    port('c_data', 1, fo),
    port('a_valid', 0, null),
    port('a_data', 0, fa),
    port('a_data', 1, fa),
    port('b_data', 0, fw),
    port('b_data', 1, fw),
    pe('av', 0, 0, null),
    pe('av', 1, 1, null),
    pe('acc', 0, 0, fo),
    pe('acc', 0, 1, fo),
    pe('acc', 1, 0, fo),
    pe('acc', 1, 1, fo),
    port('d_valid', 0, null, 'd_valid'),
    port('d_data', 0, fo),
    port('d_data', 1, fo),
  ];
  return draw(arch, '2×2 output-stationary array: D = A·B + C, A 2×3, B 3×2', rows, osJob(fa, fw, fo));
}

/** The OS array with 2 pipeline stages (docs/timing-os-stages2.svg): the exact product px, the
 *  rounded product p and the add, a cycle apart each, in PE(0, 0) and PE(1, 1). */
export function osStagesDiagram(): string {
  const arch = buildArch(resolveConfig({ rows: 2, cols: 2, dataflow: 'os', ...FORMATS, product: 'e5m10', pipeline: { stages: 2 } }));
  const fa = formatOf(arch.formats.a);
  const fw = formatOf(arch.formats.w);
  const fp = formatOf(arch.formats.product!);
  const fo = formatOf(arch.formats.out);
  const fx = formatOf(arch.formats.xprod!);
  const rows: Row[] = [
    CLK,
    port('a_valid', 0, null),
    port('a_data', 0, fa),
    port('b_data', 0, fw),
    pe('av', 0, 0, null),
    pe('px', 0, 0, fx),
    pe('p', 0, 0, fp),
    pe('acc', 0, 0, fo),
    pe('px', 1, 1, fx),
    pe('p', 1, 1, fp),
    pe('acc', 1, 1, fo),
    port('d_valid', 0, null, 'd_valid'),
    port('d_data', 0, fo),
    port('d_data', 1, fo),
  ];
  return draw(arch, '2×2 output-stationary array, 2 pipeline stages (px: exact product, p: rounded product)', rows, osJob(fa, fw, fo));
}

/** The WS diagram's SVG text (docs/timing-ws.svg). */
export function wsDiagram(): string {
  const arch = buildArch(resolveConfig({ rows: 2, cols: 2, dataflow: 'ws', ...FORMATS }));
  const fa = formatOf(arch.formats.a);
  const fw = formatOf(arch.formats.w);
  const fo = formatOf(arch.formats.out);
  const rows: Row[] = [
    CLK,
    port('w_shift', 0, null, 'w_shift'),
    port('w_data', 0, fw),
    port('w_data', 1, fw),
    pe('w', 0, 0, fw),
    pe('w', 1, 1, fw),
    port('a_valid', 0, null),
    port('a_data', 0, fa),
    port('a_data', 1, fa),
    port('s_valid', 0, null, 's_valid'),
    port('s_acc', 0, fo),
    port('s_acc', 1, fo),
    pe('s', 0, 0, fo),
    pe('s', 1, 0, fo),
    pe('s', 1, 1, fo),
    port('d_valid', 0, null, 'd_valid'),
    port('d_acc', 0, fo),
    port('d_acc', 1, fo),
  ];
  const job = { A: codes([[1, 2], [3, 4], [5, 6]], fa), B: codes([[1, 2], [0.5, 0.25]], fw), C: codes([[10, 20], [30, 40], [50, 60]], fo) };
  return draw(arch, '2×2 weight-stationary array: D = A·B + C, A 3×2, B 2×2', rows, job);
}

export const DOCS_DIR = join(packageRoot(), 'docs');

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(join(DOCS_DIR, 'timing-os.svg'), osDiagram());
  writeFileSync(join(DOCS_DIR, 'timing-ws.svg'), wsDiagram());
  writeFileSync(join(DOCS_DIR, 'timing-os-stages2.svg'), osStagesDiagram());
  console.log(`wrote timing-os.svg, timing-ws.svg and timing-os-stages2.svg in ${DOCS_DIR}`);
}
