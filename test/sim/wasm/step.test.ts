// The step compiled to WebAssembly (sim/wasm/) against the JavaScript step (sim/step-js.ts), on the
// random configurations of test/sim/random.test.ts: every output port and every register of every
// PE in every cycle, and the result (D, events per output and per PE, cycles). The random test
// itself runs the default (WebAssembly where it applies) against coreGemm and goldenGemm.
import { expect } from 'chai';
import { buildArch } from '../../../arch/build.js';
import { resolveConfig } from '../../../config/resolve.js';
import { setStepBackend, stepWat } from '../../../sim/compile.js';
import { simulate } from '../../../sim/simulate.js';
import { randomJob } from '../../../sim/stimulus.js';
import { describeCase, type RandomCase, randomCase, Rng } from '../support.js';

const CASES = 150;

/** Every port and register value of a run, cycle by cycle, with the result. */
function run(c: Pick<RandomCase, 'cfg' | 'A' | 'B' | 'C'>): { trace: number[]; result: unknown } {
  const arch = buildArch(c.cfg);
  const trace: number[] = [];
  const result = simulate(arch, c.C ? { A: c.A, B: c.B, C: c.C } : { A: c.A, B: c.B }, {
    onCycle: (x, ports, read) => {
      trace.push(x);
      for (const name of Object.keys(ports).sort()) trace.push(...ports[name]!);
      for (const r of arch.pe.registers) for (let i = 0; i < arch.rows; i++) for (let j = 0; j < arch.cols; j++) for (let l = 0; l < r.lanes; l++) trace.push(read(r.name, i, j, l));
    },
  });
  return { trace, result };
}

describe('sim/wasm: the WebAssembly step against the JavaScript step', function () {
  this.timeout(300_000);
  after(() => setStepBackend('wasm'));

  it(`${CASES} random configurations: the same ports and registers every cycle, the same result`, () => {
    let compiled = 0;
    let calls = 0;
    let tables = 0;
    for (let n = 0; n < CASES; n++) {
      const c = randomCase(0x5eed0000 + n);
      const wat = stepWat(buildArch(c.cfg));
      if (wat === null) continue;
      compiled++;
      if (wat.includes('(call $U_')) calls++;
      if (wat.includes('i32.load8_u')) tables++;
      setStepBackend('js');
      const js = run(c);
      setStepBackend('wasm');
      const wasm = run(c);
      const at = js.trace.findIndex((x, i) => wasm.trace[i] !== x);
      if (at >= 0 || js.trace.length !== wasm.trace.length) expect.fail(`traces differ at entry ${at} of ${js.trace.length}; ${describeCase(c)}`);
      expect(wasm.result, describeCase(c)).to.deep.equal(js.result);
    }
    // Configurations with sticky flags or registers over 32 bits stay JavaScript; the others
    // compile, most of them calling some unit out (their sums leave float64's exact range).
    expect(compiled).to.be.greaterThan(CASES / 2);
    expect(calls).to.be.greaterThan(CASES / 4);
    expect(tables).to.be.greaterThan(10);
  });

  // The kernel inside the module (core/mac.ts's exact-sum path) under every rounding mode, at the
  // stage counts that fuse it, split it and cut its adder, with codes over the whole range: the
  // slow path (overflow, underflow, NaN), swamping and the product events all occur.
  const modes = ['rne', 'rna', 'rtz', 'rdn', 'rup', 'rod'] as const;
  it(`the inlined kernel: ${modes.length} modes × 0..2 stages × OS/WS × dense/2:4, every cycle`, () => {
    let n = 0;
    for (const acc of modes) {
      for (const stages of [0, 1, 2]) {
        for (const dataflow of ['os', 'ws']) {
          for (const sparsity of ['dense', '2:4']) {
            const cfg = { rows: 3, cols: 4, dataflow, sparsity, a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: n % 2 ? 'e4m7_b10' : 'e5m7', rounding: { product: modes[n % 6]!, acc }, pipeline: { stages } };
            const arch = buildArch(resolveConfig(cfg));
            expect(stepWat(arch), JSON.stringify(cfg)).to.contain('(call $Kslow ');
            const job = randomJob(arch, { M: 5, K: 24, N: 6 }, n);
            // Any code where the job has a nonzero (2:4 keeps its zeros): overflows, NaNs, subnormals.
            const rng = new Rng(n);
            for (const m of [job.A, job.B]) for (const row of m) row.forEach((x, i) => (row[i] = x === 0 ? 0 : rng.bool(0.6) ? rng.int(0, 255) : x));
            const c = { seed: n, raw: cfg, cfg: resolveConfig(cfg), ...job };
            setStepBackend('js');
            const js = run(c);
            setStepBackend('wasm');
            const wasm = run(c);
            const at = js.trace.findIndex((x, i) => wasm.trace[i] !== x);
            if (at >= 0 || js.trace.length !== wasm.trace.length) expect.fail(`traces differ at entry ${at} of ${js.trace.length}; ${JSON.stringify(cfg)}`);
            expect(wasm.result, JSON.stringify(cfg)).to.deep.equal(js.result);
            n++;
          }
        }
      }
    }
  });

  for (const stages of [0, 2]) {
    it(`the benchmark's array at ${stages} stages: the kernel and the multipliers' tables inside the module`, () => {
      const arch = buildArch(resolveConfig({ rows: 8, cols: 8, dataflow: 'os', a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: 'e4m7_b10', rounding: { product: 'rtz', acc: 'rtz' }, pipeline: { stages } }));
      const wat = stepWat(arch)!;
      expect(wat).to.contain('(call $Kslow ');
      // Only a product that counts an event calls its multiplier out.
      expect(wat.match(/\(call \$U_\w+/g) ?? []).to.deep.equal(stages === 2 ? ['(call $U_rounder', '(call $U_multiplier'] : []);
    });
  }

  it('sticky flags and registers over 32 bits stay JavaScript', () => {
    const base = { rows: 2, cols: 2, dataflow: 'os', a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: 'e4m7_b10' };
    expect(stepWat(buildArch(resolveConfig({ ...base, flags: true })))).to.equal(null);
    expect(stepWat(buildArch(resolveConfig({ ...base, product: 'exact', acc: { fixed: { msb: 29, lsb: -18 }, overflow: 'saturate', out: 'fp32' } })))).to.equal(null);
  });
});
