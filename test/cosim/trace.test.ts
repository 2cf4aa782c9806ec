// Port traces: packing elements into 32-bit words (across word boundaries), the $readmemh text,
// and a simulator trace that holds every signal port in every cycle.
import { expect } from 'chai';
import type { PortDesc } from '../../arch/types.js';
import { buildArch } from '../../arch/build.js';
import { resolveConfig } from '../../config/resolve.js';
import { packPort, signalPorts, traceHex, traceJob, traceLayout, unpackElement, wordsOf } from '../../cosim/trace.js';
import { Rng } from '../../workloads/rng.js';

function port(name: string, count: number, elemWidth: number): PortDesc {
  return { name, dir: 'in', kind: 'signal', count, elemWidth, width: count * elemWidth, index: 'col', meaning: '' };
}

describe('cosim: port traces', () => {
  it('packs elements little-end first across word boundaries and reads them back', () => {
    const rng = new Rng(9);
    for (const [count, w] of [[1, 1], [3, 12], [5, 13], [4, 32], [7, 31], [16, 8], [3, 17]] as const) {
      const p = port('x', count, w);
      const elems = Array.from({ length: count }, () => (w === 32 ? rng.nextU32() : rng.int(2 ** w)));
      const words = new Uint32Array(wordsOf(p) + 1);
      packPort(p, elems, words, 1);
      expect(words[0]).to.equal(0);
      elems.forEach((v, e) => expect(unpackElement(p, words, 1, e), `${count}x${w} element ${e}`).to.equal(v));
      // The same bits as one big number: element e at bit e*w.
      let big = 0n;
      for (let i = words.length - 1; i >= 1; i--) big = (big << 32n) | BigInt(words[i]!);
      const want = elems.reduce((acc, v, e) => acc | (BigInt(v) << BigInt(e * w)), 0n);
      expect(big).to.equal(want);
    }
  });

  it('writes one hex word a cycle, the first port on top', () => {
    const layout = traceLayout([port('a', 1, 4), port('b', 2, 20)]);
    expect(layout.stride).to.equal(3);
    const words = new Uint32Array(2 * layout.stride);
    packPort(layout.ports[0]!, [0xa], words, 0);
    packPort(layout.ports[1]!, [0x12345, 0xfedcb], words, 1);
    // 44 bits: a (4) then b (40, element 1 on top).
    expect(traceHex(layout, words)).to.equal('afedcb12345\n00000000000\n');
  });

  it('records every signal port of the top in every cycle of a job', () => {
    const arch = buildArch(resolveConfig({ rows: 2, cols: 3, dataflow: 'ws', a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'fp16', sparsity: '2:4' }));
    const t = traceJob(arch, { A: [[0x38, 0x40, 0, 0]], B: [[0x38, 0, 0], [0, 0x40, 0], [0, 0, 0], [0, 0, 0x38]] });
    expect(t.inputs.ports.map((p) => p.name)).to.deep.equal(signalPorts(arch, 'in').map((p) => p.name));
    expect(t.outputs.ports.map((p) => p.name)).to.deep.equal(['d_valid', 'd_acc']);
    expect(t.stimulus.length).to.equal(t.cycles * t.inputs.stride);
    expect(t.expected.length).to.equal(t.cycles * t.outputs.stride);
    expect(t.cycles).to.equal(t.result.cycles);
    // The last cycle holds the D row on d_acc with d_valid set.
    const last = (t.cycles - 1) * t.outputs.stride;
    expect(unpackElement(t.outputs.ports[0]!, t.expected, last + t.outputs.offsets[0]!, 0)).to.equal(1);
    const dAcc = t.outputs.ports[1]!;
    expect([0, 1, 2].map((j) => unpackElement(dAcc, t.expected, last + t.outputs.offsets[1]!, j))).to.deep.equal(t.result.D[0]);
  });
});
