// The simulator against the functional reference (core/gemm.ts): D bit for bit and every event
// count, over random configurations of everything the config can say (dot-product cells included); the first of them also
// against the exact golden model (golden/gemm.ts, BigInt: slower). Replay a failure with
// LBAMAC_SIM_SEED=<seed> (runs that seed alone); LBAMAC_SIM_CASES=<n> and
// LBAMAC_SIM_GOLDEN_CASES=<n> change the counts.
import { expect } from 'chai';
import { ROUNDING_MODES } from '../../core/format.js';
import { coreGemm } from '../../core/gemm.js';
import { goldenGemm } from '../../golden/gemm.js';
import { type EventCounts, EVENT_NAMES, zeroEvents } from '../../core/events.js';
import { buildArch } from '../../arch/build.js';
import { latencyCycles, outputCycle } from '../../arch/schedule.js';
import { simulate } from '../../sim/simulate.js';
import { describeCase, DOT_LANES, randomCase } from './support.js';

const BASE_SEED = 0x5eed0000;
const only = process.env.LBAMAC_SIM_SEED;
const count = Number(process.env.LBAMAC_SIM_CASES ?? 400);
const seeds = only !== undefined ? [Number(only)] : Array.from({ length: count }, (_, i) => BASE_SEED + i);
const goldenCount = Number(process.env.LBAMAC_SIM_GOLDEN_CASES ?? 40);

function sum(rows: EventCounts[][]): EventCounts {
  const e = zeroEvents();
  for (const row of rows) for (const x of row) for (const k of EVENT_NAMES) e[k] += x[k];
  return e;
}

