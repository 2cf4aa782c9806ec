import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CSV_COLUMNS } from '../../report/csv.js';
import { reportHtml } from '../../report/html.js';
import { parseSweep } from '../../sweep/grid.js';
import { runSweep, type SweepRunResult } from '../../sweep/run.js';
import { tempDir } from '../support/tmp.js';
import { fakePoint } from './fake.js';

const CHROMIUM = process.env.LBAMAC_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Appended to a copy of the report: measures every figure's SVG as the browser laid it out and
 * writes the numbers into the DOM, which --dump-dom then prints. Vega marks the data marks (not
 * the legends) with the class role-mark.
 */
const PROBE = `<script>
const figures = [...document.querySelectorAll('figure')].map((f) => {
  const svg = f.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
  const drawn = (sel) => (svg ? [...svg.querySelectorAll(sel)].filter((e) => { const b = e.getBBox(); return b.width > 0 || b.height > 0; }).length : 0);
  return { id: f.id, width: box.width, height: box.height, symbols: drawn('.mark-symbol.role-mark path'), lines: drawn('.mark-line.role-mark path'), rules: drawn('.mark-rule.role-mark line'), texts: drawn('.mark-text.role-mark text') };
});
const pre = document.createElement('pre');
pre.id = 'probe';
pre.textContent = JSON.stringify(figures);
document.body.appendChild(pre);
</script>`;

interface Probe {
  id: string;
  width: number;
  height: number;
  symbols: number;
  lines: number;
  rules: number;
  texts: number;
}

