// The dot-product cell's two parameters (docs/arithmetic.md §3, "Dot-product cells"): how many
// products it adds per step (lanes, G) and how wide its aligned adder is (alignBits, W). Which
// accumulation a configuration takes is decided here, once, for the core, the golden model and
// the sweeps; the texts users see about lanes are here too.

/** The lane counts a cell may have: powers of two, as the multi-term adders built use. */
export const LANES = [1, 2, 4, 8, 16, 32] as const;

/** alignBits as a number: at least the one bit of the largest term; at most a width no format with
 *  a default bias needs (an exact product of two fp32s spans under 600 bits). "exact" is wider
 *  still: every bit of every term. */
export const ALIGN_BITS = { min: 1, max: 1024 } as const;

export type AlignBits = number | 'exact';

/** A cell that adds `lanes` products to the accumulator per step, each term truncated to the grid of
 *  an `alignBits`-bit window below the largest one's leading bit. */
export interface DotCell {
  lanes: number;
  alignBits: AlignBits;
}

/** The configuration's dot-product cell, or null for the fused or rounded multiply-add cell of §3:
 *  one lane whose adder keeps every bit is that cell, so it keeps its own (faster) kernels. */
export function dotCellOf(cfg: { lanes?: number; alignBits?: AlignBits }): DotCell | null {
  const lanes = cfg.lanes ?? 1;
  const alignBits = cfg.alignBits ?? 'exact';
  return lanes === 1 && alignBits === 'exact' ? null : { lanes, alignBits };
}

export const laneMessages = {
  chunkNotMultiple: (where: string, chunk: number, lanes: number) =>
    `${where}.chunk = ${chunk} is not a multiple of lanes = ${lanes}: a chunk closes after whole steps of ${lanes} terms; ` +
    `use a multiple of ${lanes} (${lanes}, ${2 * lanes}, ${3 * lanes}, ...)`,
  noStages: (cell: DotCell, stages: number, max: number) =>
    `array: pipeline.stages = ${stages} is not yet allowed with lanes = ${cell.lanes} and alignBits = ${JSON.stringify(cell.alignBits)} (a dot-product cell): ` +
    (max === 0
      ? 'its products are exact, and the array has no pipeline cut inside a fused dot-product cell yet; set pipeline.stages to 0'
      : `the array cuts a dot-product cell only after its multipliers (one stage); set pipeline.stages to 0 or ${max}`) +
    ', or compute it with --engine core or --engine golden',
  withFixed: (where: string, cell: DotCell) =>
    `${where}: lanes = ${cell.lanes} and alignBits = ${JSON.stringify(cell.alignBits)} (a dot-product cell) cannot feed a fixed-point accumulator: ` +
    'its register adds each product exactly onto its grid, one at a time; use lanes 1 with a fixed-point acc, or a float acc with the dot-product cell',
  noArea: (where: string, why: string, provider: string) =>
    `${where}: the area provider "${provider}" cannot synthesize this dot-product cell's PE: ${why}; set "area": false on the block (its accuracy is still computed)`,
};
