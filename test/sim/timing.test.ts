// docs/timing.md's formulas, written out here again from the page (not taken from arch/schedule.ts),
// against the simulator over many array and job shapes: the total cycle count, the cycle each D
// element is on the output port, and the cycle every PE multiplies (its operand registers valid);
// with the multiplier register, also that p holds the selected operands' product one cycle later;
// dot-product cells (lanes) included, whose steps take the place of terms.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mul, roundingCode } from '../../core/arith.js';
import { resolveConfig } from '../../config/resolve.js';
import { buildArch, formatOf } from '../../arch/build.js';
import type { Arch } from '../../arch/types.js';
import { simulate } from '../../sim/simulate.js';
import { randomJob } from '../../sim/stimulus.js';
import { packageRoot } from '../../util/package-root.js';
import { Rng } from './support.js';

interface Shape {
  M: number;
  K: number;
  N: number;
  hasC: boolean;
}

const ceil = (a: number, b: number) => Math.ceil(a / b);
/** A rounded product is registered: p holds it termDepth cycles after the operand cycle. */
const P_REG = (arch: Arch) => arch.pipeline.stages >= 1;

/** The page's symbols for one array and job. */
function symbols(arch: Arch, s: Shape) {
  const R = arch.rows;
  const C = arch.cols;
  const { termDepth: D, loop: L } = arch.pipeline;
  const terms = arch.sparsity === '2:4' ? 2 * ceil(s.K, 4) : s.K;
  // A dot-product cell takes S = ceil(T/G) steps: every formula holds with S in place of T.
  const T = ceil(terms, arch.dot?.lanes ?? 1);
  return { R, C, D, L, T, nM: ceil(s.M, R), nN: ceil(s.N, C), nK: ceil(T, R) };
}

/** Total cycles, "Formulas in one place". */
function totalCycles(arch: Arch, s: Shape): number {
  const { R, C, D, L, T, nM, nN, nK } = symbols(arch, s);
  if (arch.dataflow === 'os') return (s.hasC ? R : 0) + nM * nN * (2 * R + L * T - 1 + D) + C;
  const G = Math.max(s.M + L * (R - 1) - 1, (L - 1) * R + C + D + 1);
  return R + nN * (nK - 1) * (R + G) + (nN - 1) * (R + s.M + L * (R - 1) - 1) + s.M + L * R + C + D;
}

/** OS: load_n = n·p − (addend given ? 0 : R); WS: the stream cycle of tile (nt, kt). */
function osLoad(arch: Arch, s: Shape, n: number): number {
  const { R, D, L, T } = symbols(arch, s);
  return n * (2 * R + L * T - 1 + D) - (s.hasC ? 0 : R);
}

function wsStream(arch: Arch, s: Shape, nt: number, kt: number): number {
  const { R, C, D, L, nK } = symbols(arch, s);
  const G = Math.max(s.M + L * (R - 1) - 1, (L - 1) * R + C + D + 1);
  return R + nt * ((nK - 1) * (R + G) + R + s.M + L * (R - 1) - 1) + kt * (R + G);
}

/** The cycle D[i][j] is on the output port. */
function outputCycle(arch: Arch, s: Shape, i: number, j: number): number {
  const { R, C, D, L, T, nN, nK } = symbols(arch, s);
  if (arch.dataflow === 'os') {
    const n = Math.floor(i / R) * nN + Math.floor(j / C);
    const drain = osLoad(arch, s, n) + 2 * R + L * T - 1 + D;
    return drain + (i % R) + C;
  }
  return wsStream(arch, s, Math.floor(j / C), nK - 1) + i + L * R + C + D;
}

/** Every (cycle, PE) in which a PE has a term of the job in its operand registers, as "x:r:j". */
function multiplies(arch: Arch, s: Shape): Set<string> {
  const { R, C, L, T, nM, nN, nK } = symbols(arch, s);
  const out = new Set<string>();
  if (arch.dataflow === 'os') {
    for (let n = 0; n < nM * nN; n++) {
      const compute = osLoad(arch, s, n) + R;
      const rows = Math.min(R, s.M - Math.floor(n / nN) * R);
      const cols = Math.min(C, s.N - (n % nN) * C);
      for (let t = 0; t < T; t++) for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) out.add(`${compute + L * t + r + j + 1}:${r}:${j}`);
    }
    return out;
  }
  for (let nt = 0; nt < nN; nt++) {
    const cols = Math.min(C, s.N - nt * C);
    for (let kt = 0; kt < nK; kt++) {
      const stream = wsStream(arch, s, nt, kt);
      const rows = Math.min(R, T - kt * R);
      for (let m = 0; m < s.M; m++) for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) out.add(`${stream + m + L * r + j + 1}:${r}:${j}`);
    }
  }
  return out;
}

