// The generated array top under Icarus, driven with the simulator's own input ports cycle by
// cycle: every output port must equal the simulator's in every cycle, and for one-tile jobs the D
// read off the RTL's ports must equal simGemm's. Fixed configurations cover both dataflows, 2:4,
// chunking, the fused cell, the multiplier register and dot-product cells; random ones (test/sim/support.ts, arrays up
// to 4x4) add the rest. LBAMAC_RTL_ARRAY_CASES sets how many random ones (default 8).
import { expect } from 'chai';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ArrayConfig, resolveConfig } from '../../config/resolve.js';
import { generateRtl } from '../../rtl-gen/generate.js';
import { simGemm } from '../../sim/api.js';
import { stepsOf } from '../../arch/schedule.js';
import { tempDir } from '../support/tmp.js';
import { describeCase, randomCase, Rng } from '../sim/support.js';
import { firstMismatch, portTrace, runArrayIcarus, singleTileD } from './array-trace.js';

interface Case {
  name: string;
  cfg: ArrayConfig;
  A: number[][];
  B: number[][];
  C?: number[][];
}

function codes(rng: Rng, rows: number, cols: number, width: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.int(0, 2 ** width - 1)));
}

/** A 2:4 B: in every group of 4 along K, two slots per column are zero. */
function sparse24(rng: Rng, K: number, N: number, width: number): number[][] {
  const B = codes(rng, K, N, width);
  for (let g = 0; 4 * g < K; g++) {
    for (let j = 0; j < N; j++) {
      const kept = rng.int(0, 3);
      const kept2 = rng.int(0, 3);
      for (let q = 0; q < 4 && 4 * g + q < K; q++) if (q !== kept && q !== kept2) B[4 * g + q]![j] = 0;
    }
  }
  return B;
}

function fixedCase(name: string, raw: Record<string, unknown>, M: number, K: number, N: number, withC: boolean, seed: number): Case {
  const cfg = resolveConfig(raw);
  const rng = new Rng(seed);
  const A = codes(rng, M, K, cfg.a.width);
  const B = cfg.sparsity === '2:4' ? sparse24(rng, K, N, cfg.w.width) : codes(rng, K, N, cfg.w.width);
  const out = cfg.chunk === null ? cfg.acc : cfg.total;
  return withC ? { name, cfg, A, B, C: codes(rng, M, N, out.width) } : { name, cfg, A, B };
}

const example = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'e4m3-e4m7', 'config.json'), 'utf8')) as Record<string, unknown>;