describe('sim: random configurations against coreGemm and goldenGemm', function () {
  this.timeout(180_000);

  it(`${seeds.length} configurations: coreGemm's D bit for bit (and golden's for the first ${Math.min(goldenCount, seeds.length)}), same events per output, cycles as arch/ says`, () => {
    const seen = { os: 0, ws: 0, sparse: 0, chunked: 0, fused: 0, pipelined: 0, stages2: 0, cutAdder: 0, beforeMul: 0, fusedStage: 0, flags: 0, tiledM: 0, tiledK: 0, withC: 0, generic: 0, kNot4: 0, kNotRows: 0, sub: 0, ftz: 0, rsr: 0, rsrPipelined: 0, rsrWs: 0, dot: 0, dotWindow: 0, dotSparse: 0, dotWs: 0, dotFused: 0, dotChunked: 0, dotFlags: 0, dotSteps: 0, dotStaged: 0, fixed: 0, fixedWs: 0, fixedSparse: 0, fixedStages: 0, fixedFused: 0, fixedFlags: 0, fixedWide: 0, fixedWrap: 0, fixedSaturate: 0 };
    const lanes = new Set<number>();
    const randomBits = new Set<number>();
    const goldenSeen = { os: 0, ws: 0, sparse: 0, chunked: 0 };
    const modes = new Set<string>();
    const specials = new Set<string>();
    const specialKinds = new Set<string>();
    const shapes = new Set<string>();
    seeds.forEach((seed, n) => {
      const c = randomCase(seed);
      const where = describeCase(c);
      const arch = buildArch(c.cfg);
      const r = simulate(arch, c.C ? { A: c.A, B: c.B, C: c.C } : { A: c.A, B: c.B });
      const M = c.A.length;
      const N = c.B[0]!.length;
      const K = c.B.length;
      const refs: [string, { D: number[][]; events: EventCounts; perOutput: EventCounts[][] }][] = [['coreGemm', coreGemm(c.cfg, c.A, c.B, c.C)]];
      if (n < goldenCount || only !== undefined) {
        refs.push(['goldenGemm', goldenGemm(c.cfg, c.A, c.B, c.C)]);
        goldenSeen[arch.dataflow]++;
        if (arch.sparsity === '2:4') goldenSeen.sparse++;
        if (arch.chunk !== null) goldenSeen.chunked++;
      }
      for (const [name, ref] of refs) {
        // D first: the first differing element names itself.
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) {
            if (r.D[i]![j] !== ref.D[i]![j]) expect.fail(`D[${i}][${j}] = 0x${r.D[i]![j]!.toString(16)}, ${name} 0x${ref.D[i]![j]!.toString(16)}; ${where}`);
          }
        }
        expect(r.events, `events vs ${name}; ${where}`).to.deep.equal(ref.events);
        expect(r.perOutput, `per-output events vs ${name}; ${where}`).to.deep.equal(ref.perOutput);
      }
      const ref = refs[0]![1];
      expect(sum(r.perPE), `per-PE events add up; ${where}`).to.deep.equal(ref.events);
      const dims = { M, N, K, hasC: c.C !== undefined };
      expect(r.cycles, `cycles; ${where}`).to.equal(latencyCycles(arch, dims));
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) expect(r.outputCycles[i]![j], `cycle of D[${i}][${j}]; ${where}`).to.equal(outputCycle(arch, r.schedule, i, j));
      seen[arch.dataflow]++;
      if (arch.sparsity === '2:4') seen.sparse++;
      if (arch.chunk !== null) seen.chunked++;
      if (arch.fused) seen.fused++;
      if (arch.pipeline.stages) seen.pipelined++;
      if (arch.pipeline.stages === 2) seen.stages2++;
      if (arch.pipeline.loop === 2) seen.cutAdder++;
      if (arch.pipeline.cuts.includes('before-mul')) seen.beforeMul++;
      if (arch.flags) seen.flags++;
      if (arch.fused && arch.pipeline.stages === 1) seen.fusedStage++;
      if (M > arch.rows || N > arch.cols) seen.tiledM++;
      if (r.schedule.T > arch.rows) seen.tiledK++;
      if (c.C) seen.withC++;
      if (c.cfg.a.width + c.cfg.w.width > 16) seen.generic++;
      if (K % 4 !== 0) seen.kNot4++;
      if (K % arch.rows !== 0) seen.kNotRows++;
      if (arch.random !== null) {
        seen.rsr++;
        randomBits.add(arch.random.bits);
        if (arch.pipeline.stages > 0) seen.rsrPipelined++;
        if (arch.dataflow === 'ws') seen.rsrWs++;
      }
      if (arch.dot !== null) {
        seen.dot++;
        lanes.add(arch.dot.lanes);
        if (arch.dot.alignBits !== 'exact') seen.dotWindow++;
        if (arch.sparsity === '2:4') seen.dotSparse++;
        if (arch.dataflow === 'ws') seen.dotWs++;
        if (arch.fused) seen.dotFused++;
        if (arch.chunk !== null) seen.dotChunked++;
        if (arch.flags) seen.dotFlags++;
        if (r.schedule.S > 1) seen.dotSteps++;
        if (arch.pipeline.stages > 0) seen.dotStaged++;
      }
      if (arch.fixed !== null) {
        seen.fixed++;
        if (arch.dataflow === 'ws') seen.fixedWs++;
        if (arch.sparsity === '2:4') seen.fixedSparse++;
        if (arch.pipeline.stages > 0) seen.fixedStages++;
        if (arch.fused) seen.fixedFused++;
        if (arch.flags) seen.fixedFlags++;
        // A state bus wider than 32 bits: Float64Array registers and ports in the simulator.
        if (arch.fixed.stateWidth > 32) seen.fixedWide++;
        if (arch.fixed.overflow === 'wrap') seen.fixedWrap++;
        else seen.fixedSaturate++;
      }
      if (c.cfg.acc.subnormals) seen.sub++;
      else seen.ftz++;
      modes.add(c.cfg.rounding.acc);
      modes.add(c.cfg.rounding.product);
      shapes.add(`${arch.rows}x${arch.cols}`);
      for (const f of [c.cfg.a, c.cfg.w, c.cfg.acc]) {
        specials.add(`${f.specials}/${f.overflow}/${f.subnormals ? 'sub' : 'ftz'}`);
        specialKinds.add(f.specials);
      }
    });
    if (only === undefined) {
      // The mix the issue asks for is really there.
      for (const [k, v] of Object.entries(seen)) expect(v, `configurations with ${k}`).to.be.greaterThan(seeds.length / 40);
      expect([...modes].sort()).to.deep.equal([...ROUNDING_MODES].sort());
      for (const bits of [1, 32]) expect(randomBits.has(bits), `rsr with R = ${bits}`).to.equal(true);
      if (seeds.length >= 200) expect([...lanes].sort((x, y) => x - y), 'dot-product cells of every lane count').to.deep.equal([...DOT_LANES]);
      expect([...specialKinds].sort()).to.deep.equal(['fn', 'ieee', 'none']);
      expect(specials.size).to.be.greaterThanOrEqual(8);
      for (const dim of [1, 8]) for (const other of [1, 8]) if (seeds.length >= 200) expect(shapes.has(`${dim}x${other}`), `a ${dim}×${other} array`).to.equal(true);
      if (goldenCount >= 40) for (const [k, v] of Object.entries(goldenSeen)) expect(v, `golden-checked configurations with ${k}`).to.be.greaterThan(0);
    }
  });
});
