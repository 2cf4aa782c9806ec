// The sweep configuration (SWEEP.json): workloads and blocks, each block a grid over accumulator
// formats (exp × man × bias × subnormals × specials × overflow), product formats, rounding modes,
// chunk sizes, sparsity and input formats. The points of a sweep are the union of its blocks'.
import { z } from 'zod';
import { formatInputSchema, MAX_STAGES, roundingModeSchema } from '../config/schema.js';
import { LIMITS } from '../core/format.js';
import { PRESET_NAMES } from '../config/presets.js';
import { workloadSchema } from '../workloads/schema.js';

/**
 * Per-layer answers: a layer's output may differ from its exact sums by this NRMSE (1%, the
 * synthetic workloads' target in the report too); accuracy may drop by the report's 1 point.
 */
export const LAYER_NRMSE_TOLERANCE = 0.01;

const slug = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit');

const range = (min: number, max: number) =>
  z
    .object({ from: z.number().int().min(min).max(max), to: z.number().int().min(min).max(max), step: z.number().int().min(1).default(1) })
    .strict()
    .describe('the integers from..to (inclusive) by step');

/** One value, a list, or (for integers) a range. */
const intAxis = (min: number, max: number) => z.union([z.number().int().min(min).max(max), z.array(z.number().int().min(min).max(max)).min(1), range(min, max)]);
const axis = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1)]);

export const accGridSchema = z
  .object({
    exp: intAxis(LIMITS.exp.min, LIMITS.exp.max).describe('exponent widths'),
    man: intAxis(LIMITS.man.min, LIMITS.man.max).describe('mantissa widths'),
    bias: axis(z.union([z.number().int().min(LIMITS.bias.min).max(LIMITS.bias.max), z.null()]))
      .optional()
      .describe('exponent biases; null (the default) means 2^(exp-1)-1'),
    subnormals: axis(z.boolean()).optional(),
    specials: axis(z.enum(['ieee', 'fn', 'none'])).optional(),
    overflow: axis(z.enum(['inf', 'saturate'])).optional(),
  })
  .strict()
  .describe('a grid of accumulator formats');

const accEntry = z.union([z.string().describe('a format name (fp32, e5m7, e4m7_b10_ftz_none_sat, ...)'), accGridSchema]);

export const blockSchema = z
  .object({
    name: slug.describe('label of the block in outputs'),
    role: z.enum(['grid', 'baseline']).default('grid').describe('baseline: drawn as reference lines in the plots (e.g. fp32 accumulation)'),
    preset: z.enum(PRESET_NAMES as [string, ...string[]]).optional().describe('start from a named preset (config/presets.ts)'),
    config: z.record(z.string(), z.unknown()).optional().describe('config fields over the preset (the config file schema; rounding is merged field by field)'),
    acc: z.union([accEntry, z.array(accEntry).min(1)]).optional().describe('accumulator formats: grids or names; default: the base config\'s'),
    product: z.array(z.union([z.literal('exact'), formatInputSchema])).min(1).optional().describe('product formats'),
    rounding: z.array(roundingModeSchema).min(1).optional().describe('rounding of the accumulator (and of the chunk total)'),
    productRounding: z.array(roundingModeSchema).min(1).optional().describe('rounding of the products'),
    chunk: z.array(z.union([z.number().int().min(1).max(1 << 20), z.null()])).min(1).optional().describe('chunk sizes; null: no chunking'),
    sparsity: z.array(z.enum(['dense', '2:4'])).min(1).optional().describe('2:4 prunes B by magnitude in every group of 4 along K'),
    stages: z
      .array(z.number().int().min(0).max(MAX_STAGES))
      .min(1)
      .optional()
      .describe('PE pipeline stages (docs/rtl.md): the results are the same bits, the area, registers and logic depth per PE differ'),
    inputs: z.array(z.object({ a: formatInputSchema, w: formatInputSchema }).strict()).min(1).optional().describe('input format pairs'),
    workloads: z.array(z.string()).min(1).optional().describe('names of the workloads this block runs on; default: all'),
    perLayer: z
      .union([z.literal(true), z.object({ tolerance: z.number().positive().max(1).default(LAYER_NRMSE_TOLERANCE).describe('largest NRMSE of a layer\'s output against its exact sums') }).strict()])
      .optional()
      .describe(
        'onnx workloads: per layer, the narrowest of the block\'s accumulators that keeps the layer\'s NRMSE within the tolerance and the accuracy within 1 point when only that layer is narrowed (the others at the widest), then every layer at its own narrowest as one network (docs/sweeps.md)',
      ),
    area: z
      .union([
        z.boolean(),
        z
          .object({
            man: z.array(z.number().int().min(LIMITS.man.min).max(LIMITS.man.max)).min(1).optional().describe('accumulator mantissa widths'),
            rounding: z.array(roundingModeSchema).min(1).optional(),
            chunk: z.array(z.union([z.number().int().min(1).max(1 << 20), z.null()])).min(1).optional(),
          })
          .strict()
          .describe("only the block's points with these values (every one when a field is left out)"),
      ])
      .optional()
      .describe("which of this block's configurations the sweep's area provider synthesizes: true (the default) all, false none, or a subset; the others have no area, so a sweep can synthesize a representative subset"),
  })
  .strict();

export const sweepSchema = z
  .object({
    name: slug.describe('the sweep\'s name: outputs go to out/sweep-NAME'),
    description: z.string().optional(),
    area: z.string().default('none').describe('area provider (sweep/area.ts): "none" leaves area empty'),
    workloads: z.array(workloadSchema).min(1),
    blocks: z.array(blockSchema).min(1),
  })
  .strict();

export type SweepInput = z.input<typeof sweepSchema>;
export type SweepConfig = z.output<typeof sweepSchema>;
export type BlockConfig = z.output<typeof blockSchema>;
export type AccGrid = z.output<typeof accGridSchema>;
