// 2:4 sparse arrays on ONNX networks. Each GEMM's B, as the operator hands it to the backend (K×N,
// after quantization), is pruned by magnitude in aligned groups of 4 along K with the recipe the
// synthetic workloads use (workloads/matrix.ts prune24: the 2 largest of each group stay, ties keep
// the lower row). Pruning happens at the GEMM because only there is K the dot products' axis,
// whatever the operator's own weight layout (a Conv's O×I×kh×kw, a Gemm with transB). The array and
// the exact-accumulation reference share one Pruner, so both see the same pruned weights; the
// float path and onnxruntime keep the dense network (what pruning costs shows as the gap).
import type { GemmBackend } from './linear.js';
import { mat, prune24 } from '../workloads/matrix.js';

export interface PruneCount {
  /** Weights pruning set to zero. */
  zeroed: number;
  /** Nonzero weights before pruning. */
  nonzeros: number;
}

export class Pruner {
  /** A constant weight's B keeps its identity from call to call (onnx/linear.ts): pruned once. */
  private readonly pruned = new WeakMap<Float64Array, Float64Array>();
  /** Per node, over every distinct B it was given. */
  readonly perNode = new Map<string, PruneCount>();

  prune(B: Float64Array, K: number, N: number, node: string): Float64Array {
    let out = this.pruned.get(B);
    if (out === undefined) {
      out = prune24(mat(K, N, B)).data;
      this.pruned.set(B, out);
      let count = this.perNode.get(node);
      if (!count) this.perNode.set(node, (count = { zeroed: 0, nonzeros: 0 }));
      for (let i = 0; i < B.length; i++) {
        if (B[i] !== 0) count.nonzeros++;
        if (B[i] !== 0 && out[i] === 0) count.zeroed++;
      }
    }
    return out;
  }
}

/** `backend` on the pruned B of every GEMM. */
export function pruned24(backend: GemmBackend, pruner: Pruner): GemmBackend {
  return { gemm: (A, B, M, K, N, node) => backend.gemm(A, pruner.prune(B, K, N, node), M, K, N, node) };
}
