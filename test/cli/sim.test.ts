import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { coreGemm } from '../../core/gemm.js';
import { EVENT_NAMES } from '../../core/events.js';
import { resolveConfig } from '../../config/resolve.js';
import { buildArch } from '../../arch/build.js';
import { latencyCycles, outputCycle, schedule, termsOf } from '../../arch/schedule.js';
import { parseJob } from '../../engine/job.js';
import { encodeNpy } from '../../engine/npy.js';
import { randomJob } from '../../sim/stimulus.js';
import { fixture, lbamac, ROOT } from './run.js';

function example(name: string) {
  const dir = join(ROOT, 'examples', name);
  const files = { config: join(dir, 'config.json'), a: join(dir, 'a.json'), b: join(dir, 'b.json') };
  const read = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as unknown;
  const job = parseJob(read(files.config), read(files.a), read(files.b), undefined, files);
  return { files, job, arch: buildArch(job.cfg) };
}

const WS_SPARSE = { rows: 3, cols: 2, dataflow: 'ws', a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: 'e4m7_b10', rounding: { product: 'rtz', acc: 'rtz' }, sparsity: '2:4', chunk: 2, pipeline: { stages: 1 } };

describe('cli: gemm --engine sim', function () {
  this.timeout(60_000); // each case spawns node
  for (const name of ['e4m3-e4m7', 'sparse-2-4']) {
    it(`examples/${name}: the golden D and events, plus cycles, utilization and per-PE counts that add up`, () => {
      const { files, job, arch } = example(name);
      const args = ['gemm', '--config', files.config, '--a', files.a, '--b', files.b];
      const sim = lbamac(...args, '--engine', 'sim');
      const golden = lbamac(...args, '--engine', 'golden');
      expect(sim.status, sim.stderr).to.equal(0);
      expect(golden.status, golden.stderr).to.equal(0);
      const s = JSON.parse(sim.stdout);
      const g = JSON.parse(golden.stdout);
      expect(s.engine).to.equal('sim');
      expect(s.D).to.deep.equal(g.D);
      expect(s.values).to.deep.equal(g.values);
      expect(s.events).to.deep.equal(g.events);
      // Engines that do not model time keep their output as it was.
      expect(g.cycles).to.equal(null);
      expect(g).not.to.have.any.keys('utilization', 'pe');
      const M = job.A.length;
      const K = job.B.length;
      const N = job.B[0]!.length;
      const T = termsOf(arch, K);
      expect(s.cycles).to.equal(latencyCycles(arch, { M, N, K, hasC: false }));
      expect(s.utilization).to.be.closeTo((M * N * T) / (arch.rows * arch.cols * s.cycles), 1e-12);
      const terms = s.pe.terms as number[][];
      expect(terms).to.have.length(arch.rows);
      expect(terms.flat()).to.have.length(arch.rows * arch.cols);
      expect(terms.flat().reduce((x, y) => x + y, 0)).to.equal(M * N * T);
      for (const ev of EVENT_NAMES) expect((s.pe.events[ev] as number[][]).flat().reduce((x, y) => x + y, 0), ev).to.equal(s.events[ev]);
    });
  }
});

