// The generated units under Verilator against core/arith.ts, bit for bit (result code and the
// EV_* flags), and against Berkeley TestFloat. Every unit goes into one Verilator build (cached in
// out/verilator/ by a hash of the Verilog and the harness), and all cases run in one harness call.
import { expect } from 'chai';
import { EV_INEXACT, EV_INVALID, EV_OVERFLOW, isNaNCode } from '../../core/arith.js';
import type { Format } from '../../core/format.js';
import { loadTestFloat, TF_INEXACT, TF_INVALID, TF_OVERFLOW } from '../../golden/testfloat.js';
import { buildHarness, CaseBatch, type HarnessBuild, runHarness } from '../../testbenches/verilator.js';
import {
  arity as unitArity,
  type CaseSource,
  COSIM_COMBOS,
  comboUnits,
  describeUnit,
  fixedUnits,
  inputFormats,
  moduleFor,
  randomCase,
  randomCombos,
  reference,
  rng,
  type UnitSpec,
} from './units.js';

interface Job {
  label: string;
  unit: UnitSpec;
  arity: number;
  /** Operands, `arity` words per case. */
  ops: Uint32Array;
  count: number;
  /** TestFloat's expected result and IEEE flags, two words per case. */
  testFloat?: Uint32Array;
  /** Index of the job's first case in the harness batch. */
  first: number;
}

function makeJob(unit: UnitSpec, src: CaseSource): Job {
  const fs = inputFormats(unit);
  const arity = unitArity(unit);
  const job = (label: string, ops: Uint32Array, testFloat?: Uint32Array): Job => ({ label, unit, arity, ops, count: ops.length / arity, testFloat, first: -1 });
  if (src.kind === 'exhaustive') {
    const [wa, wb] = [fs[0]!.width, fs[1]!.width];
    const ops = new Uint32Array(2 * 2 ** (wa + wb));
    let k = 0;
    for (let a = 0; a < 2 ** wa; a++) {
      for (let b = 0; b < 2 ** wb; b++) {
        ops[k++] = a;
        ops[k++] = b;
      }
    }
    return job('exhaustive', ops);
  }
  if (src.kind === 'random') {
    const r = rng(src.seed);
    const ops = new Uint32Array(src.count * arity);
    for (let i = 0; i < src.count; i++) ops.set(randomCase(unit, r), i * arity);
    return job('random', ops);
  }
  if (unit.mode === 'rsr') throw new Error('internal: TestFloat has no stochastic rounding');
  const tf = loadTestFloat(src.type, src.op, unit.mode);
  const stride = tf.arity + 2;
  const ops = new Uint32Array(tf.count * arity);
  const expected = new Uint32Array(tf.count * 2);
  for (let i = 0; i < tf.count; i++) {
    ops.set(tf.cases.subarray(i * stride, i * stride + arity), i * arity);
    expected.set(tf.cases.subarray(i * stride + arity, (i + 1) * stride), i * 2);
  }
  return job(`TestFloat ${src.type}_${src.op}`, ops, expected);
}

function jobs(): Job[] {
  const list: Job[] = [];
  for (const { unit, cases } of fixedUnits()) for (const src of cases) list.push(makeJob(unit, src));
  randomCombos(COSIM_COMBOS.seed, COSIM_COMBOS.count).forEach((c, i) => {
    const [mul, add, fma] = comboUnits(c) as [UnitSpec, UnitSpec, UnitSpec];
    const small = c.a.width + c.b.width <= 16;
    list.push(makeJob(mul, small ? { kind: 'exhaustive' } : { kind: 'random', count: 30_000, seed: 100 + i }));
    list.push(makeJob(add, { kind: 'random', count: 30_000, seed: 200 + i }));
    list.push(makeJob(fma, { kind: 'random', count: 30_000, seed: 300 + i }));
  });
  return list;
}

function hex(code: number, f: Format): string {
  return code.toString(16).padStart(Math.ceil(f.width / 4), '0');
}

