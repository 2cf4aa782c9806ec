// Conv through im2col and the GEMM seam against a direct nested-loop float64 convolution, over
// random shapes, groups, strides, pads, dilations and auto_pad settings. Both sum each output's
// terms in the same order (input channel, then kernel row, then column) and the padding adds only
// +0 products, so the two must agree exactly.
import { expect } from 'chai';
import { float64Backend, identityQuantizer } from '../../onnx/linear.js';
import type { AttrValue, OnnxNode } from '../../onnx/model.js';
import { OpContext } from '../../onnx/ops/context.js';
import { Conv } from '../../onnx/ops/conv.js';
import { type Tensor, tensor } from '../../onnx/tensor.js';
import { Rng } from '../../workloads/rng.js';
import { randn } from './support.js';

interface Geometry {
  stride: [number, number];
  dil: [number, number];
  /** top, left, bottom, right */
  pads: [number, number, number, number];
  autoPad: 'NOTSET' | 'VALID' | 'SAME_UPPER' | 'SAME_LOWER';
  group: number;
}

/** The ONNX definition of the output size and the padding actually used, written out per case. */
function resolvePads(g: Geometry, inH: number, inW: number, kh: number, kw: number): { outH: number; outW: number; top: number; left: number } {
  const ext = [(kh - 1) * g.dil[0] + 1, (kw - 1) * g.dil[1] + 1];
  const ins = [inH, inW];
  if (g.autoPad === 'NOTSET') {
    const out = [0, 1].map((i) => Math.floor((ins[i]! + g.pads[i]! + g.pads[i + 2]! - ext[i]!) / g.stride[i]!) + 1);
    return { outH: out[0]!, outW: out[1]!, top: g.pads[0], left: g.pads[1] };
  }
  if (g.autoPad === 'VALID') return { outH: Math.floor((inH - ext[0]!) / g.stride[0]) + 1, outW: Math.floor((inW - ext[1]!) / g.stride[1]) + 1, top: 0, left: 0 };
  const out = [0, 1].map((i) => Math.ceil(ins[i]! / g.stride[i]!));
  const total = [0, 1].map((i) => Math.max(0, (out[i]! - 1) * g.stride[i]! + ext[i]! - ins[i]!));
  const begin = total.map((t) => (g.autoPad === 'SAME_UPPER' ? Math.floor(t / 2) : Math.ceil(t / 2)));
  return { outH: out[0]!, outW: out[1]!, top: begin[0]!, left: begin[1]! };
}

function directConv(X: Tensor, W: Tensor, B: Tensor, g: Geometry): Tensor {
  const [n, c, inH, inW] = X.dims as [number, number, number, number];
  const [m, cg, kh, kw] = W.dims as [number, number, number, number];
  const { outH, outW, top, left } = resolvePads(g, inH, inW, kh, kw);
  const perGroup = m / g.group;
  const Y = tensor([n, m, outH, outW]);
  for (let b = 0; b < n; b++)
    for (let oc = 0; oc < m; oc++)
      for (let oy = 0; oy < outH; oy++)
        for (let ox = 0; ox < outW; ox++) {
          let sum = 0;
          for (let ic = 0; ic < cg; ic++)
            for (let ky = 0; ky < kh; ky++)
              for (let kx = 0; kx < kw; kx++) {
                const y = oy * g.stride[0] - top + ky * g.dil[0];
                const x = ox * g.stride[1] - left + kx * g.dil[1];
                if (y < 0 || y >= inH || x < 0 || x >= inW) continue;
                const channel = Math.floor(oc / perGroup) * cg + ic;
                sum += X.data[((b * c + channel) * inH + y) * inW + x]! * W.data[((oc * cg + ic) * kh + ky) * kw + kx]!;
              }
          Y.data[((b * m + oc) * outH + oy) * outW + ox] = sum + B.data[oc]!;
        }
  return Y;
}

function im2colConv(X: Tensor, W: Tensor, B: Tensor, g: Geometry): Tensor {
  const attrs = new Map<string, AttrValue>([
    ['group', g.group],
    ['strides', g.stride],
    ['dilations', g.dil],
    ['auto_pad', g.autoPad],
  ]);
  if (g.autoPad === 'NOTSET') attrs.set('pads', g.pads);
  const node: OnnxNode = { name: 'conv', opType: 'Conv', domain: '', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs };
  return Conv.run(new OpContext(node, 17, [X, W, B], identityQuantizer, float64Backend));
}

describe('onnx Conv: im2col equals a direct convolution', () => {
  const rng = new Rng(2024);
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
  for (let t = 0; t < 60; t++) {
    const g: Geometry = {
      stride: [1 + rng.int(3), 1 + rng.int(3)],
      dil: [1 + rng.int(2), 1 + rng.int(2)],
      pads: [rng.int(3), rng.int(3), rng.int(3), rng.int(3)],
      autoPad: pick(['NOTSET', 'NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'] as const),
      group: 1 + rng.int(3),
    };
    const cg = 1 + rng.int(3);
    const m = g.group * (1 + rng.int(3));
    const kh = 1 + rng.int(4);
    const kw = 1 + rng.int(4);
    const inH = (kh - 1) * g.dil[0] + 1 + rng.int(6);
    const inW = (kw - 1) * g.dil[1] + 1 + rng.int(6);
    const X = randn(rng, [1 + rng.int(3), g.group * cg, inH, inW]);
    const W = randn(rng, [m, cg, kh, kw]);
    const B = randn(rng, [m]);
    it(`case ${t}: x ${X.dims.join('×')}, w ${W.dims.join('×')}, ${JSON.stringify(g)}`, () => {
      const ours = im2colConv(X, W, B, g);
      const ref = directConv(X, W, B, g);
      expect(ours.dims).to.deep.equal(ref.dims);
      expect(Array.from(ours.data)).to.deep.equal(Array.from(ref.data));
    });
  }
});
