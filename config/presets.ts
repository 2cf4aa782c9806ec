// Named presets: partial array configurations (config/schema.ts inputs) for the arithmetic that
// users already know. A sweep block or a config may start from one and override any field.
// docs/sweeps.md says where each comes from and which parts are our assumptions.
import { LbamacError } from '../core/errors.js';
import type { ConfigInput } from './schema.js';

/** The arithmetic fields of a config; geometry (rows, cols, dataflow) stays the config's own. */
export type PresetInput = Pick<ConfigInput, 'a' | 'w' | 'product' | 'acc' | 'rounding'> & Partial<Pick<ConfigInput, 'chunk' | 'total' | 'sparsity' | 'lanes' | 'alignBits'>>;

export interface Preset {
  name: string;
  summary: string;
  /** What is taken from the source and what we assumed; shown by docs and reports. */
  notes: string[];
  config: PresetInput;
}

/** Flush to zero, no inf or NaN, saturation: the narrow formats of the lower-bit-width-accumulator paper. */
const lbaFormat = (man: number, bias: number) => ({ exp: 4, man, bias, subnormals: false, specials: 'none', overflow: 'saturate' }) as const;

/** QPyTorch's float_quantize: subnormals kept, every exponent code a number, saturation, standard bias. */
const qtorchFormat = (exp: number, man: number) => ({ exp, man, subnormals: true, specials: 'none', overflow: 'saturate' }) as const;

/** The paper's configuration (the lba preset; lba-floor changes its rounding). */
const LBA: PresetInput = {
  a: 'e4m3',
  w: 'e4m3',
  product: lbaFormat(7, 12),
  acc: lbaFormat(7, 10),
  rounding: { input: 'rne', product: 'rtz', acc: 'rtz' },
  chunk: 16,
};