function coreFlagsAsIeee(flags: number): number {
  return (flags & EV_INEXACT ? TF_INEXACT : 0) | (flags & EV_OVERFLOW ? TF_OVERFLOW : 0) | (flags & EV_INVALID ? TF_INVALID : 0);
}

describe('rtl-gen: Verilated units vs core/arith.ts, bit for bit', function () {
  this.timeout(900_000);
  let all: Job[] = [];
  let build: HarnessBuild;
  let out: Uint32Array;
  // Test titles need the job list before the hook runs; building it takes a second or two.
  all = jobs();

  before(function () {
    // Several jobs may share a unit: one harness slot per distinct module.
    const slotByName = new Map<string, number>();
    const slots: ReturnType<typeof moduleFor>[] = [];
    const slotOf = all.map((j) => {
      const m = moduleFor(j.unit);
      if (!slotByName.has(m.name)) {
        slotByName.set(m.name, slots.length);
        slots.push(m);
      }
      return slotByName.get(m.name)!;
    });
    build = buildHarness(slots);
    console.log(`      Verilator harness: ${slots.length} units, ${build.built ? `built in ${build.seconds.toFixed(1)} s` : `cached (${build.dir})`}`);
    const total = all.reduce((n, j) => n + j.count, 0);
    const batch = new CaseBatch(build.inWords, total);
    const operands: number[] = [];
    all.forEach((j, k) => {
      j.first = batch.count;
      for (let i = 0; i < j.count; i++) {
        operands.length = 0;
        for (let a = 0; a < j.arity; a++) operands.push(j.ops[i * j.arity + a]!);
        batch.push(slotOf[k]!, ...operands);
      }
    });
    const t0 = performance.now();
    out = runHarness(build, batch);
    console.log(`      ${total} cases through the harness in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });

  for (const job of all) {
    it(`${describeUnit(job.unit)}: ${job.label}, ${job.count} cases`, () => {
      const u = job.unit;
      const fs = inputFormats(u);
      const fails: string[] = [];
      let failCount = 0;
      const ops: number[] = [];
      for (let i = 0; i < job.count; i++) {
        ops.length = 0;
        for (let a = 0; a < job.arity; a++) ops.push(job.ops[i * job.arity + a]!);
        const at = (job.first + i) * build.outWords;
        const got = out[at]!;
        const gotFlags = out[at + 1]!;
        const [want, wantFlags] = reference(u, ops);
        let ok = got === want && gotFlags === wantFlags;
        let note = '';
        if (ok && job.testFloat) {
          // Against TestFloat itself too: any NaN matches any NaN; NaN operands (signaling in
          // IEEE) skip the flag check, as in test/core/testfloat.test.ts.
          const tfWant = job.testFloat[2 * i]!;
          const tfFlags = job.testFloat[2 * i + 1]!;
          const sameResult = got === tfWant || (isNaNCode(tfWant, u.out) && isNaNCode(got, u.out));
          const nanOperand = fs.some((f, k) => isNaNCode(ops[k]!, f));
          if (!sameResult || (!nanOperand && coreFlagsAsIeee(gotFlags) !== (tfFlags & (TF_INEXACT | TF_OVERFLOW | TF_INVALID)))) {
            ok = false;
            note = ` (TestFloat: ${hex(tfWant, u.out)} flags ${tfFlags})`;
          }
        }
        if (!ok) {
          failCount++;
          if (fails.length < 12) {
            fails.push(`${ops.map((x, k) => (k < fs.length ? hex(x, fs[k]!) : `draw ${x}`)).join(' ')} -> rtl ${hex(got, u.out)} flags ${gotFlags}, core ${hex(want, u.out)} flags ${wantFlags}${note}`);
          }
        }
      }
      expect(failCount, `${failCount} of ${job.count} cases differ:\n${fails.join('\n')}`).to.equal(0);
    });
  }
});
