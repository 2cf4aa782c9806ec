// The random stream of stochastic rounding (`rsr`, docs/arithmetic.md §2): what R-bit integer each
// rounding draws. One definition, used by the core, the golden model and the simulator's draw
// units, and written as Verilog by rtl-gen/lib/threefry.ts.
//
// The stream is counter-based: a draw is a function of where its rounding sits in the contract of
// §3 (output row i, output column j, term t, and which of the term's roundings it is), computed by
// a keyed permutation, never a generator state advanced per draw. So the golden model needs neither
// the array's shape nor its dataflow, a loop may skip a term that rounds nothing, and a PE draws
// exactly the golden model's bits if it knows i, j and t (the array carries them with the operands).
//
// The permutation is Threefry-2x32 with 13 rounds (Salmon et al., "Parallel random numbers: as easy
// as 1, 2, 3", SC 2011; the 13-round variant is one of Random123's known-answer tests, checked in
// test/core/random-stream.test.ts). It is additions, rotations and XORs on 32-bit words, which
// hardware builds without multipliers.
/** R, the random bits of one draw: the spec's range. */
export const RANDOM_BITS = { min: 1, max: 32 } as const;

/** The seed is one 32-bit key word. */
export const SEED = { min: 0, max: 2 ** 32 - 1 } as const;

/** Rounds of Threefry-2x32 per block. */
export const THREEFRY_ROUNDS = 13;

/** Threefry's rotation distances for 2 words of 32 bits, used in turn, and its key-schedule parity. */
export const THREEFRY_ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24] as const;
export const THREEFRY_PARITY = 0x1bd11bda;

/** Which rounding of a term draws: its product, its accumulator addition (or fused multiply-add),
 *  or the chunk-total addition that closes a chunk after it. */
export type DrawKind = 'product' | 'acc' | 'total';

/**
 * Where each kind's draw comes from: the block keyed by the seed (a term's two roundings take its
 * two words) or by the seed's complement (the chunk total), and the word. Exported for the RTL.
 */
export const DRAW_SOURCE: Record<DrawKind, { invertSeed: boolean; word: 0 | 1 }> = {
  product: { invertSeed: false, word: 0 },
  acc: { invertSeed: false, word: 1 },
  total: { invertSeed: true, word: 0 },
};

const BLOCK = new Uint32Array(2);

function keyWord(n: number, k0: number, k1: number, ks2: number): number {
  return n === 0 ? k0 : n === 1 ? k1 : ks2;
}

/** Threefry-2x32 of counter (c0, c1) under key (k0, k1), `rounds` rounds; the block in BLOCK. */
function threefry(c0: number, c1: number, k0: number, k1: number, rounds: number): void {
  const ks2 = (THREEFRY_PARITY ^ k0 ^ k1) >>> 0;
  let x0 = (c0 + k0) >>> 0;
  let x1 = (c1 + k1) >>> 0;
  for (let r = 0; r < rounds; r++) {
    x0 = (x0 + x1) >>> 0;
    const d = THREEFRY_ROTATIONS[r % 8]!;
    x1 = (((x1 << d) | (x1 >>> (32 - d))) ^ x0) >>> 0;
    if (r % 4 === 3) {
      // Key injection s after every fourth round: the key words in turn, and s itself.
      const s = (r + 1) / 4;
      x0 = (x0 + keyWord(s % 3, k0, k1, ks2)) >>> 0;
      x1 = (x1 + keyWord((s + 1) % 3, k0, k1, ks2) + s) >>> 0;
    }
  }
  BLOCK[0] = x0;
  BLOCK[1] = x1;
}

/** The two words of Threefry-2x32 (counter, key, rounds): for the known-answer tests. */
export function threefry2x32(counter: readonly [number, number], key: readonly [number, number], rounds = THREEFRY_ROUNDS): [number, number] {
  threefry(counter[0] >>> 0, counter[1] >>> 0, key[0] >>> 0, key[1] >>> 0, rounds);
  return [BLOCK[0]!, BLOCK[1]!];
}

/** The stream's parameters: R random bits per draw and the seed. */
export interface RandomSpec {
  bits: number;
  seed: number;
}

/**
 * The draw of kind `kind` for term t of output (i, j): the top R bits of the word DRAW_SOURCE names
 * of the block with counter (t, i) and key (seed or its complement, j). Indices are taken modulo
 * 2^32.
 */
export function draw(spec: RandomSpec, kind: DrawKind, i: number, j: number, t: number): number {
  const src = DRAW_SOURCE[kind];
  threefry(t >>> 0, i >>> 0, src.invertSeed ? ~spec.seed >>> 0 : spec.seed >>> 0, j >>> 0, THREEFRY_ROUNDS);
  return BLOCK[src.word]! >>> (32 - spec.bits);
}

/** A draw r of R bits as the fraction r / 2^R in [0, 1): what the core's rounding adds (exact in a
 *  float64, R ≤ 32). */
export function drawFraction(spec: RandomSpec, kind: DrawKind, i: number, j: number, t: number): number {
  return draw(spec, kind, i, j, t) / 2 ** spec.bits;
}

/** Every message a user sees about stochastic rounding, in one place. */
export const rsrMessages = {
  noBits: (where: string, step: string) =>
    `${where}.rounding.${step} = "rsr" needs ${where}.rounding.randomBits, the random bits R of each draw: an integer from ${RANDOM_BITS.min} to ${RANDOM_BITS.max}; it is not set`,
  unused: (where: string, key: string) =>
    `${where}.rounding.${key} is set but no step of the configuration rounds with "rsr" (a product rounding counts only with a product format, a chunk total only with chunk); remove it or use "rsr"`,
  fixed: (where: string, label: string) =>
    `${where}.rounding: "rsr" is not implemented for the fixed-point accumulator ${label}; use rne, rna, rtz, rdn, rup or rod, or a float accumulator`,
  lanes: (where: string) =>
    `${where}.rounding: "rsr" is not implemented for dot-product cells (lanes above 1 or a finite alignBits); use rne, rna, rtz, rdn, rup or rod, or lanes 1 with alignBits "exact"`,
  cutAdder: (stages: number, most: number) =>
    `array: pipeline.stages = ${stages} cuts the accumulator adder, whose first half rounds to odd with two bits below the accumulator's last one; ` +
    `rounding.acc = "rsr" needs the R bits below it, so it is not built with that cut; use pipeline.stages = 0..${most}, or compute D with --engine core or --engine golden`,
};
