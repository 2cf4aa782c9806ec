// The array harness generator: the wrapper and C++ main for several tops (ports of every width
// class), renaming of tops that share a name, sharing of identical submodules.
import { expect } from 'chai';
import { resolveConfig } from '../../config/resolve.js';
import { generateRtl } from '../../rtl-gen/generate.js';
import { arrayHarnessCpp, arrayWrapper, harnessSources, harnessSpec, topNames } from '../../cosim/array-harness.js';

const SPARSE = { rows: 4, cols: 2, dataflow: 'os', a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: 'fp16', sparsity: '2:4' } as const;
const DENSE = { rows: 2, cols: 3, dataflow: 'ws', a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: 'fp16', chunk: 2 } as const;

describe('cosim: array harness generator', () => {
  const sparse = generateRtl(resolveConfig(SPARSE));
  const dense = generateRtl(resolveConfig(DENSE));

  it('moves ports of every width class between the model and the trace words', () => {
    const cpp = arrayHarnessCpp([sparse]);
    // a_data: 4 rows x 4 lanes x 8 bits = 128 bits, a VlWide of 4 words (offset after a_valid).
    expect(cpp).to.include('top.t0_a_data[0] = w[1];').and.include('top.t0_a_data[3] = w[4] & 0xffffffffu;');
    // d_data: 2 x 16 bits = 32 bits, one word; c_data likewise; b_idx: 4 bits.
    expect(cpp).to.include('w[0] = top.t0_d_valid;').and.include('w[1] = top.t0_d_data;');
    expect(cpp).to.include('top.t0_b_idx = w[7] & 0xfu;');
    expect(cpp).to.match(/static const unsigned kInWords\[kTops\] = \{11\};/);
    const wide = arrayHarnessCpp([generateRtl(resolveConfig({ ...DENSE, cols: 3, acc: 'e8m23' }))]);
    // d_acc: 3 x 32 bits = 96 bits; s_acc as well; d_total 3 x 32.
    expect(wide).to.include('w[3] = top.t0_d_acc[2];');
    const q = arrayHarnessCpp([generateRtl(resolveConfig({ ...DENSE, cols: 3 }))]);
    // s_acc: 3 x 16 = 48 bits, a QData from two words.
    expect(q).to.match(/top\.t0_s_acc = static_cast<QData>\(w\[\d+\]\) \| \(static_cast<QData>\(w\[\d+\] & 0xffffu\) << 32\);/);
  });

  it('renames tops that share a name and shares identical submodules', () => {
    expect(topNames([sparse, sparse])).to.deep.equal(['lbamac_array', 'lbamac_array']);
    expect(topNames([sparse, dense])).to.deep.equal(['lbamac_array_t0', 'lbamac_array_t1']);
    const files = harnessSources([sparse, dense]);
    const paths = files.map((f) => f.path);
    expect(paths).to.include('lbamac_array_t0.v').and.include('lbamac_array_t1.v').and.not.include('lbamac_array.v');
    expect(new Set(paths).size).to.equal(paths.length);
    expect(files.find((f) => f.path === 'lbamac_array_t1.v')!.text).to.match(/^module lbamac_array_t1 \(/m);
    const wrapper = arrayWrapper([sparse, dense]);
    expect(wrapper).to.include('lbamac_array_t0 t0 (.clk(clk), .rst(rst), .a_valid(t0_a_valid)');
    expect(wrapper).to.include('output wire [47:0]    t1_d_acc');
    // Quick C++ for tests (a unity build: the headers parsed twice, not per file), the fastest for the benchmark.
    expect(harnessSpec([sparse, dense], 'test')).to.include({ cxxOpt: '-O0', unity: true });
    expect(harnessSpec([sparse], 'bench')).to.include({ cxxOpt: '-O3' }).and.not.have.property('unity');
  });

  it('refuses two different modules of the same name', () => {
    const broken = { ...dense, files: dense.files.map((f) => (f.path === `${dense.pe}.v` ? { ...f, text: f.text.replace('endmodule', 'wire spare;\nendmodule') } : f)) };
    expect(() => harnessSources([dense, broken])).to.throw(`two designs have different ${dense.pe}.v`);
  });
});
