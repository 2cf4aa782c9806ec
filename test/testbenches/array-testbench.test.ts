// The self-checking Verilog testbench of a generated array top under Icarus: the simulator's
// trace of a job passes on both dataflows, and a corrupted expectation is reported with its
// cycle, port, PE and both values.
import { expect } from 'chai';
import { join } from 'node:path';
import { resolveConfig } from '../../config/resolve.js';
import { generateRtl } from '../../rtl-gen/generate.js';
import { arrayTestbench, runArrayIcarus } from '../../testbenches/array-testbench.js';
import { randomJobs } from '../../cosim/random-job.js';
import { traceJob } from '../../cosim/trace.js';
import { tempDir } from '../support/tmp.js';

const CONFIGS = {
  'OS, chunked, pipelined': { rows: 3, cols: 2, dataflow: 'os', a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: { exp: 4, man: 7, bias: 10 }, chunk: 2, total: 'fp16', pipeline: { stages: 1 }, rounding: { product: 'rtz', acc: 'rtz', total: 'rne' } },
  'WS, 2:4, fused': { rows: 2, cols: 3, dataflow: 'ws', a: 'e5m2', w: 'e4m3', product: 'exact', acc: 'e5m7', sparsity: '2:4', rounding: { acc: 'rna' } },
} as const;

describe('testbenches: array testbench under Icarus', function () {
  this.timeout(300_000);
  const dir = tempDir('array-tb');

  it('declares every port and reads both hex files', () => {
    const rtl = generateRtl(resolveConfig(CONFIGS['OS, chunked, pipelined']));
    const tb = arrayTestbench(rtl, 17);
    expect(tb).to.include('$readmemh("stimulus.hex", stimulus);').and.include('$readmemh("expected.hex", expected);');
    for (const p of rtl.arch.ports) expect(tb).to.include(`.${p.name}(${p.name})`);
    expect(tb).to.include('{a_valid, a_data, a_close, b_valid, b_data, c_shift, c_drain, c_data} = stimulus[x];');
  });

  for (const [name, raw] of Object.entries(CONFIGS)) {
    it(`${name}: the simulator's trace passes`, () => {
      const cfg = resolveConfig(raw);
      const rtl = generateRtl(cfg);
      for (const [k, job] of randomJobs(cfg, 3, 11).entries()) {
        const t = traceJob(rtl.arch, job);
        const res = runArrayIcarus(rtl, t, join(dir, `${name.replace(/\W+/g, '-')}-${k}`));
        expect(res.cycles).to.equal(t.cycles);
        expect(res.mismatches, res.log).to.equal(0);
      }
    });
  }

  it('a wrong expected value is reported with its cycle, port and PE', () => {
    const cfg = resolveConfig(CONFIGS['WS, 2:4, fused']);
    const rtl = generateRtl(cfg);
    const t = traceJob(rtl.arch, randomJobs(cfg, 1, 12)[0]!);
    // d_acc[2] (bits 2*13.. of the d_acc words) in the last cycle: flip its lowest bit.
    const k = t.outputs.ports.findIndex((p) => p.name === 'd_acc');
    const bit = 2 * t.outputs.ports[k]!.elemWidth;
    const expected = Uint32Array.from(t.expected);
    const x = t.cycles - 1;
    expected[x * t.outputs.stride + t.outputs.offsets[k]! + (bit >>> 5)]! ^= 1 << (bit & 31);
    const res = runArrayIcarus(rtl, { ...t, expected }, join(dir, 'wrong'));
    expect(res.mismatches).to.equal(1);
    expect(res.first).to.have.length(1);
    expect(res.first[0]!.text).to.match(new RegExp(`^cycle ${x}: d_acc\\[2\\] \\(column 2, from PE\\(1, 2\\)\\): RTL 0x[0-9a-f]+ \\(.+\\), simulator 0x[0-9a-f]+ \\(.+\\)$`));
  });
});
