// A small seeded PRNG (xoshiro128**, seeded through splitmix32) and the distributions the
// synthetic workloads draw from. Same seed, same numbers, on every machine: only 32-bit integer
// operations and float64 arithmetic whose results IEEE 754 fixes (Math.log, sqrt, cos and sin are
// V8's deterministic implementations).

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return result;
  }

  /** Uniform in (0, 1), 53 random bits, never 0 or 1. */
  uniform(): number {
    const hi = this.nextU32() >>> 6; // 26 bits
    const lo = this.nextU32() >>> 5; // 27 bits
    return (hi * 134217728 + lo + 0.5) / 9007199254740992;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box-Muller, both values used). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Laplace with scale 1 (variance 2), by the inverse CDF. */
  laplace(): number {
    const u = this.uniform() - 0.5;
    return u < 0 ? Math.log(1 + 2 * u) : -Math.log(1 - 2 * u);
  }

  /** Student's t with nu degrees of freedom (nu a positive integer): Z / sqrt(chi²_nu / nu). */
  studentT(nu: number): number {
    const z = this.normal();
    let chi2 = 0;
    for (let i = 0; i < nu; i++) {
      const g = this.normal();
      chi2 += g * g;
    }
    return z / Math.sqrt(chi2 / nu);
  }

  /** Fisher-Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
