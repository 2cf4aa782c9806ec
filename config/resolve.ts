// From a parsed config to the resolved ArrayConfig every engine uses.
import { LbamacError } from '../core/errors.js';
import { type FixedAccumulator, fixedLabel, fixedMessages, makeFixed } from '../core/fixed.js';
import { type Format, type FormatInput, type RoundingMode, toFormat } from '../core/format.js';
import type { GemmArithmetic } from '../core/gemm.js';
import { dotCellOf, laneMessages } from '../core/lanes.js';
import { type RandomSpec, rsrMessages } from '../core/random-stream.js';
import { overPreset, PRESET_NAMES } from './presets.js';
import { configSchema, type ConfigInput, type ConfigParsed } from './schema.js';
import { describeZodError } from './zod-errors.js';

export interface ArrayConfig extends GemmArithmetic {
  rows: number;
  cols: number;
  dataflow: 'os' | 'ws';
  /** input: how real numbers (job files, workloads) round into a and w before the array sees them. */
  rounding: GemmArithmetic['rounding'] & { input: RoundingMode };
  /** PE pipeline registers (timing only, never the result); absent means none. */
  pipeline?: { stages: number };
  /** Sticky status flags per PE (absent means none). */
  flags?: boolean;
}

/** The format D (and C) is stored in: the chunk-total format when chunked, else the accumulator's. */
export function outputFormat(cfg: ArrayConfig): Format {
  return cfg.chunk === null ? cfg.acc : cfg.total;
}

/** A config that names a preset: the preset's fields under the config's own (docs/sweeps.md). */
function expandPreset(raw: unknown, where: string): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('preset' in raw)) return raw;
  const { preset, ...over } = raw as Record<string, unknown>;
  if (typeof preset !== 'string' || !(PRESET_NAMES as readonly string[]).includes(preset)) {
    throw new LbamacError(`${where}.preset = ${JSON.stringify(preset)} is not a preset; expected one of ${PRESET_NAMES.join(', ')} (lbamac presets)`);
  }
  return overPreset(preset, over);
}

/** Validates raw JSON (already parsed) into an ArrayConfig; errors name the field and value. */
export function resolveConfig(raw: unknown, where = 'config'): ArrayConfig {
  const parsed = configSchema.safeParse(expandPreset(raw, where));
  if (!parsed.success) throw new LbamacError(describeZodError(parsed.error, raw, where));
  const c = parsed.data;
  if (c.total !== undefined && c.chunk === undefined) {
    throw new LbamacError(`${where}.total is set but chunk is not; a chunk-total format needs "chunk": N`);
  }
  if (c.chunk !== undefined && c.chunk % c.lanes !== 0) throw new LbamacError(laneMessages.chunkNotMultiple(where, c.chunk, c.lanes));
  const { acc, fixed } = accumulator(c.acc, `${where}.acc`);
  if (fixed !== undefined && c.chunk !== undefined) throw new LbamacError(fixedMessages.chunk(where, c.chunk));
  const cell = dotCellOf(c);
  if (fixed !== undefined && cell !== null) throw new LbamacError(laneMessages.withFixed(where, cell));
  const random = randomStream(c, where, fixed === undefined ? null : fixedLabel(fixed, acc));
  return {
    rows: c.rows,
    cols: c.cols,
    dataflow: c.dataflow,
    a: toFormat(c.a, `${where}.a`),
    w: toFormat(c.w, `${where}.w`),
    product: c.product === 'exact' ? null : productFormat(c.product, `${where}.product`),
    acc,
    ...(fixed === undefined ? {} : { fixed }),
    total: c.total === undefined ? acc : toFormat(c.total, `${where}.total`),
    rounding: { input: c.rounding.input, product: c.rounding.product, acc: c.rounding.acc, total: c.rounding.total ?? c.rounding.acc },
    ...(random === null ? {} : { random }),
    chunk: c.chunk ?? null,
    sparsity: c.sparsity,
    lanes: c.lanes,
    alignBits: c.alignBits,
    pipeline: { stages: c.pipeline.stages },
    flags: c.flags,
  };
}

/**
 * The random stream, when a step the configuration performs rounds with rsr (a product rounding
 * only when products are rounded, a chunk total only when chunked); randomBits and seed are
 * refused without one, as is rsr where it is not implemented.
 */
function randomStream(c: ConfigParsed, where: string, fixed: string | null): RandomSpec | null {
  const r = c.rounding;
  const steps = [
    ...(c.product !== 'exact' ? [['product', r.product] as const] : []),
    ['acc', r.acc] as const,
    ...(c.chunk !== undefined ? [['total', r.total ?? r.acc] as const] : []),
  ];
  const stochastic = steps.filter(([, mode]) => mode === 'rsr').map(([step]) => step);
  if (stochastic.length === 0) {
    for (const key of ['randomBits', 'seed'] as const) if (r[key] !== undefined) throw new LbamacError(rsrMessages.unused(where, key));
    return null;
  }
  if (fixed !== null) throw new LbamacError(rsrMessages.fixed(where, fixed));
  if (dotCellOf(c) !== null) throw new LbamacError(rsrMessages.lanes(where));
  if (r.randomBits === undefined) throw new LbamacError(rsrMessages.noBits(where, stochastic[0]!));
  return { bits: r.randomBits, seed: r.seed ?? 0 };
}

/** A float accumulator's format, or a fixed-point register and the format it is rounded into. */
function accumulator(input: ConfigParsed['acc'], where: string): { acc: Format; fixed?: FixedAccumulator } {
  if (typeof input === 'string' || !('fixed' in input)) return { acc: toFormat(input, where) };
  return { acc: toFormat(input.out, `${where}.out`), fixed: makeFixed({ ...input.fixed, overflow: input.overflow }, where) };
}

/** Like toFormat, but a bad name also reminds that "exact" is allowed here. */
function productFormat(input: FormatInput, where: string): Format {
  try {
    return toFormat(input, where);
  } catch (e) {
    if (e instanceof LbamacError && typeof input === 'string') throw new LbamacError(`${e.message}, or "exact" for a fused multiply-add`);
    throw e;
  }
}

export type { ConfigInput };
