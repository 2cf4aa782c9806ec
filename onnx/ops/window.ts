// The sliding window shared by Conv and the pools: output dims from kernel_shape, strides, pads,
// dilations, auto_pad and ceil_mode as ONNX defines them, and a table from (output position,
// kernel tap) to the input position it reads, for any number of spatial dimensions.
import { onnxMessages as msg } from '../messages.js';
import { sizeOf, stridesOf } from '../tensor.js';
import { type Attrs, OpError } from './context.js';

export interface Window {
  inDims: number[];
  outDims: number[];
  kernel: number[];
  /** Output positions (product of outDims) and kernel taps (product of kernel). */
  outSize: number;
  taps: number;
  /** outSize × taps: the flat spatial input index a tap reads, or -1 where it falls in padding. */
  table: Int32Array;
  /** Per output position: the taps inside the padded input (AveragePool's count_include_pad divisor). */
  padded: Int32Array;
}

const AUTO_PADS = ['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'];

/** Reads the window attributes; `kernel` is kernel_shape or, for Conv, the weights' spatial dims. */
export function makeWindow(attrs: Attrs, inDims: number[], kernel: number[], ceilMode: boolean): Window {
  const r = inDims.length;
  const ones = new Array<number>(r).fill(1);
  const strides = attrs.ints('strides', ones);
  const dilations = attrs.ints('dilations', ones);
  const autoPad = attrs.string('auto_pad', 'NOTSET');
  if (!AUTO_PADS.includes(autoPad)) throw new OpError(msg.attrValue('auto_pad', autoPad, `allowed: ${AUTO_PADS.join(', ')}`));
  let pads = attrs.ints('pads', new Array<number>(2 * r).fill(0));
  for (const [name, v, n] of [['kernel_shape', kernel, r], ['strides', strides, r], ['dilations', dilations, r], ['pads', pads, 2 * r]] as const) {
    if (v.length !== n) throw new OpError(msg.attrValue(name, v, `expected ${n} values for ${r} spatial dimensions`));
  }
  for (const [name, v] of [['kernel_shape', kernel], ['strides', strides], ['dilations', dilations]] as const) {
    if (v.some((x) => x < 1)) throw new OpError(msg.attrValue(name, v, 'every value must be at least 1'));
  }
  if (pads.some((p) => p < 0)) throw new OpError(msg.attrValue('pads', pads, 'pads cannot be negative'));
  const extent = kernel.map((k, i) => (k - 1) * dilations[i]! + 1);
  const outDims = inDims.map((n, i) => {
    const s = strides[i]!;
    if (autoPad === 'VALID') return Math.floor((n - extent[i]!) / s) + 1;
    if (autoPad !== 'NOTSET') return Math.ceil(n / s);
    const span = n + pads[i]! + pads[i + r]! - extent[i]!;
    let out = (ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
    // With ceil_mode a last window that would start in the end padding is dropped.
    if (ceilMode && (out - 1) * s >= n + pads[i]!) out--;
    return out;
  });
  if (autoPad === 'VALID') pads = new Array<number>(2 * r).fill(0);
  else if (autoPad !== 'NOTSET') {
    // SAME_*: just enough padding for ceil(in / stride) outputs; an odd total puts the extra
    // one at the end (UPPER) or the beginning (LOWER).
    pads = new Array<number>(2 * r);
    inDims.forEach((n, i) => {
      const total = Math.max(0, (outDims[i]! - 1) * strides[i]! + extent[i]! - n);
      const lower = autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
      pads[i] = lower;
      pads[i + r] = total - lower;
    });
  }
  if (outDims.some((d) => d < 1)) throw new OpError(msg.emptyOutput(outDims));

  const outSize = sizeOf(outDims);
  const taps = sizeOf(kernel);
  const table = new Int32Array(outSize * taps);
  const padded = new Int32Array(outSize);
  const inStrides = stridesOf(inDims);
  const oIdx = new Array<number>(r).fill(0);
  const kIdx = new Array<number>(r).fill(0);
  for (let p = 0; p < outSize; p++) {
    kIdx.fill(0);
    for (let q = 0; q < taps; q++) {
      let at = 0;
      let inside = true;
      let inPadded = true;
      for (let d = 0; d < r; d++) {
        const c = oIdx[d]! * strides[d]! - pads[d]! + kIdx[d]! * dilations[d]!;
        if (c < 0 || c >= inDims[d]!) inside = false;
        if (c >= inDims[d]! + pads[d + r]!) inPadded = false;
        at += c * inStrides[d]!;
      }
      table[p * taps + q] = inside ? at : -1;
      if (inPadded) padded[p]!++;
      step(kIdx, kernel);
    }
    step(oIdx, outDims);
  }
  return { inDims, outDims, kernel, outSize, taps, table, padded };
}

/** Advances a row-major multi-index. */
function step(idx: number[], dims: readonly number[]): void {
  for (let d = dims.length - 1; d >= 0; d--) {
    if (++idx[d]! < dims[d]!) return;
    idx[d] = 0;
  }
}