describe('cli: sim', function () {
  this.timeout(60_000);

  it("random job by default: K twice the array's depth in terms, every lane of a dot-product cell taking part", () => {
    const dir = fixture({ 'mac.json': WS_SPARSE, 'dot.json': { preset: 'tensorcore-fp8', rows: 2, cols: 2 } });
    expect(lbamac('sim', '--config', join(dir, 'mac.json')).stdout).to.match(/^job +3×6 · 6×2, random \(seed 1\)$/m);
    const dot = lbamac('sim', '--config', join(dir, 'dot.json'));
    expect(dot.stdout).to.match(/^job +2×128 · 128×2, random \(seed 1\)$/m);
    expect(dot.stdout).to.match(/\(16 useful steps of up to 32 multiply-adds \/ \(4 PEs × \d+ cycles\)\)/);
  });

  it('random job: the trace shows the ports of the top, one line per cycle, with D on d_data in the cycles arch/ says', () => {
    const dir = fixture({ 'cfg.json': WS_SPARSE });
    const r = lbamac('sim', '--config', join(dir, 'cfg.json'), '--m', '5', '--k', '11', '--n', '3', '--seed', '7', '--trace');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.equal('');
    const cfg = resolveConfig(WS_SPARSE);
    const arch = buildArch(cfg);
    const job = randomJob(arch, { M: 5, K: 11, N: 3 }, 7);
    const ref = coreGemm(cfg, job.A, job.B);
    const dims = { M: 5, N: 3, K: 11, hasC: false };
    const cycles = latencyCycles(arch, dims);
    const [traceText, summaryText] = r.stdout.split('\n\n');
    const lines = traceText!.split('\n');
    const signals = arch.ports.filter((p) => p.kind === 'signal');
    const header = lines[0]!.trim().split(/\s+/);
    expect(header).to.deep.equal(['cycle', ...signals.map((p) => (p.count === 1 ? p.name : `${p.name}[${p.count}x${p.elemWidth}]`))]);
    expect(lines).to.have.length(cycles + 1);
    const rows = lines.slice(1).map((l) => l.trim().split(/\s+/));
    rows.forEach((cells, x) => {
      expect(cells[0]).to.equal(String(x));
      signals.forEach((p, i) => {
        const elems = cells[i + 1]!.split(',');
        expect(elems, `${p.name} in cycle ${x}`).to.have.length(p.count);
        for (const e of elems) expect(parseInt(e, 16)).to.be.lessThan(2 ** p.elemWidth);
      });
    });
    const col = (name: string) => 1 + signals.findIndex((p) => p.name === name);
    const sched = schedule(arch, dims);
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 3; j++) {
        const row = rows[outputCycle(arch, sched, i, j)]!;
        expect(row[col('d_valid')]).to.equal('1');
        expect(parseInt(row[col(arch.chunk === null ? 'd_acc' : 'd_total')]!.split(',')[j % arch.cols]!, 16), `D[${i}][${j}]`).to.equal(ref.D[i]![j]);
      }
    }
    expect(summaryText).to.match(/^array +3x2 weight-stationary, 2:4, a e4m3, w e4m3, product fp16 \(rtz\), acc e4m7_b10 \(rtz\), chunk 2 into e4m7_b10 \(rtz\), 1 pipeline stage$/m);
    expect(summaryText).to.match(/^job +5×11 · 11×3, random \(seed 7\)$/m);
    expect(summaryText).to.match(new RegExp(`^cycles +${cycles} `, 'm'));
    const T = termsOf(arch, 11);
    expect(summaryText).to.include(`(${5 * 3 * T} useful multiply-adds / (6 PEs × ${cycles} cycles))`);
    for (const ev of EVENT_NAMES) expect(r.stdout).to.match(new RegExp(`^${ev} +${ref.events[ev]} `, 'm'));
  });

  it('given job: per-PE multiply-adds table and the VCD written whole', () => {
    const { files, job, arch } = example('e4m3-e4m7');
    const dir = fixture({});
    const vcd = join(dir, 'sub', 'run.vcd');
    const r = lbamac('sim', '--config', files.config, '--a', files.a, '--b', files.b, '--vcd', vcd);
    expect(r.status, r.stderr).to.equal(0);
    const M = job.A.length;
    const K = job.B.length;
    const N = job.B[0]!.length;
    expect(r.stdout).to.match(new RegExp(`^job +${M}×${K} · ${K}×${N}, \\S*a\\.json · \\S*b\\.json$`, 'm'));
    // Each PE does T terms per tile it computes.
    const tiles = Math.ceil(M / arch.rows) * Math.ceil(N / arch.cols);
    const table = r.stdout.split('multiply-adds per PE (row r, column c)\n')[1]!.split('\n\n')[0]!.trim().split('\n');
    expect(table[0]!.trim().split(/\s+/)).to.deep.equal(Array.from({ length: arch.cols }, (_, j) => `c${j}`));
    for (let i = 0; i < arch.rows; i++) expect(table[i + 1]!.trim().split(/\s+/)).to.deep.equal([`r${i}`, ...Array(arch.cols).fill(String(tiles * K))]);
    expect(r.stdout).to.include(`wrote ${vcd}`);
    const text = readFileSync(vcd, 'utf8');
    expect(text).to.match(/\$enddefinitions \$end/);
    expect(text.trimEnd().split('\n').pop()).to.equal(`#${10 * latencyCycles(arch, { M, N, K, hasC: false })}`);
  });

  it('given job from .npy files, B as N×K, pruned to 2:4: the summary of the same job given as JSON, pruned by hand', () => {
    const { files, job } = example('sparse-2-4');
    const npy = (m: number[][]) => encodeNpy({ dtype: 'uint8', shape: [m.length, m[0]!.length], data: m.flat() });
    // A dense B: the sparse example's weights, with the zeros of every full group (two nonzeros
    // already) replaced by the smallest subnormal (0x01), which --prune must take out again.
    const full = (k: number, j: number) => job.B.slice(k - (k % 4), k - (k % 4) + 4).filter((row) => row[j] !== 0).length === 2;
    const dense = job.B.map((row, k) => row.map((code, j) => (code === 0 && full(k, j) ? 0x01 : code)));
    expect(dense).not.to.deep.equal(job.B);
    const nk = dense[0]!.map((_, j) => dense.map((row) => row[j]!));
    const dir = fixture({ 'a.npy': npy(job.A), 'w.npy': npy(nk) });
    const fromNpy = lbamac('sim', '--config', files.config, '--a', join(dir, 'a.npy'), '--b', join(dir, 'w.npy'), '--b-layout', 'nk', '--prune', '2:4');
    const fromJson = lbamac('sim', '--config', files.config, '--a', files.a, '--b', files.b);
    expect([fromNpy.status, fromJson.status], fromNpy.stderr).to.deep.equal([0, 0]);
    expect(fromNpy.stderr).to.match(/^lbamac: --prune 2:4 zeroed \d+ of the \d+ nonzero weights of B \(\S*w\.npy\)/);
    const withoutJobLine = (text: string) => text.replace(/^job .*$/m, '');
    expect(withoutJobLine(fromNpy.stdout)).to.equal(withoutJobLine(fromJson.stdout));
  });

  it('bad option combinations and bad shapes exit 1 with a message, before writing anything', () => {
    const { files } = example('e4m3-e4m7');
    const dir = fixture({ 'cfg.json': { ...WS_SPARSE, rows: 0 } });
    const vcd = join(dir, 'x.vcd');
    const cases: [string[], RegExp][] = [
      [['--a', files.a], /^lbamac: --a needs --b: a given job is the matrices A and B \(C is optional\); without --a and --b, sim makes a random job\n$/],
      [['--b', files.b], /^lbamac: --b needs --a:/],
      [['--c', files.a], /^lbamac: --c needs --a and --b:/],
      [['--b-layout', 'nk'], /^lbamac: --b-layout needs --a and --b:/],
      [['--prune', '2:4'], /^lbamac: --prune needs --a and --b:/],
      [['--a', files.a, '--b', files.b, '--m', '3'], /--a and --m cannot be given together/],
      [['--m', '0'], /--m 0: expected a whole number of at least 1/],
      [['--k', '2.5'], /--k 2.5: expected a whole number of at least 1/],
      [['--seed', '-1'], /--seed -1: expected a whole number from 0 to 4294967295/],
    ];
    for (const [extra, re] of cases) {
      const r = lbamac('sim', '--config', files.config, '--vcd', vcd, ...extra);
      expect(r.status, extra.join(' ')).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.match(re);
    }
    const zero = lbamac('sim', '--config', join(dir, 'cfg.json'), '--vcd', vcd);
    expect(zero.status).to.equal(1);
    expect(zero.stderr).to.match(/cfg\.json: config\.rows: must be from 1 to 256 \(got 0\)/);
    expect(existsSync(vcd)).to.equal(false);
  });
});
