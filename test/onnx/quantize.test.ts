// The quantization policy of ONNX workloads (onnx/quantize.ts) and the array backend that runs
// the quantized GEMMs bit-exactly as the sweeps do.
import { expect } from 'chai';
import { fromFloat64, RNE, roundingCode, toFloat64 } from '../../core/arith.js';
import { coreGemm } from '../../core/gemm.js';
import { outputFormat, resolveConfig } from '../../config/resolve.js';
import { ArrayBackend } from '../../onnx/array-backend.js';
import { encodeModel } from '../../onnx/builder.js';
import { loadProgram } from '../../onnx/interpreter.js';
import { calibrate, FormatQuantizer, policyLog2Scale } from '../../onnx/quantize.js';
import { tensor } from '../../onnx/tensor.js';
import { Rng } from '../../workloads/rng.js';
import { maxAbs, maxDiff, randn, slice, smallCnn } from './support.js';

const cfg = resolveConfig({ a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'e5m7', rounding: { input: 'rne', acc: 'rne' } });

describe('onnx quantization policy', () => {
  it('none keeps the scale at 1; pow2-max puts the largest magnitude in [1, 2)', () => {
    expect(policyLog2Scale('none', 300)).to.equal(0);
    for (const [max, s] of [[1, 0], [1.5, 0], [1.9999, 0], [2, -1], [448, -8], [0.3, 2], [2 ** -20, 20], [0, 0]] as const) expect(policyLog2Scale('pow2-max', max), `max ${max}`).to.equal(s);
    const rng = new Rng(3);
    for (let i = 0; i < 200; i++) {
      const max = Math.exp(rng.normal() * 30);
      const scaled = max * 2 ** policyLog2Scale('pow2-max', max);
      expect(scaled).to.be.at.least(1).and.below(2);
    }
  });

  it('rounds x · 2^s into the format with the input rounding, per role', () => {
    const e5m2 = resolveConfig({ a: 'e5m2', w: 'e5m2', product: 'exact', acc: 'fp32' }).w;
    const x = Float64Array.of(0.01, -0.3, 0.1234, 0.02);
    for (const rounding of ['rne', 'rtz'] as const) {
      const q = new FormatQuantizer({ a: cfg.a, w: e5m2, rounding, scale: 'pow2-max' });
      for (const role of ['a', 'w'] as const) {
        const format = role === 'a' ? cfg.a : e5m2;
        const op = q.operand(role, `t_${role}`, x);
        expect(op.log2Scale).to.equal(2); // 0.3 · 4 = 1.2
        expect(Array.from(op.values)).to.deep.equal(Array.from(x, (v) => toFloat64(fromFloat64(v * 4, format, roundingCode(rounding)), format)));
      }
    }
  });

  it('with scale none, values beyond the format saturate and are counted', () => {
    const q = new FormatQuantizer({ a: cfg.a, w: cfg.w, rounding: 'rne', scale: 'none' });
    const op = q.operand('a', 'x', Float64Array.of(1000, -0.5, 1e-9, 0.3));
    expect(op.log2Scale).to.equal(0);
    expect(op.values[0]).to.equal(448); // e4m3 saturates
    expect(q.conversions.get('x')).to.deep.equal({ values: 4, overflow: 1, underflow: 1, inexact: 1 });
  });

  it('scales an activation by its calibrated maximum, a weight by its own', () => {
    const x = Float64Array.of(0.5, -0.25);
    const q = new FormatQuantizer({ a: cfg.a, w: cfg.w, rounding: 'rne', scale: 'pow2-max', calibration: new Map([['x', 3]]) });
    expect(q.operand('a', 'x', x).log2Scale).to.equal(-1);
    expect(q.operand('w', 'x', x).log2Scale).to.equal(1);
    expect(q.operand('a', 'other', x).log2Scale).to.equal(1);
  });

  it('converts a constant tensor once (a weight on every batch) and counts it once; a shared quantizer does it for many', () => {
    const setup = { a: cfg.a, w: cfg.w, rounding: 'rne' as const, scale: 'pow2-max' as const };
    const q = new FormatQuantizer(setup);
    const w = Float64Array.of(0.1, 0.2, 0.3);
    const first = q.operand('w', 'W', w, true);
    expect(q.operand('w', 'W', w, true)).to.equal(first);
    expect(q.conversions.get('W')!.values).to.equal(3);
    q.operand('a', 'x', Float64Array.of(1));
    q.operand('a', 'x', Float64Array.of(2));
    expect(q.conversions.get('x')!.values).to.equal(2);
    expect(q.totals).to.deep.equal({ a: { values: 2, overflow: 0, underflow: 0, inexact: 0 }, w: { values: 3, overflow: 0, underflow: 0, inexact: 3 } });
    const point = new FormatQuantizer(setup, q);
    expect(point.operand('w', 'W', w, true)).to.equal(first);
    point.operand('a', 'x', Float64Array.of(3));
    expect(point.totals.w.values).to.equal(0);
    expect(point.totals.a.values).to.equal(1);
    expect(q.totals.w.values).to.equal(3);
  });
});

