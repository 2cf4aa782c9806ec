// The generated RTL against the cycle simulator, every output port in every cycle: random
// configurations (test/cosim/configs.ts: both dataflows, dense and 2:4, chunked, every
// rounding mode, stochastic rounding included, dot-product cells, subnormals on and off, every kind of specials, shapes up to 4×4) batched into one
// Verilator build, each running random jobs with corner-case operands and C. Also: the build
// cache, and that a difference is reported with its cycle, port, PE and both values.
import { expect } from 'chai';
import { configSummary } from '../../config/summary.js';
import { ROUNDING_MODES } from '../../core/format.js';
import { generateRtl } from '../../rtl-gen/generate.js';
import { buildArrayHarness, type ArrayHarnessBuild } from '../../cosim/array-harness.js';
import { compareTraces } from '../../cosim/compare.js';
import { cosimulate, type CosimResult, mismatchReport } from '../../cosim/cosimulate.js';
import { describeJob, randomJobs } from '../../cosim/random-job.js';
import { traceJob, unpackElement } from '../../cosim/trace.js';
import { cosimConfig, describeConfig } from './configs.js';

const CONFIGS = Number(process.env.LBAMAC_COSIM_CONFIGS ?? 30);
const JOBS = Number(process.env.LBAMAC_COSIM_JOBS ?? 20);
const SEED = Number(process.env.LBAMAC_COSIM_SEED ?? 1);

