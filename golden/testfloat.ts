// Reader for the Berkeley TestFloat vectors in test/vectors/testfloat (see its README): hex
// operands, the expected result and the IEEE exception flags, one case a line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DeterministicMode } from '../core/format.js';
import { packageRoot } from '../util/package-root.js';

export type TestFloatType = 'f16' | 'f32';
export type TestFloatOp = 'add' | 'mul' | 'mulAdd';

export const TESTFLOAT_MODES: Record<DeterministicMode, string> = { rne: 'rnear_even', rtz: 'rminMag', rna: 'rnear_maxMag', rdn: 'rmin', rup: 'rmax', rod: 'rodd' };

/** IEEE flag bits as TestFloat writes them. */
export const TF_INEXACT = 1;
export const TF_UNDERFLOW = 2;
export const TF_OVERFLOW = 4;
export const TF_INVALID = 16;

export interface TestFloatVectors {
  /** Operand count: 2 for add and mul, 3 for mulAdd. */
  arity: number;
  /** Per case: the operands, the expected result, then the flags. */
  cases: Uint32Array;
  count: number;
}

/** Where the vectors live: test/vectors/testfloat inside the repository (no outside folder). */
export function testFloatDir(): string {
  const dir = join(packageRoot(), 'test', 'vectors', 'testfloat');
  if (!existsSync(join(dir, 'README.md'))) throw new Error(`TestFloat vectors not found: expected them in ${dir}`);
  return dir;
}

export function loadTestFloat(type: TestFloatType, op: TestFloatOp, mode: DeterministicMode, limit = Infinity): TestFloatVectors {
  const file = join(testFloatDir(), `${type}_${op}_${TESTFLOAT_MODES[mode]}.tv.gz`);
  const lines = gunzipSync(readFileSync(file)).toString('latin1').split('\n');
  const arity = op === 'mulAdd' ? 3 : 2;
  const stride = arity + 2;
  const count = Math.min(limit, lines.length);
  const cases = new Uint32Array(count * stride);
  let n = 0;
  for (let i = 0; i < lines.length && n < count; i++) {
    const fields = lines[i]!.trim().split(/\s+/);
    if (fields.length !== stride) continue;
    for (let f = 0; f < stride; f++) cases[n * stride + f] = parseInt(fields[f]!, 16);
    n++;
  }
  return { arity, cases: cases.subarray(0, n * stride), count: n };
}
