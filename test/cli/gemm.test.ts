import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy, type NpyDtype, parseNpy } from '../../engine/npy.js';
import { filesIn, fixture, lbamac, ROOT } from './run.js';

const EXAMPLES = ['e4m3-e4m7', 'sparse-2-4'];

function exampleArgs(name: string): string[] {
  const dir = join(ROOT, 'examples', name);
  return ['--config', join(dir, 'config.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json')];
}

const CONFIG = { a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'fp16' };
const A = [
  [1, 2],
  [3, 4],
];
const B = [
  [0.5, -1],
  [1, 0.25],
];

describe('cli: gemm', function () {
  this.timeout(30_000); // each case spawns node
  for (const name of EXAMPLES) {
    it(`examples/${name}: golden and core give the same D`, () => {
      const golden = lbamac('gemm', ...exampleArgs(name), '--engine', 'golden');
      const core = lbamac('gemm', ...exampleArgs(name), '--engine', 'core');
      expect(golden.stderr).to.equal('');
      expect(core.stderr).to.equal('');
      expect([golden.status, core.status]).to.deep.equal([0, 0]);
      const g = JSON.parse(golden.stdout);
      const c = JSON.parse(core.stdout);
      expect(c.D).to.deep.equal(g.D);
      expect(c.values).to.deep.equal(g.values);
      expect(c.events).to.deep.equal(g.events);
      expect([g.engine, c.engine]).to.deep.equal(['golden', 'core']);
    });
  }

  it('warns on stderr, one line per matrix, when real inputs overflow, underflow or round, and records the counts in the JSON', () => {
    const a = [
      [1e6, 'inf', 1.1, 2 ** -11],
      [1, 2, 3, 4],
      [1, 2, 3, '-inf'],
    ];
    const dir = fixture({ 'cfg.json': CONFIG, 'a.json': a, 'b.json': [[1], [1], [1], [1]] });
    const out = join(dir, 'd.json');
    const r = lbamac('gemm', '--config', join(dir, 'cfg.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json'), '--out', out);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.equal("lbamac: warning: A (e4m3): 3 of 12 values overflowed (largest inf became 448 = e4m3's largest finite), 1 underflowed (became zero or subnormal), 1 rounded\n");
    const d = JSON.parse(readFileSync(out, 'utf8'));
    expect(d.inputs.A).to.deep.include({ values: 12, overflow: 3, underflow: 1, inexact: 1, largestOverflow: { value: 'inf', became: 448 } });
    expect(d.inputs.B).to.deep.include({ values: 4, overflow: 0, underflow: 0, inexact: 0 });
  });

  it('writes --out whole, creating parent directories, with the result of the default engine (core)', () => {
    const dir = fixture({ 'cfg.json': CONFIG, 'a.json': A, 'b.json': B, 'c.json': [['0x3c00', 'nan'], [-1, '-inf']] });
    const out = join(dir, 'deep', 'er', 'd.json');
    const r = lbamac('gemm', '--config', join(dir, 'cfg.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json'), '--c', join(dir, 'c.json'), '--out', out);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal(`wrote ${out}\n`);
    expect(filesIn(join(dir, 'deep', 'er'))).to.deep.equal(['d.json']); // no temp file left over
    const d = JSON.parse(readFileSync(out, 'utf8'));
    expect(d.engine).to.equal('core');
    expect(d.cycles).to.equal(null);
    expect(d.format).to.deep.include({ name: 'fp16', exp: 5, man: 10 });
    // C + A·B: 1 + (0.5 + 2) = 3.5, NaN, -1 + (1.5 + 4) = 4.5, -inf
    expect(d.values).to.deep.equal([
      [3.5, 'nan'],
      [4.5, '-inf'],
    ]);
    expect(d.D).to.deep.equal([
      ['0x4300', '0x7e00'],
      ['0x4480', '0xfc00'],
    ]);
  });
});

