// A ResNet-18-shaped ONNX model with random weights (no trained one is available offline): the
// torchvision layout (7×7/2 stem, max pool, four stages of two basic blocks at 64, 128, 256 and
// 512 channels, 1×1/2 projections where a stage halves the map, global average pool, 1000-way
// Gemm), Conv + BatchNormalization + Relu as PyTorch exports it without folding. Weights drawn He-
// scaled and batch norms near the identity, so that activations stay of order 1 through the
// network and the array sees the operand statistics (and the K of every layer) of the real one.
import { attr, type ModelSpec, type NodeSpec } from '../onnx/builder.js';
import { sizeOf, type Tensor, tensor } from '../onnx/tensor.js';
import { Rng } from '../workloads/rng.js';

export function resnet18(seed: number, size = 224, classes = 1000): ModelSpec {
  const rng = new Rng(seed);
  const initializers: Record<string, Tensor> = {};
  const nodes: NodeSpec[] = [];
  const fill = (dims: number[], f: () => number) => tensor(dims, Float64Array.from({ length: sizeOf(dims) }, () => Math.fround(f())));
  let last = 'x';
  let n = 0;
  const value = () => `v${n++}`;

  const conv = (x: string, name: string, inCh: number, outCh: number, k: number, stride: number): string => {
    initializers[`${name}.weight`] = fill([outCh, inCh, k, k], () => rng.normal() * Math.sqrt(2 / (inCh * k * k)));
    const pad = (k - 1) >> 1;
    const y = value();
    nodes.push({ op: 'Conv', name, inputs: [x, `${name}.weight`], outputs: [y], attrs: { kernel_shape: attr.ints([k, k]), strides: attr.ints([stride, stride]), pads: attr.ints([pad, pad, pad, pad]) } });
    return y;
  };
  const bn = (x: string, name: string, ch: number): string => {
    initializers[`${name}.scale`] = fill([ch], () => 0.8 + 0.4 * rng.uniform());
    initializers[`${name}.bias`] = fill([ch], () => 0.05 * rng.normal());
    initializers[`${name}.mean`] = fill([ch], () => 0.05 * rng.normal());
    initializers[`${name}.var`] = fill([ch], () => 0.8 + 0.4 * rng.uniform());
    const y = value();
    nodes.push({ op: 'BatchNormalization', name, inputs: [x, `${name}.scale`, `${name}.bias`, `${name}.mean`, `${name}.var`], outputs: [y] });
    return y;
  };
  const relu = (x: string): string => {
    const y = value();
    nodes.push({ op: 'Relu', inputs: [x], outputs: [y] });
    return y;
  };

  last = relu(bn(conv(last, 'conv1', 3, 64, 7, 2), 'bn1', 64));
  const pooled = value();
  nodes.push({ op: 'MaxPool', inputs: [last], outputs: [pooled], attrs: { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) } });
  last = pooled;
  let ch = 64;
  [64, 128, 256, 512].forEach((out, s) => {
    for (let b = 0; b < 2; b++) {
      const stride = s > 0 && b === 0 ? 2 : 1;
      const p = `layer${s + 1}.${b}`;
      const h = relu(bn(conv(last, `${p}.conv1`, ch, out, 3, stride), `${p}.bn1`, out));
      const main = bn(conv(h, `${p}.conv2`, out, out, 3, 1), `${p}.bn2`, out);
      const shortcut = stride === 1 && ch === out ? last : bn(conv(last, `${p}.downsample.0`, ch, out, 1, stride), `${p}.downsample.1`, out);
      const sum = value();
      nodes.push({ op: 'Add', inputs: [main, shortcut], outputs: [sum] });
      last = relu(sum);
      ch = out;
    }
  });
  const gap = value();
  nodes.push({ op: 'GlobalAveragePool', inputs: [last], outputs: [gap] });
  const flat = value();
  nodes.push({ op: 'Flatten', inputs: [gap], outputs: [flat] });
  initializers['fc.weight'] = fill([classes, 512], () => rng.normal() / Math.sqrt(512));
  initializers['fc.bias'] = fill([classes], () => 0.01 * rng.normal());
  nodes.push({ op: 'Gemm', name: 'fc', inputs: [flat, 'fc.weight', 'fc.bias'], outputs: ['logits'], attrs: { transB: attr.int(1) } });
  return { opset: 17, inputs: [{ name: 'x', dims: ['batch', 3, size, size] }], outputs: [{ name: 'logits' }], initializers, nodes };
}