const LIST: Preset[] = [
  {
    name: 'lba',
    summary: 'the 12-bit e4m7 accumulator of Blumenfeld, Hubara and Soudry (2023): bias 10, products with bias 12, chunk 16, rtz, flush to zero, saturation',
    notes: [
      'from the paper: a 12-bit accumulator with 4 exponent and 7 mantissa bits (e4m7), exponent bias 10; products with bias 12; chunked accumulation with chunk 16; rounding toward zero ("floor"); flush to zero; saturation on overflow',
      'assumed: inputs (a, w) are OCP E4M3FN (e4m3, bias 7, with its subnormals), quantized with rne',
      'assumed: the product format is e4m7 with bias 12, the accumulator\'s own width; every product of two e4m3 values has at most 8 significant bits, so products round only at the range limits (below 2^-11 they flush to zero, above 15.94 they saturate); product rounding rtz',
      'assumed: no inf or NaN codes in products and accumulator (specials "none": the top exponent code is a normal number, largest accumulator value 63.75)',
      'assumed: the chunk totals are kept in the accumulator format (e4m7, bias 10) with the same rounding',
    ],
    config: LBA,
  },
  {
    name: 'lba-floor',
    summary: 'the lba preset with "floor" read as two\'s-complement hardware does: rdn (toward -inf) for products and accumulator instead of rtz',
    notes: [
      'from the paper: as the lba preset; the paper says its accumulator rounds by "floor"',
      'assumed: on sign-magnitude hardware that truncates the mantissa, floor is rtz (the lba preset); on a two\'s-complement datapath it is the floor of the signed value, rdn, which this preset takes (docs/arithmetic.md §2)',
      'everything else as the lba preset (e4m3 inputs rne, e4m7 bias 12 products, e4m7 bias 10 accumulator, chunk 16, flush to zero, saturation)',
    ],
    config: { ...LBA, rounding: { input: 'rne', product: 'rdn', acc: 'rdn' } },
  },
  {
    name: 'tensorcore-fp8',
    summary: 'an H800-style FP8 tensor core: e4m3 inputs, 32-lane dot-product cell keeping 14 bits by truncation, e8m13 partial sum (rtz), promoted every 128 terms into fp32',
    notes: [
      'from DeepSeek-V3 (technical report, §3.3.2): FP8 GEMMs on H800 tensor cores accumulate with about 14 bits retained after aligning the products to the largest exponent, which the report measures at nearly 2% maximum relative error for K = 4096; its fix promotes the partial sums to FP32 registers on the CUDA cores every N_C = 128 elements',
      'from the DeepGEMM maintainers\' description of the tensor core\'s partial result: "FP22", read here as e8m13 (1 sign, 8 exponent, 13 mantissa bits)',
      'assumed: 32 lanes (products added per step, alignBits 14, truncation), exact products (e4m3 products are exact in the aligned adder), the e8m13 partial sum rounded rtz (truncation), IEEE-style e8 exponent with subnormals and inf',
      'assumed: promotion = the chunk total: chunk 128 into fp32 with rne (the CUDA-core FP32 add); without promotion, override "chunk" away ({ "preset": "tensorcore-fp8", "chunk": null } in a sweep block, or leave chunk out of a config built from it)',
    ],
    config: {
      a: 'e4m3',
      w: 'e4m3',
      product: 'exact',
      acc: { exp: 8, man: 13 },
      lanes: 32,
      alignBits: 14,
      rounding: { input: 'rne', product: 'rtz', acc: 'rtz', total: 'rne' },
      chunk: 128,
      total: 'fp32',
    },
  },
  {
    name: 'kulisch-fp8',
    summary: 'exact accumulation of e4m3 products: a 49-bit fixed-point (Kulisch) register, lsb 2^-18, msb 2^29, rounded once into fp32',
    notes: [
      'from the Kulisch accumulator idea: a fixed-point register wide enough that every product lands on its grid and no sum of K of them overflows, so the dot product is exact and rounded once',
      'the register is `lbamac formats --kulisch e4m3 e4m3 --k 4096`: lsb -18 (the last bit of the smallest e4m3 product, 2^-9 · 2^-9), msb 29 (4096 times the largest product 448² stays below 2^30)',
      'assumed: saturation at the ends (never reached for K ≤ 4096), the final rounding into fp32 with rne; C is rounded onto the grid with the input mode (not covered by the width: see --with-c)',
    ],
    config: {
      a: 'e4m3',
      w: 'e4m3',
      product: 'exact',
      acc: { fixed: { msb: 29, lsb: -18 }, overflow: 'saturate', out: 'fp32' },
      rounding: { input: 'rne', product: 'rne', acc: 'rne' },
    },
  },
  {
    name: 'int32-fixed',
    summary: 'a 32-bit two\'s-complement accumulator as an INT8 MAC array has, under e4m3 products: lsb 2^-10, msb 2^20, saturating, rounded once into fp32',
    notes: [
      'the width is an int32 register\'s: msb + 2 - lsb = 32 bits',
      'assumed: where the 32 bits sit for e4m3 × e4m3 products: msb 20 holds about 10 of the largest products (448² ≈ 2^17.6) before saturating, lsb -10 rounds products below 2^-11 to zero (rne onto the grid); move them with a config\'s own acc.fixed for other input scales',
      'assumed: exact products, saturation, the final rounding into fp32 with rne',
    ],
    config: {
      a: 'e4m3',
      w: 'e4m3',
      product: 'exact',
      acc: { fixed: { msb: 20, lsb: -10 }, overflow: 'saturate', out: 'fp32' },
      rounding: { input: 'rne', product: 'rne', acc: 'rne' },
    },
  },
  {
    name: 'ocp-fp8',
    summary: 'OCP FP8: e4m3 activations and weights, exact products, fp32 accumulation (rne)',
    notes: [
      'e4m3 is OCP E4M3FN (no inf, one NaN code, saturation, largest finite 448)',
      'for E5M2 inputs use the preset ocp-fp8-e5m2, or override "a"/"w" with "e5m2" (mixed e4m3 × e5m2 is allowed)',
      'assumed: products are exact (fused into the fp32 addition; e4m3 and e5m2 products fit fp32 exactly anyway)',
    ],
    config: { a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'fp32', rounding: { input: 'rne', product: 'rne', acc: 'rne' } },
  },
  {
    name: 'ocp-fp8-e5m2',
    summary: 'OCP FP8 with E5M2 activations and weights, exact products, fp32 accumulation (rne)',
    notes: ['e5m2 is OCP E5M2 (IEEE-style: inf and NaN)', 'assumed: products are exact (fused into the fp32 addition)'],
    config: { a: 'e5m2', w: 'e5m2', product: 'exact', acc: 'fp32', rounding: { input: 'rne', product: 'rne', acc: 'rne' } },
  },
  {
    name: 'fp16',
    summary: 'IEEE binary16 throughout: fp16 inputs, products rounded to fp16, fp16 accumulator, rne',
    notes: ['assumed: products are rounded to fp16 before the addition (not fused); override "product": "exact" for an FMA'],
    config: { a: 'fp16', w: 'fp16', product: 'fp16', acc: 'fp16', rounding: { input: 'rne', product: 'rne', acc: 'rne' } },
  },
  {
    name: 'bf16',
    summary: 'bfloat16 throughout: bf16 inputs, products rounded to bf16, bf16 accumulator, rne',
    notes: [
      'bf16 here is e8m7 with IEEE specials and subnormals (docs/arithmetic.md §1); many accelerators flush bf16 subnormals: override with "e8m7_ftz"',
      'assumed: products are rounded to bf16 before the addition; hardware that accumulates bf16 products in fp32 is { "preset": "bf16", "product": "exact", "acc": "fp32" }',
    ],
    config: { a: 'bf16', w: 'bf16', product: 'bf16', acc: 'bf16', rounding: { input: 'rne', product: 'rne', acc: 'rne' } },
  },
  {
    name: 'qtorch',
    summary: "QPyTorch float_quantize semantics (rna, subnormals, saturation, top exponent code normal) on the paper's formats: e4m3 inputs, e4m7 products and accumulator",
    notes: [
      'from QPyTorch: float_quantize rounds to nearest with ties away from zero (rna), keeps subnormals, has no inf/NaN codes (the top exponent code is a normal number: specials "none") and saturates on overflow; its bias is always 2^(exp-1)-1',
      'assumed: the formats are the paper\'s widths with the standard bias: inputs e4m3 (largest 480 with the top code normal), products and accumulator e4m7 (bias 7); every step rounds with rna',
    ],
    config: {
      a: qtorchFormat(4, 3),
      w: qtorchFormat(4, 3),
      product: qtorchFormat(4, 7),
      acc: qtorchFormat(4, 7),
      rounding: { input: 'rna', product: 'rna', acc: 'rna' },
    },
  },
];

export const PRESETS: Readonly<Record<string, Preset>> = Object.freeze(Object.fromEntries(LIST.map((p) => [p.name, p])));
export const PRESET_NAMES: readonly string[] = LIST.map((p) => p.name);

/** Config fields as written (before validation). */
export type RawConfig = Record<string, unknown> & { rounding?: Record<string, unknown> };

/** A config's fields over a preset's (null: none): any field overrides, and rounding merges by step. */
export function overPreset(name: string | null, over: RawConfig): RawConfig {
  const preset = name === null ? {} : (presetConfig(name) as RawConfig);
  return { ...preset, ...over, rounding: { ...(preset.rounding ?? {}), ...(over.rounding ?? {}) } };
}

/** A deep copy of a preset's config, safe to modify. */
export function presetConfig(name: string): PresetInput {
  const p = PRESETS[name];
  if (!p) throw new LbamacError(`unknown preset "${name}"; expected one of ${PRESET_NAMES.join(', ')}`);
  return structuredClone(p.config) as PresetInput;
}