describe('report: report.html, results.csv', function () {
  this.timeout(180_000);
  let dir: string;
  let run: SweepRunResult;
  let html: string;

  before(async () => {
    dir = tempDir('report');
    const config = parseSweep({
      name: 'html',
      workloads: [
        { name: 'g32', kind: 'synthetic', dist: 'laplace', M: 4, K: 32, N: 4, seed: 9 },
        { name: 'mnist', kind: 'mnist-mlp', testDigits: 20 },
      ],
      blocks: [
        { name: 'e4', preset: 'ocp-fp8', acc: { exp: 4, man: { from: 1, to: 5 }, bias: 10, subnormals: false, specials: 'none', overflow: 'saturate' }, rounding: ['rtz'] },
        { name: 'lba', preset: 'lba' },
        { name: 'fp32', role: 'baseline', preset: 'ocp-fp8' },
      ],
    });
    run = await runSweep({ config, outDir: dir, workers: 1 });
    html = readFileSync(join(dir, 'report.html'), 'utf8');
  });

  it('is self-contained: no external URL, no script or stylesheet to fetch, the results inline', () => {
    const withoutNamespaces = html.replace(/\sxmlns(:\w+)?="[^"]*"/g, '');
    expect(withoutNamespaces).to.not.match(/https?:\/\//);
    expect(html).to.not.match(/<script[^>]*\bsrc=/).and.not.match(/<link\b/).and.not.match(/<img\b/);
    const json = /<script type="application\/json" id="lbamac-results">([^]*?)<\/script>/.exec(html)![1]!;
    const embedded = JSON.parse(json) as { results: Array<{ id: string }> };
    expect(embedded.results.map((r) => r.id)).to.deep.equal(run.results.map((r) => r.id));
    expect((html.match(/<svg\b/g) ?? []).length).to.equal(4);
  });

  it('prints the command that recomputes each number next to it', () => {
    expect(html).to.include(`lbamac sweep --config ${join(dir, 'sweep.json')} --out ${dir}`);
    // The run went to its own --out: reruns go beside it.
    for (const r of run.results) expect(html).to.include(`lbamac sweep --config ${join(dir, 'sweep.json')} --out ${join(dir, 'only')} --only ${r.id}<`);
    expect(html).to.include('No area provider is configured');
  });

  it("compares the architectures in one table: each block's row with its points on both workloads", () => {
    const table = /<h2>Accumulator architectures side by side<\/h2>[^]*?<table>([^]*?)<\/table>/.exec(html)![1]!;
    const rows = table.split('<tr>').slice(2);
    expect(rows.map((r) => /<td>([^<]*)<\/td>/.exec(r)![1])).to.deep.equal(['e4', 'lba', 'fp32 (baseline)']);
    const e4m5 = run.results.filter((r) => r.block === 'e4' && r.accMan === 5).map((r) => r.id);
    expect(rows[0]).to.include(`--only ${e4m5.join(',')}`);
    const mnist = run.results.find((r) => r.block === 'lba' && r.workload === 'mnist')!;
    expect(rows[1]).to.include(`${(100 * mnist.accuracy!).toFixed(1)}%`).and.include('rounded-product FMA cell');
  });

  it('renders in headless Chromium with every plot drawn', () => {
    const probed = join(dir, 'probed.html');
    writeFileSync(probed, html.replace('</body>', `${PROBE}</body>`));
    const dom = execFileSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', pathToFileURL(probed).href], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 120_000 });
    const json = /<pre id="probe">([^<]*)<\/pre>/.exec(dom)?.[1];
    expect(json, 'the probe ran').to.be.a('string');
    const figs = JSON.parse(json!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Probe[];
    expect(figs.map((f) => f.id).sort()).to.deep.equal(['accuracy-vs-acc-bits', 'accuracy-vs-area', 'error-vs-acc-bits', 'swamping-vs-acc-bits']);
    for (const f of figs) {
      expect(f.width, f.id).to.be.greaterThan(200);
      expect(f.height, f.id).to.be.greaterThan(150);
    }
    const byId = Object.fromEntries(figs.map((f) => [f.id, f]));
    const mnistGrid = run.results.filter((r) => r.kind === 'mnist-mlp' && r.role === 'grid').length;
    // One symbol per MNIST grid point in the accuracy plots (legends excluded), curves and reference rules drawn.
    expect(byId['accuracy-vs-acc-bits']!.symbols).to.equal(mnistGrid);
    expect(byId['accuracy-vs-acc-bits']!.lines).to.be.greaterThan(0);
    expect(byId['accuracy-vs-acc-bits']!.rules).to.be.at.least(3); // fp32, exact accumulation, chance
    expect(byId['accuracy-vs-area']!.symbols).to.equal(mnistGrid);
    expect(byId['error-vs-acc-bits']!.lines).to.be.greaterThan(0);
    expect(byId['swamping-vs-acc-bits']!.symbols).to.be.greaterThan(0);
  });

  it('results.csv has a header and one row per point, in sweep order', () => {
    const lines = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).to.equal(CSV_COLUMNS.join(','));
    expect(lines.slice(1).map((l) => l.split(',')[1])).to.deep.equal(run.results.map((r) => r.id));
    const col = (name: string) => CSV_COLUMNS.indexOf(name);
    const mnist = run.results.find((r) => r.kind === 'mnist-mlp')!;
    const row = lines[1 + run.results.indexOf(mnist)]!.split(',');
    expect(Number(row[col('accuracy')])).to.equal(mnist.accuracy);
    expect(Number(row[col('swamping')])).to.equal(mnist.events.swamping);
  });
});

describe('report: the area note', () => {
  const page = (area: string, points: ReturnType<typeof fakePoint>[], figures: string[]) =>
    reportHtml({
      sweep: { config: { name: 's', area, blocks: [] }, hash: 'h' } as never,
      results: points,
      figures: figures.map((file) => ({ file, title: file, caption: '', svg: '<svg></svg>' })) as never,
      allCommand: 'lbamac sweep',
      pointsCommand: () => 'lbamac sweep --only x',
      perLayer: [],
      version: '0',
      generated: 'now',
    });

  it('speaks of the area (Pareto) plot only when the report has one: synthetic workloads alone have none', () => {
    const config = { acc: { exp: 5, man: 3 }, rounding: { acc: 'rne' } } as never;
    const synthetic = [
      fakePoint({ accMan: 3, kind: 'synthetic', workload: 'g', accuracy: null, config }),
      fakePoint({ accMan: 4, kind: 'synthetic', workload: 'g', accuracy: null, config, area: { perPE: 10, unit: 'cells', source: 'yosys' } as never }),
    ];
    const none = page('none', synthetic, ['error-vs-acc-bits.svg']);
    expect(none).to.include('No area provider is configured').and.not.include('Pareto plot');
    const some = page('yosys-gates', synthetic, ['error-vs-acc-bits.svg']);
    expect(some).to.include('1 of the 2 points have an area per PE').and.not.include('area plot');
    expect(page('yosys-gates', synthetic, ['error-vs-acc-bits.svg', 'accuracy-vs-area.svg'])).to.include('are not on the area plot');
    expect(page('none', synthetic, ['accuracy-vs-area.svg'])).to.include('the Pareto plot uses accumulator width');
  });
});
