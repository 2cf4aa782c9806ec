import { expect } from 'chai';
import { resolveConfig } from '../../config/resolve.js';
import { configSummary } from '../../config/summary.js';
import { buildArch } from '../../arch/build.js';

describe('config/summary', () => {
  it('names shape, dataflow, sparsity and every step with its rounding in one line', () => {
    const chunked = resolveConfig({ rows: 3, cols: 2, dataflow: 'ws', sparsity: '2:4', a: 'e4m3', w: 'e4m3', product: 'fp16', acc: 'e4m7_b10', chunk: 2, rounding: { product: 'rtz', acc: 'rtz' }, pipeline: { stages: 1 } });
    expect(configSummary(chunked)).to.equal('3x2 weight-stationary, 2:4, a e4m3, w e4m3, product fp16 (rtz), acc e4m7_b10 (rtz), chunk 2 into e4m7_b10 (rtz), 1 pipeline stage');
    const fused = resolveConfig({ rows: 1, cols: 2, dataflow: 'os', a: 'e2m1', w: 'e2m1', product: 'exact', acc: 'e3m4', rounding: { acc: 'rtz' } });
    expect(configSummary(fused)).to.equal('1x2 output-stationary, dense, a e2m1, w e2m1, exact product, acc e3m4 (rtz)');
    const fixed = resolveConfig({ rows: 1, cols: 1, a: 'e4m3', w: 'e4m3', product: 'exact', acc: { fixed: { msb: 29, lsb: -18 }, overflow: 'wrap', out: 'fp16' } });
    expect(configSummary(fixed)).to.equal('1x1 output-stationary, dense, a e4m3, w e4m3, exact product, acc fixed(msb 29, lsb -18, wrap) into fp16 (rne)');
  });

  it('names a dot-product cell, from a config and from its arch (whose lanes count A values)', () => {
    const cell = resolveConfig({ rows: 2, cols: 2, sparsity: '2:4', a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'fp16', lanes: 4, alignBits: 12, chunk: 8 });
    const line = '2x2 output-stationary, 2:4, a e4m3, w e4m3, exact product, acc fp16 (rne), 4 lanes, alignBits 12, chunk 8 into fp16 (rne)';
    expect(configSummary(cell)).to.equal(line);
    const arch = buildArch(cell);
    expect(configSummary({ ...arch, ...arch.formats, total: arch.formats.total ?? arch.formats.acc })).to.equal(line);
  });
});