describe('cli: gemm with a fixed-point accumulator', function () {
  this.timeout(60_000);
  // Multiples of 1/4 in [-16, 15.75]: 1 + 2 + 0.375 (→ 0.5, rne onto the grid) = 3.5; 8 + 8 saturates.
  const cfg = { a: 'fp16', w: 'fp16', product: 'exact', acc: { fixed: { msb: 3, lsb: -2 }, overflow: 'saturate', out: 'fp16' } };
  const a = [
    [1, 2, 0.375],
    [8, 8, 0],
  ];
  const b = [[1], [1], [1]];
  const args = (dir: string) => ['gemm', '--config', join(dir, 'cfg.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json')];

  it('core and golden give the same D (codes of out) and events', () => {
    const dir = fixture({ 'cfg.json': cfg, 'a.json': a, 'b.json': b });
    const [golden, core] = ['golden', 'core'].map((engine) => lbamac(...args(dir), '--engine', engine));
    expect([golden!.status, core!.status], golden!.stderr + core!.stderr).to.deep.equal([0, 0]);
    const g = JSON.parse(golden!.stdout);
    const c = JSON.parse(core!.stdout);
    expect(g.format).to.deep.include({ name: 'fp16' });
    expect(g.values).to.deep.equal([[3.5], [15.75]]);
    expect(g.D).to.deep.equal([['0x4300'], ['0x4be0']]);
    expect(g.events).to.deep.include({ accOverflow: 1, swamping: 0 });
    expect({ D: c.D, values: c.values, events: c.events }).to.deep.equal({ D: g.D, values: g.values, events: g.events });
  });

  for (const engine of ['sim', 'verilator']) {
    it(`--engine ${engine} gives core's D and events`, function () {
      if (engine === 'verilator') this.timeout(600_000); // builds the array
      const dir = fixture({ 'cfg.json': cfg, 'a.json': a, 'b.json': b });
      const [core, array] = ['core', engine].map((e) => lbamac(...args(dir), '--engine', e));
      expect([core!.status, array!.status], core!.stderr + array!.stderr).to.deep.equal([0, 0]);
      const c = JSON.parse(core!.stdout);
      const r = JSON.parse(array!.stdout);
      expect(r.D).to.deep.equal([['0x4300'], ['0x4be0']]);
      expect({ D: r.D, values: r.values, events: r.events }).to.deep.equal({ D: c.D, values: c.values, events: c.events });
    });
  }

  it('--engine sim refuses a register wider than the simulator holds, naming the width and the limit', () => {
    const dir = fixture({ 'cfg.json': { ...cfg, acc: { fixed: { msb: 40, lsb: -20 }, overflow: 'wrap', out: 'fp16' } }, 'a.json': a, 'b.json': b });
    const r = lbamac(...args(dir), '--engine', 'sim');
    expect(r.status).to.equal(1);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(/lbamac: simulator: the accumulator fixed\(msb 40, lsb -20, wrap\) into fp16 has a 62-bit register; .*at most 50 bits/);
    expect(r.stderr).not.to.match(/\n\s+at /);
  });
});

describe('cli: gemm with stochastic rounding (rsr)', function () {
  this.timeout(600_000); // the verilator engine builds the array
  // Products and accumulator rsr with 5 random bits, a pipeline stage after the multiplier (the
  // accumulator's draws ride with the product), C given, two tiles on the 2 x 2 array.
  const cfg = { rows: 2, cols: 2, a: 'e4m3', w: 'e4m3', product: 'e3m3', acc: 'e4m4', rounding: { product: 'rsr', acc: 'rsr', randomBits: 5, seed: 2024 }, pipeline: { stages: 1 } };
  const a = [
    [1.5, -2.75, 0.3, 7],
    [0.1, 0.2, -0.3, 0.4],
    [3, 3.5, -4, 0.0625],
  ];
  const b = [
    [0.7, -1.1],
    [2.2, 0.05],
    [-0.9, 1.3],
    [0.15, -0.6],
  ];
  const c = [
    [1, -1],
    [0.5, 0.25],
    [-2, 3],
  ];

  it('golden, core, sim and verilator give the same D, values and events', () => {
    const dir = fixture({ 'cfg.json': cfg, 'a.json': a, 'b.json': b, 'c.json': c });
    const args = ['gemm', '--config', join(dir, 'cfg.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json'), '--c', join(dir, 'c.json')];
    const runs = ['golden', 'core', 'sim', 'verilator'].map((engine) => lbamac(...args, '--engine', engine));
    for (const r of runs) expect(r.status, r.stderr).to.equal(0);
    const [g, ...others] = runs.map((r) => JSON.parse(r.stdout) as { engine: string; D: string[][]; values: number[][]; events: unknown });
    for (const o of others) expect({ D: o.D, values: o.values, events: o.events }, o.engine).to.deep.equal({ D: g!.D, values: g!.values, events: g!.events });
    // Another seed draws other bits: the stream is in the result.
    const other = fixture({ 'cfg.json': { ...cfg, rounding: { ...cfg.rounding, seed: 7 } }, 'a.json': a, 'b.json': b, 'c.json': c });
    const o = lbamac('gemm', '--config', join(other, 'cfg.json'), '--a', join(other, 'a.json'), '--b', join(other, 'b.json'), '--c', join(other, 'c.json'), '--engine', 'golden');
    expect(JSON.parse(o.stdout).D).not.to.deep.equal(g!.D);
  });

  it('rsr without randomBits is a config error naming the value and the range', () => {
    const dir = fixture({ 'cfg.json': { ...cfg, rounding: { acc: 'rsr' } }, 'a.json': a, 'b.json': b });
    const r = lbamac('gemm', '--config', join(dir, 'cfg.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json'));
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/rounding\.acc = "rsr" needs .*rounding\.randomBits, .*an integer from 1 to 32; it is not set/);
  });

  it('the simulator refuses an rsr accumulator behind a cut adder; the core computes it', () => {
    const cut = { ...cfg, pipeline: { stages: 3 } };
    const dir = fixture({ 'cfg.json': cut, 'a.json': a, 'b.json': b });
    const base = ['gemm', '--config', join(dir, 'cfg.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json')];
    const sim = lbamac(...base, '--engine', 'sim');
    expect(sim.status).to.equal(1);
    expect(sim.stderr).to.match(/array: pipeline\.stages = 3 cuts the accumulator adder, .*rounding\.acc = "rsr" needs the R bits below it, .*use pipeline\.stages = 0\.\.2/);
    expect(lbamac(...base, '--engine', 'core').status).to.equal(0);
  });
});

