// TestFloat's f16 mulAdd vectors, every rounding mode, through the fused cell of a generated
// 1×1 array (product "exact", fp16 a, w and accumulator) under Verilator: one build holds the
// six arrays, every vector streams through at one a cycle (testbenches/fma-stream.ts), and each
// result must equal core/arith.ts's fma bit for bit and TestFloat's result (any NaN for a NaN).
import { expect } from 'chai';
import { fma, isNaNCode, roundingCode } from '../../core/arith.js';
import { type RoundingMode, DETERMINISTIC_MODES } from '../../core/format.js';
import { resolveConfig } from '../../config/resolve.js';
import { loadTestFloat } from '../../golden/testfloat.js';
import { generateRtl } from '../../rtl-gen/generate.js';
import { buildArrayHarness, runArrayHarness } from '../../cosim/array-harness.js';
import { fmaStream, fmaStreamResults } from '../../testbenches/fma-stream.js';

/** Vectors per mode; every one of the file's (153k) unless LBAMAC_TESTFLOAT_LIMIT says fewer. */
const LIMIT = Number(process.env.LBAMAC_TESTFLOAT_LIMIT ?? Infinity);

function cellConfig(mode: RoundingMode) {
  return resolveConfig({ rows: 1, cols: 1, dataflow: 'ws', a: 'fp16', w: 'fp16', product: 'exact', acc: 'fp16', rounding: { acc: mode } });
}

describe('testbenches: TestFloat f16 mulAdd through a generated 1×1 fused cell (Verilator)', function () {
  this.timeout(600_000);
  const rtls = DETERMINISTIC_MODES.map((m) => generateRtl(cellConfig(m)));

  for (const [top, mode] of DETERMINISTIC_MODES.entries()) {
    it(`${mode}: every vector, bit for bit with the core and TestFloat`, () => {
      const build = buildArrayHarness(rtls);
      const cfg = cellConfig(mode);
      const tf = loadTestFloat('f16', 'mulAdd', mode, LIMIT);
      const cases = new Uint32Array(tf.count * 3);
      for (let i = 0; i < tf.count; i++) cases.set(tf.cases.subarray(i * 5, i * 5 + 3), i * 3);
      const arch = rtls[top]!.arch;
      const stream = fmaStream(arch, cases);
      const [run] = runArrayHarness(build, [{ top, stimulus: stream.stimulus }]);
      const got = fmaStreamResults(arch, stream, run!.outputs);
      const f = cfg.acc;
      const r = roundingCode(mode);
      const fails: string[] = [];
      let bad = 0;
      for (let i = 0; i < tf.count; i++) {
        const [a, b, c, want] = [cases[3 * i]!, cases[3 * i + 1]!, cases[3 * i + 2]!, tf.cases[i * 5 + 3]!];
        const core = fma(cfg.a, a, cfg.w, b, f, c, f, r);
        const ok = got[i] === core && (got[i] === want || (isNaNCode(want, f) && isNaNCode(got[i]!, f)));
        if (!ok && ++bad <= 10) fails.push(`${a.toString(16)} * ${b.toString(16)} + ${c.toString(16)}: RTL ${got[i]!.toString(16)}, core ${core.toString(16)}, TestFloat ${want.toString(16)}`);
      }
      console.log(`        ${tf.count} vectors in ${run!.cycles} cycles (${run!.seconds.toFixed(2)} s in the harness)${build.built ? `; build ${build.seconds.toFixed(1)} s` : ''}`);
      expect(tf.count).to.be.greaterThan(Math.min(LIMIT, 150_000) - 1);
      expect(bad, fails.join('\n')).to.equal(0);
    });
  }
});