describe('cosim: generated RTL vs the simulator, cycle by cycle (Verilator)', function () {
  this.timeout(900_000);
  const configs = Array.from({ length: CONFIGS }, (_, i) => cosimConfig(i, SEED));
  const rtls = configs.map((c) => generateRtl(c.cfg));
  let build: ArrayHarnessBuild;
  let results: CosimResult[] = [];

  before(function () {
    build = buildArrayHarness(rtls);
    console.log(`      ${CONFIGS} configurations in one Verilator build: ${build.built ? `built in ${build.seconds.toFixed(1)} s` : `cached (${build.dir})`}`);
    const items = configs.flatMap((c, top) => randomJobs(c.cfg, JOBS, SEED * 7919 + c.index).map((job, k) => ({ top, job, label: `job ${k} (${describeJob(job)})` })));
    const t0 = performance.now();
    results = cosimulate(build, items);
    console.log(`      ${items.length} jobs, ${results.reduce((n, r) => n + r.cycles, 0)} cycles, simulated and Verilated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });

  it('the configurations cover what the issue asks', () => {
    const seen = (f: (c: (typeof configs)[number]) => unknown) => new Set(configs.map(f));
    expect(CONFIGS).to.be.at.least(24);
    expect(seen((c) => c.cfg.dataflow)).to.have.keys('os', 'ws');
    expect(seen((c) => c.cfg.sparsity)).to.have.keys('dense', '2:4');
    expect(seen((c) => c.cfg.chunk !== null).size, 'chunked and not').to.equal(2);
    expect(seen((c) => c.cfg.product === null).size, 'fused and not').to.equal(2);
    // Every mode where it acts: a product rounding, a fused and a rounded-product accumulator, a chunk total.
    const modes = (p: (c: (typeof configs)[number]) => boolean, role: 'product' | 'acc' | 'total') => new Set(configs.filter(p).map((c) => c.cfg.rounding[role]));
    expect(modes((c) => c.cfg.product !== null, 'product'), 'product').to.have.keys(...ROUNDING_MODES);
    expect(modes((c) => c.cfg.product === null, 'acc'), 'fused acc').to.have.keys(...ROUNDING_MODES);
    expect(modes((c) => c.cfg.product !== null, 'acc'), 'acc').to.have.keys(...ROUNDING_MODES);
    expect(modes((c) => c.cfg.chunk !== null, 'total'), 'total').to.have.keys(...ROUNDING_MODES);
    expect(seen((c) => c.cfg.acc.subnormals).size, 'subnormals on and off').to.equal(2);
    expect(seen((c) => c.cfg.acc.specials)).to.have.keys('ieee', 'fn', 'none');
    expect(Math.max(...configs.map((c) => Math.max(c.cfg.rows, c.cfg.cols)))).to.be.at.most(4);
    // Dot-product cells: every lane count, fused and rounded, OS and WS, dense and 2:4, the products' register.
    const cells = configs.filter((c) => c.cfg.lanes !== 1 || c.cfg.alignBits !== 'exact');
    expect([...new Set(cells.map((c) => c.cfg.lanes ?? 1))].sort((x, y) => x - y), 'lanes').to.deep.equal([1, 2, 4, 8, 16, 32]);
    expect(new Set(cells.map((c) => `${c.cfg.dataflow} ${c.cfg.sparsity} ${c.cfg.product === null ? 'fused' : 'rounded'}`)).size, 'dot-product cells of each dataflow, sparsity and kind').to.be.at.least(6);
    expect(cells.some((c) => (c.cfg.pipeline?.stages ?? 0) === 1), 'a dot-product cell with its products registered').to.equal(true);
    // Fixed-point accumulators: both dataflows, both overflow rules, fused and not, dense and 2:4,
    // pipelined, and state buses wider than 32 bits (the WS ports s_acc, d_acc).
    const fixed = configs.filter((c) => c.cfg.fixed !== undefined);
    expect(new Set(fixed.map((c) => c.cfg.dataflow))).to.have.keys('os', 'ws');
    expect(new Set(fixed.map((c) => c.cfg.fixed!.overflow))).to.have.keys('saturate', 'wrap');
    expect(new Set(fixed.map((c) => c.cfg.product === null)).size, 'fixed: fused and not').to.equal(2);
    expect(new Set(fixed.map((c) => c.cfg.sparsity))).to.have.keys('dense', '2:4');
    expect(fixed.some((c) => (c.cfg.pipeline?.stages ?? 0) > 0), 'fixed: pipelined').to.equal(true);
    expect(fixed.some((c) => c.cfg.dataflow === 'ws' && c.cfg.fixed!.width + 3 > 32), 'fixed: a WS state bus wider than 32 bits').to.equal(true);
  });

  for (const c of configs) {
    it(`config ${c.index}, ${configSummary(c.cfg)}: ${JOBS} jobs match in every cycle`, () => {
      const mine = results.filter((r) => r.top === c.index);
      expect(mine).to.have.length(JOBS);
      const bad = mine.filter((r) => r.comparison.total > 0);
      expect(bad.map(mismatchReport).join('\n'), `RTL vs simulator on ${describeConfig(c, SEED)}`).to.equal('');
      for (const r of mine) expect(r.cycles).to.be.greaterThan(0);
    });
  }

  it('a second build of the same configurations comes from the cache', () => {
    const again = buildArrayHarness(rtls);
    expect(again.built).to.equal(false);
    expect(again.exe).to.equal(build.exe);
    expect(again.seconds).to.be.lessThan(2);
  });

  it('a corrupted expected trace is reported with its cycle, port, PE and both values', () => {
    const top = configs.findIndex((c) => c.cfg.dataflow === 'os' && c.cfg.cols >= 2);
    const arch = rtls[top]!.arch;
    const job = randomJobs(configs[top]!.cfg, 1, 5)[0]!;
    const t = traceJob(arch, job);
    const [ok] = cosimulate(build, [{ top, job, label: 'the job' }]);
    expect(ok!.comparison.total).to.equal(0);
    // Flip the low bit of d_data[1] in the cycle of the first D row.
    const rtl = Uint32Array.from(t.expected);
    const k = t.outputs.ports.findIndex((p) => p.name === 'd_data');
    const p = t.outputs.ports[k]!;
    const valid = t.outputs.ports.findIndex((q) => q.name === 'd_valid');
    let cycle = 0;
    while (unpackElement(t.outputs.ports[valid]!, t.expected, cycle * t.outputs.stride + t.outputs.offsets[valid]!, 0) === 0) cycle++;
    const bit = p.elemWidth; // element 1, bit 0
    rtl[cycle * t.outputs.stride + t.outputs.offsets[k]! + (bit >>> 5)]! ^= 1 << (bit & 31);
    const cmp = compareTraces(arch, t.outputs, t.expected, rtl);
    expect(cmp.total).to.equal(1);
    expect(cmp.cyclesWithMismatch).to.equal(1);
    const m = cmp.first[0]!;
    expect(m).to.include({ cycle, port: 'd_data', element: 1 });
    expect(m.rtl ^ m.sim).to.equal(1);
    expect(m.text).to.match(new RegExp(`^cycle ${cycle}: d_data\\[1\\] \\(column 1, from PE\\(0, 1\\)\\): RTL 0x[0-9a-f]+ \\(.+\\), simulator 0x[0-9a-f]+ \\(.+\\)$`));
    const report = mismatchReport({ ...ok!, comparison: cmp });
    expect(report).to.include('RTL and simulator disagree on the job').and.include('1 mismatching value in 1 of');
  });
});
