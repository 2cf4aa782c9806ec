// Dense row-major tensors as the interpreter holds them. Every element is a float64 slot: float32
// tensors hold float32 values (the interpreter rounds each node's outputs), int64 tensors hold
// integers (shapes and axes, far below 2^53), so the operators need one element type only.

export type DType = 'float32' | 'int64';

export interface Tensor {
  dtype: DType;
  dims: number[];
  data: Float64Array;
}

export function sizeOf(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

export function tensor(dims: readonly number[], data?: Float64Array, dtype: DType = 'float32'): Tensor {
  const size = sizeOf(dims);
  if (data && data.length !== size) throw new Error(`tensor: ${data.length} elements for dims [${dims.join(', ')}]`);
  return { dtype, dims: [...dims], data: data ?? new Float64Array(size) };
}

/** Row-major strides of dims. */
export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let n = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    s[i] = n;
    n *= dims[i]!;
  }
  return s;
}

export function showDims(dims: readonly number[]): string {
  return `[${dims.join(', ')}]`;
}

/** Rounds a float32 tensor's elements to float32 in place (int64 tensors are left alone). */
export function roundToFloat32(t: Tensor): Tensor {
  if (t.dtype === 'float32') for (let i = 0; i < t.data.length; i++) t.data[i] = Math.fround(t.data[i]!);
  return t;
}