/** Every way a job can be wrong: exit 1, one message naming file, position and value, no output. */
describe('cli: gemm input errors', function () {
  this.timeout(30_000);
  const cases: { name: string; files: Record<string, unknown>; withC?: boolean; expected: RegExp[] }[] = [
    {
      name: 'ragged matrix',
      files: { 'a.json': [[1, 2], [3, 4], [5]] },
      expected: [/a\.json: row 2 has 1 element but row 0 has 2/],
    },
    {
      name: 'A and B shapes that do not chain',
      files: { 'b.json': [[1, 2], [3, 4], [5, 6]] },
      expected: [/shape mismatch: A \(\S*a\.json\) is M×K = 2×2 but B \(\S*b\.json\) is K×N = 3×2: K is 2 in A and 3 in B/],
    },
    {
      name: 'C of the wrong shape',
      files: { 'c.json': [[1, 2]] },
      withC: true,
      expected: [/C \(\S*c\.json\) is 1×2 but D = A·B is M×N = 2×2/],
    },
    {
      name: 'a malformed hex pattern',
      files: { 'b.json': [[1, '0xZZ'], [3, 4]] },
      expected: [/b\.json at \[0\]\[1\]: "0xZZ" is not an element/, /"0x…" bit pattern/],
    },
    {
      name: 'a bit pattern too wide for the format',
      files: { 'a.json': [[1, 2], ['0x100', 4]] },
      expected: [/a\.json at \[1\]\[0\]: bit pattern "0x100" does not fit e4m3 \(8 bits\); allowed 0x0 to 0xff/],
    },
    {
      name: 'a number beyond float64',
      files: { 'a.json': '[[1, 2], [3, 1e999]]' },
      expected: [/a\.json at \[1\]\[1\]: the number parses as Infinity/, /"inf"/],
    },
    {
      name: 'an element of the wrong type',
      files: { 'a.json': [[1, true], [3, 4]] },
      expected: [/a\.json at \[0\]\[1\]: true is not an element/],
    },
    {
      name: 'malformed JSON',
      files: { 'b.json': '[[1, 2], [3, 4]' },
      expected: [/b\.json: not valid JSON \(.+\)/],
    },
    {
      name: 'an unknown config key',
      files: { 'cfg.json': { ...CONFIG, colums: 4 } },
      expected: [/cfg\.json: config: unknown key "colums"; allowed keys: rows, cols/],
    },
    {
      name: 'a fixed-point accumulator with chunk',
      files: { 'cfg.json': { ...CONFIG, acc: { fixed: { msb: 3, lsb: -2 }, overflow: 'wrap', out: 'fp16' }, chunk: 4 } },
      expected: [/cfg\.json: config\.chunk = 4 is not allowed with a fixed-point accumulator/],
    },
    {
      name: 'a config value out of range',
      files: { 'cfg.json': { ...CONFIG, rows: 0 } },
      expected: [/cfg\.json: config\.rows: must be from 1 to 256 \(got 0\)/],
    },
    {
      name: 'a 2:4 violation',
      files: {
        'cfg.json': { ...CONFIG, sparsity: '2:4' },
        'a.json': [[1, 1, 1, 1, 1]],
        'b.json': [[1], [0], ['0x38'], [-2], [1]],
      },
      expected: [/b\.json: 2:4 sparsity violated in column 0, group 0 \(rows 0-3\): 3 nonzeros at rows 0, 2, 3 \(values 1, "0x38", -2\)/],
    },
    {
      name: 'a missing file',
      files: { 'a.json': undefined },
      expected: [/a\.json: cannot read the file \(no such file\)/],
    },
  ];

  for (const { name, files, withC, expected } of cases) {
    it(name, () => {
      const all = { 'cfg.json': CONFIG, 'a.json': A, 'b.json': B, 'c.json': A, ...files };
      const dir = fixture(Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)));
      const out = join(dir, 'out', 'd.json');
      const args = ['gemm', '--config', join(dir, 'cfg.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json'), '--out', out];
      const r = lbamac(...args, ...(withC ? ['--c', join(dir, 'c.json')] : []));
      expect(r.status, r.stderr).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.match(/^lbamac: /);
      expect(r.stderr).not.to.match(/\n\s+at /); // a message, not a stack trace
      for (const re of expected) expect(r.stderr).to.match(re);
      expect(existsSync(join(dir, 'out'))).to.equal(false);
    });
  }
});

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;
const npy = (dtype: NpyDtype, m: number[][]) => encodeNpy({ dtype, shape: [m.length, m[0]!.length], data: m.flat() });
const transpose = <T>(m: T[][]) => m[0]!.map((_, j) => m.map((row) => row[j]!));