describe('sim: docs/timing.md formulas against the simulator', () => {
  const rng = new Rng(0x7131);
  const cases: { raw: Record<string, unknown>; shape: Shape }[] = [];
  for (const rows of [1, 2, 3, 5]) {
    for (const cols of [1, 2, 4]) {
      for (const dataflow of ['os', 'ws']) {
        for (const sparsity of ['dense', '2:4']) {
          for (const stages of [0, 1, 2, 3, 4]) {
            const raw = { rows, cols, dataflow, sparsity, pipeline: { stages }, a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: 'e4m7_b10', ...(rng.bool(0.3) ? { chunk: rng.int(1, 5) } : {}) };
            for (let n = 0; n < 2; n++) cases.push({ raw, shape: { M: rng.int(1, 2 * rows + 1), K: rng.int(1, 3 * rows + 6), N: rng.int(1, 2 * cols + 1), hasC: rng.bool() } });
          }
          // Dot-product cells: G terms a step (one pipeline stage at most: the products' register).
          for (const [lanes, stages] of [[2, 0], [8, 1]] as const) {
            const raw = { rows, cols, dataflow, sparsity, lanes, alignBits: 8, pipeline: { stages }, a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: 'e4m7_b10', ...(rng.bool(0.3) ? { chunk: lanes * rng.int(1, 3) } : {}) };
            cases.push({ raw, shape: { M: rng.int(1, 2 * rows + 1), K: rng.int(1, lanes * (3 * rows + 2)), N: rng.int(1, 2 * cols + 1), hasC: rng.bool() } });
          }
        }
      }
    }
  }

  it(`${cases.length} shapes: total cycles, the cycle of every D element, the cycles every PE multiplies, the product register`, () => {
    for (const { raw, shape } of cases) {
      const arch = buildArch(resolveConfig(raw));
      const where = `${shape.M}×${shape.K}·${shape.K}×${shape.N}${shape.hasC ? ' + C' : ''} on ${JSON.stringify(raw)}`;
      const job = randomJob(arch, shape, 5);
      const C = shape.hasC ? job.A.map(() => Array.from({ length: shape.N }, () => 0)) : undefined;
      const seen = new Set<string>();
      const [weight, index, valid] = arch.dataflow === 'os' ? ['b', 'bi', 'bv'] : ['w', 'wi', 'wv'];
      // p after the cycle PE(i, j) multiplies: in each lane, the product of the selected lane of a
      // and the weight (a dot-product cell: G lanes; 2:4 lane l selects in a's group l >> 1).
      const products = new Map<string, number[]>();
      const G = arch.dot?.lanes ?? 1;
      let checked = 0;
      const [fa, fw] = [formatOf(arch.formats.a), formatOf(arch.formats.w)];
      const product = arch.formats.product === null ? null : { f: formatOf(arch.formats.product), mode: roundingCode(arch.rounding.product) };
      const r = simulate(arch, C ? { ...job, C } : job, {
        onCycle: (x, _ports, reg) => {
          for (let i = 0; i < arch.rows; i++) {
            for (let j = 0; j < arch.cols; j++) {
              if (P_REG(arch) && products.has(`${x}:${i}:${j}`)) {
                expect(reg('pv', i, j), `pv of PE(${i}, ${j}) in cycle ${x}; ${where}`).to.equal(1);
                products.get(`${x}:${i}:${j}`)!.forEach((p, l) => expect(reg('p', i, j, l), `p lane ${l} of PE(${i}, ${j}) in cycle ${x}; ${where}`).to.equal(p));
                checked++;
              }
              if (!(reg('av', i, j) & reg(valid, i, j))) continue;
              seen.add(`${x}:${i}:${j}`);
              if (P_REG(arch)) {
                const lane = (l: number) => (arch.sparsity === '2:4' ? 4 * (l >> 1) + reg(index, i, j, l) : l);
                const p = Array.from({ length: G }, (_, l) => mul(fa, reg('a', i, j, lane(l)), fw, reg(weight, i, j, l), product!.f, product!.mode));
                products.set(`${x + arch.pipeline.termDepth}:${i}:${j}`, p);
              }
            }
          }
        },
      });
      expect(checked, `product registers checked; ${where}`).to.equal(P_REG(arch) ? products.size : 0);
      expect(r.cycles, `total cycles; ${where}`).to.equal(totalCycles(arch, shape));
      for (let i = 0; i < shape.M; i++) for (let j = 0; j < shape.N; j++) expect(r.outputCycles[i]![j], `cycle of D[${i}][${j}]; ${where}`).to.equal(outputCycle(arch, shape, i, j));
      expect([...seen].sort(), `multiply cycles; ${where}`).to.deep.equal([...multiplies(arch, shape)].sort());
    }
  });
});

describe('docs/timing.md: symbols', () => {
  it('C is only the column count: the matrix added to A·B is "the addend"', () => {
    const page = readFileSync(join(packageRoot(), 'docs', 'timing.md'), 'utf8');
    // A bare C (not the italic symbol *C*, not a subscript) would be the matrix again.
    const bare = page.split('\n').filter((line) => /(?<![*>_])\bC\b(?![*<])/.test(line));
    expect(bare).to.deep.equal([]);
    expect(page).to.include('is called **the addend** here');
  });
});