describe('onnx array backend', () => {
  it('equals coreGemm (gemm --engine core) on values of the formats', () => {
    const rng = new Rng(5);
    const configs = [cfg, resolveConfig({ a: 'e5m2', w: 'e4m3', product: 'e4m7', acc: 'e4m7_b10_ftz', chunk: 8, total: 'fp16', rounding: { acc: 'rtz', product: 'rtz' } })];
    for (const c of configs) {
      const [M, K, N] = [5, 37, 4];
      const values = (n: number, f: typeof c.a) => Float64Array.from({ length: n }, () => toFloat64(fromFloat64(rng.normal() * 2 ** (rng.int(8) - 4), f, RNE), f));
      const A = values(M * K, c.a);
      const B = values(K * N, c.w);
      const codes = (x: Float64Array, rows: number, cols: number, f: typeof c.a) => Array.from({ length: rows }, (_, i) => Array.from(x.subarray(i * cols, (i + 1) * cols), (v) => fromFloat64(v, f, RNE)));
      const ref = coreGemm(c, codes(A, M, K, c.a), codes(B, K, N, c.w));
      const backend = new ArrayBackend(c);
      const D = backend.gemm(A, B, M, K, N, 'node');
      expect(Array.from(D)).to.deep.equal(ref.D.flat().map((code) => toFloat64(code, outputFormat(c))));
      expect(backend.perNode.get('node')!.events).to.deep.equal(ref.events);
    }
  });

  it('codes zeros, NaN and the extremes by its lookup table as rounding them in would: equal to coreGemm on them', () => {
    const A = Float64Array.of(-0, 0, 448, -448, 2 ** -9, NaN, 1.125, -0.0390625);
    const B = Float64Array.of(1, -0.5, 0.25, 2, -0, 0.5, 1.5, 3);
    const codes = (x: Float64Array, rows: number) => Array.from({ length: rows }, (_, i) => Array.from(x.subarray(i * (x.length / rows), (i + 1) * (x.length / rows)), (v) => fromFloat64(v, cfg.a, RNE)));
    const ref = coreGemm(cfg, codes(A, 1), codes(B, 8));
    const backend = new ArrayBackend(cfg);
    expect(Array.from(backend.gemm(A, B, 1, 8, 1, 'n'))).to.deep.equal(ref.D.flat().map((code) => toFloat64(code, outputFormat(cfg))));
    expect(backend.perNode.get('n')!.events).to.deep.equal(ref.events);
  });

  it('refuses values the format does not hold', () => {
    expect(() => new ArrayBackend(cfg).gemm(Float64Array.of(0.1), Float64Array.of(1), 1, 1, 1, 'n')).to.throw('not a value of');
    expect(() => new ArrayBackend(cfg).gemm(Float64Array.of(1 + 2 ** -40), Float64Array.of(1), 1, 1, 1, 'n')).to.throw('not a value of'); // a bit in the low word
    expect(() => new ArrayBackend(cfg).gemm(Float64Array.of(512), Float64Array.of(1), 1, 1, 1, 'n')).to.throw('not a value of'); // beyond e4m3's 448
    expect(() => new ArrayBackend(cfg).gemm(Float64Array.of(Infinity), Float64Array.of(1), 1, 1, 1, 'n')).to.throw('not a value of'); // e4m3 has no inf
  });

  describe('a small CNN on the emulated array', () => {
    const rng = new Rng(99);
    const program = loadProgram(encodeModel(smallCnn(rng)));
    const x = randn(rng, [6, 1, 16, 16]);
    const calibration = calibrate(program, [{ x }]);

    it('calibrates the activations entering each GEMM', () => {
      expect([...calibration.keys()].sort()).to.deep.equal(['f', 'p1', 'r3', 'x']);
      expect(calibration.get('x')).to.equal(maxAbs(x.data));
    });

    it('stays near the float path with fp16 inputs and an fp32 accumulator', () => {
      const wide = resolveConfig({ a: 'fp16', w: 'fp16', product: 'exact', acc: 'fp32' });
      const out = program.run({ x }, { quantizer: new FormatQuantizer({ a: wide.a, w: wide.w, rounding: 'rne', scale: 'pow2-max', calibration }), backend: new ArrayBackend(wide) });
      const ref = program.run({ x });
      const logits = ref.get('logits')!.data;
      expect(maxDiff(out.get('logits')!.data, logits)).to.be.below(1e-2 * maxAbs(logits));
    });

    it('with calibrated scales, gives each image the same outputs alone as in a batch, and counts events per node', () => {
      const setup = { a: cfg.a, w: cfg.w, rounding: 'rne' as const, scale: 'pow2-max' as const, calibration };
      const backend = new ArrayBackend(cfg);
      const whole = program.run({ x }, { quantizer: new FormatQuantizer(setup), backend }).get('logits')!;
      const q = new FormatQuantizer(setup);
      const parts = [0, 1, 2, 3, 4, 5].map((i) => program.run({ x: slice(x, i, 1) }, { quantizer: q, backend: new ArrayBackend(cfg) }).get('logits')!);
      expect(tensor(whole.dims, Float64Array.from(parts.flatMap((t) => Array.from(t.data))))).to.deep.equal(whole);
      expect([...backend.perNode.keys()]).to.deep.equal(['conv1', 'conv2', 'fc1', 'fc2']);
      expect(backend.terms).to.be.greaterThan(0);
    });
  });
});