/** The example job e4m3-e4m7 (A 4×32, B 32×4), as values. */
const EXAMPLE = join(ROOT, 'examples', 'e4m3-e4m7');
const exampleA = readJson(join(EXAMPLE, 'a.json')) as number[][];
const exampleB = readJson(join(EXAMPLE, 'b.json')) as number[][];

describe('cli: gemm with NumPy .npy files', function () {
  this.timeout(60_000); // each case spawns node

  it('takes A, B and C as .npy (values in float dtypes, codes in uint ones) and gives the D of the same job in JSON', () => {
    const dir = fixture({ 'a.npy': npy('float32', exampleA), 'b.npy': npy('float16', exampleB), 'c.npy': npy('uint16', Array(4).fill([0x500, 0xd00, 0x7c0, 0])) });
    const base = ['gemm', '--config', join(EXAMPLE, 'config.json'), '--a'];
    const fromJson = lbamac(...base, join(EXAMPLE, 'a.json'), '--b', join(EXAMPLE, 'b.json'), '--c', fixture({ 'c.json': Array(4).fill(['0x500', '0xd00', '0x7c0', '0x0']) }) + '/c.json');
    const fromNpy = lbamac(...base, join(dir, 'a.npy'), '--b', join(dir, 'b.npy'), '--c', join(dir, 'c.npy'));
    expect([fromJson.status, fromNpy.status], fromNpy.stderr).to.deep.equal([0, 0]);
    expect(fromNpy.stderr).to.equal('');
    expect(fromNpy.stdout).to.equal(fromJson.stdout);
  });

  it('--b-layout nk takes B as N×K (a PyTorch Linear weight): the D of the transposed B in the default layout', () => {
    const dir = fixture({ 'a.npy': npy('float64', exampleA), 'w.npy': npy('float16', transpose(exampleB)), 'w.json': transpose(exampleB) });
    const base = ['gemm', '--config', join(EXAMPLE, 'config.json'), '--a', join(dir, 'a.npy'), '--engine', 'golden'];
    const kn = lbamac(...base, '--b', join(EXAMPLE, 'b.json'));
    const nkNpy = lbamac(...base, '--b', join(dir, 'w.npy'), '--b-layout', 'nk');
    const nkJson = lbamac(...base, '--b', join(dir, 'w.json'), '--b-layout', 'nk');
    expect([kn.status, nkNpy.status, nkJson.status], nkNpy.stderr + nkJson.stderr).to.deep.equal([0, 0, 0]);
    expect(JSON.parse(nkNpy.stdout).D).to.deep.equal(JSON.parse(kn.stdout).D);
    expect(nkJson.stdout).to.equal(nkNpy.stdout);
    // The square case is the dangerous one: the wrong layout still chains, and only the product is wrong.
    const square = transpose(exampleB.slice(0, 4));
    const sq = fixture({ 'a.json': exampleA.map((row) => row.slice(0, 4)), 'w.json': square, 'b.json': transpose(square) });
    const sqArgs = ['gemm', '--config', join(EXAMPLE, 'config.json'), '--a', join(sq, 'a.json')];
    const sqNk = lbamac(...sqArgs, '--b', join(sq, 'w.json'), '--b-layout', 'nk');
    const sqKn = lbamac(...sqArgs, '--b', join(sq, 'b.json'));
    expect(JSON.parse(sqNk.stdout).D).to.deep.equal(JSON.parse(sqKn.stdout).D);
  });

  it('--prune 2:4 prunes a dense B by magnitude on a 2:4 array: the D of the pruned B, and stderr says how many weights it zeroed', () => {
    // Reference recipe: per column and aligned group of 4 along K, keep the 2 largest |w| (ties: the lower row).
    const pruned = exampleB.map((row) => [...row]);
    let zeroed = 0;
    let nonzeros = 0;
    for (let j = 0; j < 4; j++) {
      for (let g = 0; g < exampleB.length; g += 4) {
        const rows = [g, g + 1, g + 2, g + 3].filter((k) => exampleB[k]![j] !== 0);
        nonzeros += rows.length;
        const byMagnitude = [...rows].sort((k, l) => Math.abs(exampleB[l]![j]!) - Math.abs(exampleB[k]![j]!) || k - l);
        for (const k of byMagnitude.slice(2)) pruned[k]![j] = 0;
        zeroed += Math.max(0, rows.length - 2);
      }
    }
    expect(zeroed).to.be.greaterThan(0);
    const dir = fixture({ 'pruned.json': pruned, 'b.npy': npy('float32', exampleB) });
    const base = ['gemm', '--config', join(ROOT, 'examples', 'sparse-2-4', 'config.json'), '--a', join(EXAMPLE, 'a.json')];
    const refused = lbamac(...base, '--b', join(dir, 'b.npy'));
    expect(refused.status).to.equal(1);
    expect(refused.stderr).to.match(/b\.npy: 2:4 sparsity violated in column 0, group 0 .*\(--prune 2:4 keeps the 2 largest\)\n$/);
    const byHand = lbamac(...base, '--b', join(dir, 'pruned.json'));
    const byPrune = lbamac(...base, '--b', join(dir, 'b.npy'), '--prune', '2:4');
    expect([byHand.status, byPrune.status], byPrune.stderr).to.deep.equal([0, 0]);
    expect(byPrune.stdout).to.equal(byHand.stdout);
    expect(byPrune.stderr).to.equal(
      `lbamac: --prune 2:4 zeroed ${zeroed} of the ${nonzeros} nonzero weights of B (${join(dir, 'b.npy')}), the smallest in magnitude of each aligned group of 4 along K\n`,
    );
  });

  it('--prune 2:4 on a dense array is refused: nothing would be skipped', () => {
    const r = lbamac('gemm', '--config', join(EXAMPLE, 'config.json'), '--a', join(EXAMPLE, 'a.json'), '--b', join(EXAMPLE, 'b.json'), '--prune', '2:4');
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/^lbamac: --prune 2:4 prunes B for a 2:4 sparse array, but \S*config\.json configures a dense one; add "sparsity": "2:4" to the config/);
  });

  it('--out D.npy writes the codes of D, --values V.npy its float64 values; the JSON stays on stdout', () => {
    const dir = fixture({ 'cfg.json': CONFIG, 'a.json': A, 'b.json': B, 'c.json': [['0x3c00', 'nan'], [-1, '-inf']] });
    const out = join(dir, 'out', 'd.npy');
    const values = join(dir, 'out', 'd-values.npy');
    const r = lbamac('gemm', '--config', join(dir, 'cfg.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json'), '--c', join(dir, 'c.json'), '--out', out, '--values', values);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.equal(`wrote ${out}\nwrote ${values}\n`);
    const json = JSON.parse(r.stdout);
    expect(json.D).to.deep.equal([
      ['0x4300', '0x7e00'],
      ['0x4480', '0xfc00'],
    ]);
    expect(filesIn(join(dir, 'out'))).to.deep.equal(['d-values.npy', 'd.npy']);
    const codes = parseNpy(readFileSync(out), out);
    expect([codes.dtype, codes.shape, Array.from(codes.data)]).to.deep.equal(['uint16', [2, 2], [0x4300, 0x7e00, 0x4480, 0xfc00]]);
    const v = parseNpy(readFileSync(values), values);
    expect([v.dtype, v.shape]).to.deep.equal(['float64', [2, 2]]);
    expect(Array.from(v.data).map(String)).to.deep.equal(['3.5', 'NaN', '4.5', '-Infinity']);
  });

  it('--out D.json with --values V.npy: the JSON in its file, and stdout says what was written', () => {
    const dir = fixture({ 'cfg.json': CONFIG, 'a.json': A, 'b.json': B });
    const [out, values] = [join(dir, 'd.json'), join(dir, 'v.npy')];
    const r = lbamac('gemm', '--config', join(dir, 'cfg.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json'), '--out', out, '--values', values);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal(`wrote ${out}\nwrote ${values}\n`);
    expect(Array.from(parseNpy(readFileSync(values), values).data)).to.deep.equal((readJson(out) as { values: number[][] }).values.flat());
  });
});

