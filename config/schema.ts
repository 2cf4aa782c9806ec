// The array/job configuration: one zod schema is the source of the TS types, the validation
// and the published JSON Schema (schema/config.schema.json, written by scripts/write-schema.ts).
import { z } from 'zod';
import { PRESET_NAMES } from './presets.js';
import { FIXED_LIMITS } from '../core/fixed.js';
import { DETERMINISTIC_MODES, LIMITS, ROUNDING_MODES } from '../core/format.js';
import { ALIGN_BITS, LANES } from '../core/lanes.js';
import { RANDOM_BITS, SEED } from '../core/random-stream.js';

export const roundingModeSchema = z
  .enum(ROUNDING_MODES)
  .describe(
    'rne: nearest, ties to even; rna: nearest, ties away from zero; rtz: toward zero; rdn: toward -inf; rup: toward +inf; rod: to odd (truncate, then set the last kept bit when anything was dropped); ' +
      'rsr: stochastic (add randomBits random bits of the stream below the last kept bit, then truncate; needs randomBits)',
  );

export const formatSpecSchema = z
  .object({
    exp: z.number().int().min(LIMITS.exp.min).max(LIMITS.exp.max).describe('exponent field width'),
    man: z.number().int().min(LIMITS.man.min).max(LIMITS.man.max).describe('mantissa field width'),
    bias: z.number().int().min(LIMITS.bias.min).max(LIMITS.bias.max).optional().describe('exponent bias; default 2^(exp-1)-1'),
    subnormals: z.boolean().optional().describe('false: exponent field 0 reads as zero and tiny results flush to zero; default true'),
    specials: z.enum(['ieee', 'fn', 'none']).optional().describe('ieee: inf and NaN; fn: only all-ones is NaN (OCP E4M3FN); none: all codes finite; default ieee'),
    overflow: z.enum(['inf', 'saturate']).optional().describe('default inf for ieee, else saturate'),
  })
  .strict();

export const formatInputSchema = z
  .union([z.string().describe('a named format (fp32, fp16, bf16, e5m2, e4m3) or eXmY[_bN][_ftz][_fn|_none|_ieee][_sat|_inf]'), formatSpecSchema])
  .describe('a float format (docs/arithmetic.md §1)');

const fixedBit = (what: string) => z.number().int().min(FIXED_LIMITS.bit.min).max(FIXED_LIMITS.bit.max).describe(what);

export const fixedAccSchema = z
  .object({
    fixed: z
      .object({
        msb: fixedBit('exponent of the highest value bit (the sign bit above it weighs -2^(msb+1))'),
        lsb: fixedBit('exponent of the last bit: the register holds multiples of 2^lsb'),
      })
      .strict()
      .describe(`a two's-complement register of multiples of 2^lsb in [-2^(msb+1), 2^(msb+1) - 2^lsb]: msb + 2 - lsb bits, ${FIXED_LIMITS.width.min} to ${FIXED_LIMITS.width.max}`),
    overflow: z.enum(['saturate', 'wrap']).describe('a sum outside the range saturates to the nearer end, or wraps modulo 2^(msb+2-lsb)'),
    out: formatInputSchema.describe('the format of D (and C): the register is rounded into it once, at the end'),
  })
  .strict()
  .describe('a fixed-point (Kulisch-style) accumulator (docs/arithmetic.md §3); not with chunk');

/** Most pipeline stages a PE takes (docs/rtl.md says where each cuts). */
export const MAX_STAGES = 4;

export const configSchema = z
  .object({
    rows: z.number().int().min(1).max(256).default(4).describe('PE rows of the array'),
    cols: z.number().int().min(1).max(256).default(4).describe('PE columns of the array'),
    dataflow: z.enum(['os', 'ws']).default('os').describe('os: output-stationary; ws: weight-stationary'),
    a: formatInputSchema.describe('activation (A) format'),
    w: formatInputSchema.describe('weight (B) format'),
    product: z.union([z.literal('exact'), formatInputSchema]).describe('product format, or "exact" for a fused multiply-add'),
    acc: z.union([formatInputSchema, fixedAccSchema]).describe('accumulator: a float format, or a fixed-point register'),
    total: formatInputSchema.optional().describe('chunk-total format (needs chunk); default: the accumulator format'),
    rounding: z
      .object({
        input: z
          .enum(DETERMINISTIC_MODES)
          .default('rne')
          .describe('real inputs into a, w and the output format (job files, workloads); with a fixed-point accumulator also C onto its grid; not rsr: no rounding unit of the array draws for it'),
        product: roundingModeSchema.default('rne'),
        acc: roundingModeSchema.default('rne'),
        total: roundingModeSchema.optional().describe('default: the accumulator mode'),
        randomBits: z
          .number()
          .int()
          .min(RANDOM_BITS.min)
          .max(RANDOM_BITS.max)
          .optional()
          .describe('rsr: the random bits R of each draw, added below the last kept bit (docs/arithmetic.md section 2); required when a step rounds with rsr'),
        seed: z
          .number()
          .int()
          .min(SEED.min)
          .max(SEED.max)
          .optional()
          .describe('rsr: the key of the random stream (core/random-stream.ts); default 0'),
      })
      .strict()
      .prefault({})
      .describe('rounding mode of each step'),
    chunk: z.number().int().min(1).max(1 << 20).optional().describe('chunked accumulation: chunk size in terms'),
    sparsity: z.enum(['dense', '2:4']).default('dense').describe('2:4: B is 2:4 structured-sparse along K'),
    lanes: z
      .literal(LANES)
      .default(1)
      .describe('products a PE adds per step in one multi-operand adder (a dot-product cell, docs/arithmetic.md §3); K advances this many terms per step, and chunk must be a multiple of it'),
    alignBits: z
      .union([z.number().int().min(ALIGN_BITS.min).max(ALIGN_BITS.max), z.literal('exact')])
      .default('exact')
      .describe('bits the multi-operand adder keeps from the leading bit of its largest term down; smaller bits of every term are truncated before the sum. "exact": every bit'),
    pipeline: z
      .object({
        stages: z
          .number()
          .int()
          .min(0)
          .max(MAX_STAGES)
          .default(0)
          .describe(
            'pipeline stages of the PE, each a cut (docs/rtl.md): 1 after the multiplier (the exact product when fused); 2 also inside the multiplier ' +
              '(exact product, then its rounding; not for a fused cell); then inside the accumulator adder (its sum rounded to odd, then rounded; a sum every ' +
              'other cycle: output-stationary arrays take a term every 2 cycles, weight-stationary ones skew rows by 2); then before the multiplier (its operands). ' +
              'Results are the same bits at every count',
          ),
      })
      .strict()
      .prefault({})
      .describe('optional pipeline registers of the PE (the cycle simulator and the generated RTL; results do not change)'),
    flags: z
      .boolean()
      .default(false)
      .describe('sticky status flags per PE (inexact, overflow, underflow, invalid, swamping) on the pe_flags port, cleared by flags_clear (docs/rtl.md)'),
    preset: z.enum(PRESET_NAMES as [string, ...string[]]).optional().describe('start from this preset (lbamac presets): its fields under this config\'s own, rounding merged by step'),
  })
  .strict();

/** A config as written in CFG.json. */
export type ConfigInput = z.input<typeof configSchema>;
/** A config after schema defaults, before formats are resolved. */
export type ConfigParsed = z.output<typeof configSchema>;
