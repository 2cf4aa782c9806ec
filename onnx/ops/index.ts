// The operators the interpreter runs, by op_type (default domain only). Adding one is an entry here.
import type { OpDef } from './context.js';
import { Conv } from './conv.js';
import { Add, Clip, Mul, Relu } from './elementwise.js';
import { Gemm, MatMul } from './gemm.js';
import { BatchNormalization, Softmax } from './norm.js';
import { AveragePool, GlobalAveragePool, MaxPool } from './pool.js';
import { Concat, Constant, Flatten, Identity, Reshape, Transpose } from './shape.js';

export const OPS: Readonly<Record<string, OpDef>> = {
  Add,
  AveragePool,
  BatchNormalization,
  Clip,
  Concat,
  Constant,
  Conv,
  Flatten,
  Gemm,
  GlobalAveragePool,
  Identity,
  MatMul,
  MaxPool,
  Mul,
  Relu,
  Reshape,
  Softmax,
  Transpose,
};