describe('cli: gemm .npy input and output errors', function () {
  this.timeout(30_000);
  const truncated = npy('float32', A).subarray(0, 130);
  /** The file of `m` as float64, its descr replaced. */
  const withDescr = (m: number[][], descr: string) => {
    const bytes = Buffer.from(npy('float64', m));
    bytes.write(descr, bytes.indexOf("'<f8'"), 'latin1');
    return bytes;
  };
  const cases: { name: string; files: Record<string, unknown>; extra?: string[]; expected: RegExp }[] = [
    { name: 'a truncated A', files: { 'a.npy': truncated }, expected: /a\.npy: the \.npy file is truncated: shape \(2, 2\) of '<f4' needs 16 bytes of data, the file has 2\n$/ },
    { name: 'a big-endian B', files: { 'b.npy': withDescr(B, "'>f8'") }, expected: /b\.npy: the array is big-endian \('>f8'\); save a little-endian copy/ },
    { name: 'a .npy file that is not one', files: { 'a.npy': '[[1, 2], [3, 4]]' }, expected: /a\.npy: not a \.npy file/ },
    { name: 'a 1-D A', files: { 'a.npy': encodeNpy({ dtype: 'float32', shape: [2], data: [1, 2] }) }, expected: /a\.npy: expected a 2-D array \(a matrix\); got shape \(2,\)/ },
    { name: 'a code too wide for the format', files: { 'b.npy': npy('uint16', [[1, 2], [0x100, 4]]) }, expected: /b\.npy at \[1\]\[0\]: bit pattern 256 \(0x100\) does not fit e4m3 \(8 bits\); allowed 0 to 255/ },
    { name: 'an int64 array', files: { 'a.npy': withDescr(A, "'<i8'") }, expected: /a\.npy: dtype '<i8' \(int64\) is not supported; allowed: float16/ },
    { name: '--values without .npy', files: {}, extra: ['--values', 'v.json'], expected: /^lbamac: --values v\.json: expected a file name ending in \.npy/ },
    { name: '--out and --values naming one file', files: {}, extra: ['--out', 'd.npy', '--values', './d.npy'], expected: /^lbamac: --out and --values name the same file, d\.npy/ },
    { name: 'an unknown --b-layout', files: {}, extra: ['--b-layout', 'km'], expected: /^lbamac: --b-layout km: expected one of kn, nk\n$/ },
  ];
  for (const { name, files, extra, expected } of cases) {
    it(name, () => {
      const all = { 'cfg.json': CONFIG, 'a.npy': npy('float32', A), 'b.npy': npy('float64', B), ...files };
      const dir = fixture(all);
      const args = ['gemm', '--config', join(dir, 'cfg.json'), '--a', join(dir, 'a.npy'), '--b', join(dir, 'b.npy'), ...(extra ?? ['--out', join(dir, 'out', 'd.npy')])];
      const r = lbamac(...args);
      expect(r.status, r.stderr).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr).not.to.match(/\n\s+at /);
      expect(r.stderr.split('\n')).to.have.length(2); // one line
      expect(r.stderr).to.match(expected);
      expect(existsSync(join(dir, 'out'))).to.equal(false);
    });
  }
});
