// The seam between the interpreter and the array arithmetic. Conv, Gemm and MatMul hand their
// operands to a Quantizer (whole tensors, so a per-tensor scale sees the whole tensor), lay the
// returned values out as A (M×K activations) and B (K×N weights), call a GemmBackend, and undo the
// two scales on its result in float64. The float path is the identity quantizer with the float64
// backend; the emulated array is onnx/quantize.ts's FormatQuantizer with onnx/array-backend.ts.

/** Which matrix an operand becomes: a = activations (A), w = weights (B). */
export type Role = 'a' | 'w';

export interface Operand {
  /** The values the GEMM receives, laid out as the tensor was. */
  values: Float64Array;
  /** The values are the tensor's times 2^log2Scale; the GEMM result is multiplied back by 2^-(sA+sW). */
  log2Scale: number;
}

export interface Quantizer {
  /**
   * `name` is the tensor's name in the graph (a key for calibrated scales); x is not modified.
   * `constant`: the tensor is an initializer, the same on every run, so its operand may be made once.
   */
  operand(role: Role, name: string, x: Float64Array, constant: boolean): Operand;
}

/**
 * Operands of constant tensors keep their identity from run to run (the quantizers return the same
 * Operand, the operators the same layouts of it), so a backend may key what it derives from B
 * (codes, layouts) on the B array itself: a weight is then prepared once, not on every batch.
 */
export interface GemmBackend {
  /** D = A·B, row-major: A is M×K, B is K×N, D is M×N. `node` names the ONNX node, for accounting. */
  gemm(A: Float64Array, B: Float64Array, M: number, K: number, N: number, node: string): Float64Array;
}

/** No quantization: the tensor's own values, unscaled. */
export const identityQuantizer: Quantizer = {
  operand: (_role, _name, x) => ({ values: x, log2Scale: 0 }),
};

/**
 * The project's float path: each output one float64 sum, in ascending k. A zero activation (half
 * of them after a ReLU) is skipped when B is finite: its products are zeros, which change no sum
 * (a +0 start stays +0 whatever zeros are added), so the sums are those of the full loop.
 */
export const float64Backend: GemmBackend = {
  gemm(A, B, M, K, N) {
    const D = new Float64Array(M * N);
    const skipZeros = B.every(Number.isFinite);
    for (let i = 0; i < M; i++) {
      const d = i * N;
      for (let k = 0; k < K; k++) {
        const a = A[i * K + k]!;
        if (a === 0 && skipZeros) continue;
        const b = k * N;
        for (let j = 0; j < N; j++) D[d + j]! += a * B[b + j]!;
      }
    }
    return D;
  },
};