const FIXED: Case[] = [
  fixedCase('examples/e4m3-e4m7 (OS, dense, chunk 16), K = 20, with C', example, 4, 20, 4, true, 1),
  fixedCase('WS, 2:4, multiplier register, chunk 3', { rows: 4, cols: 3, dataflow: 'ws', sparsity: '2:4', a: 'e5m2', w: 'e4m3', product: 'e5m10', acc: 'e4m7', total: 'fp16', chunk: 3, rounding: { product: 'rna', acc: 'rne', total: 'rtz' }, pipeline: { stages: 1 } }, 5, 8, 3, true, 2),
  fixedCase('OS, 2:4, fused, 3 x 2', { rows: 3, cols: 2, dataflow: 'os', sparsity: '2:4', a: 'e4m3', w: 'e2m1', product: 'exact', acc: { exp: 4, man: 5, subnormals: false }, rounding: { acc: 'rna' } }, 3, 11, 2, false, 3),
  fixedCase('WS, dense, fused, 2 x 4', { rows: 2, cols: 4, dataflow: 'ws', a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'bf16', rounding: { acc: 'rtz' } }, 3, 2, 4, true, 4),
  // Several tiles: D tiles in both directions, K tiles with partial sums fed back (WS).
  fixedCase('4 x 4 OS, 2:4, multiplier register, chunk 2, 9 x 13 by 13 x 6', { rows: 4, cols: 4, dataflow: 'os', sparsity: '2:4', a: 'e4m3', w: 'e5m2', product: 'e5m6', acc: 'e5m7', total: 'fp16', chunk: 2, rounding: { product: 'rne', acc: 'rna', total: 'rne' }, pipeline: { stages: 1 } }, 9, 13, 6, true, 5),
  // Dot-product cells: G products per step, one adder (WS with several K tiles of steps).
  fixedCase('OS, dense, dot-product cell of 4 lanes (rounded products registered, alignBits 6), chunk 8, flags', { rows: 2, cols: 3, dataflow: 'os', a: 'e4m3', w: 'e4m3', product: 'e5m4', acc: 'e5m7', total: 'fp16', chunk: 8, lanes: 4, alignBits: 6, rounding: { product: 'rne', acc: 'rtz', total: 'rne' }, pipeline: { stages: 1 }, flags: true }, 3, 19, 3, true, 7),
  fixedCase('WS, 2:4, fused dot-product cell of 2 lanes (alignBits exact), 4 x 2, 5 x 21 by 21 x 2', { rows: 4, cols: 2, dataflow: 'ws', sparsity: '2:4', a: 'e4m3', w: 'e5m2', product: 'exact', acc: 'e5m7', lanes: 2, alignBits: 'exact', rounding: { acc: 'rna' } }, 5, 21, 2, true, 8),
  // Fixed-point accumulators: the Kulisch register of e4m3 (49 bits) in OS; a wrapping register in
  // WS whose 43-bit state bus goes out and back in between K tiles.
  fixedCase('3 x 2 OS, fixed(msb 29, lsb -18, saturate) into fp32, 2 stages, 5 x 7 by 7 x 3', { rows: 3, cols: 2, dataflow: 'os', a: 'e4m3', w: 'e4m3', product: 'exact', acc: { fixed: { msb: 29, lsb: -18 }, overflow: 'saturate', out: 'fp32' }, pipeline: { stages: 2 }, flags: true }, 5, 7, 3, true, 7),
  fixedCase('2 x 3 WS, 2:4, fixed(msb 20, lsb -20, wrap) into fp16, 1 stage, 3 x 13 by 13 x 4', { rows: 2, cols: 3, dataflow: 'ws', sparsity: '2:4', a: 'e5m2', w: 'e4m3', product: 'e5m6', acc: { fixed: { msb: 20, lsb: -20 }, overflow: 'wrap', out: 'fp16' }, rounding: { input: 'rtz', product: 'rne', acc: 'rdn' }, pipeline: { stages: 1 } }, 3, 13, 4, true, 8),
  fixedCase('4 x 4 WS, dense, chunk 3, 6 x 11 by 11 x 7', { rows: 4, cols: 4, dataflow: 'ws', a: 'e4m3', w: 'e4m3', product: 'fp16', acc: { exp: 4, man: 7, bias: 10, subnormals: false }, total: 'e5m7', chunk: 3, rounding: { product: 'rtz', acc: 'rne', total: 'rna' } }, 6, 11, 7, true, 6),
];

const RANDOM = Number(process.env.LBAMAC_RTL_ARRAY_CASES ?? 8);

function randomCases(): Case[] {
  const out: Case[] = [];
  for (let seed = 0x41a00000; out.length < RANDOM; seed++) {
    const c = randomCase(seed);
    if (c.cfg.rows > 4 || c.cfg.cols > 4) continue;
    out.push({ name: describeCase(c), cfg: c.cfg, A: c.A, B: c.B, ...(c.C ? { C: c.C } : {}) });
  }
  return out;
}

describe('rtl-gen: the generated array under Icarus follows the simulator cycle by cycle', function () {
  this.timeout(120_000);
  const dir = tempDir('rtl-array');
  const cases = [...FIXED, ...randomCases()];
  cases.forEach((c, i) => {
    it(c.name, () => {
      const rtl = generateRtl(c.cfg);
      const job = c.C ? { A: c.A, B: c.B, C: c.C } : { A: c.A, B: c.B };
      const trace = portTrace(rtl.arch, job);
      const caseDir = join(dir, `case${i}`);
      mkdirSync(caseDir);
      const outputs = runArrayIcarus(rtl, trace, caseDir);
      const problem = firstMismatch(rtl.arch, trace.cycles, outputs);
      expect(problem, problem ?? '').to.equal(null);
      const M = c.A.length;
      const N = c.B[0]!.length;
      const oneTile = N <= c.cfg.cols && (c.cfg.dataflow === 'ws' ? stepsOf(rtl.arch, c.B.length) <= c.cfg.rows : M <= c.cfg.rows);
      if (oneTile) expect(singleTileD(rtl.arch, outputs, M, N)).to.deep.equal(simGemm(c.cfg, c.A, c.B, c.C).D);
    });
  });
});
