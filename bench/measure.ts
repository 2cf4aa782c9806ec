// Side-by-side timing: variants run interleaved, several rounds, median rate kept, so a noisy
// machine slows every variant alike and the ratios stay meaningful.

export interface Variant {
  name: string;
  /** Runs `ops` operations and returns something derived from the results (kept live). */
  run: (ops: number) => number;
}

export interface Rate {
  name: string;
  opsPerSecond: number;
}

export function measure(variants: readonly Variant[], ops: number, rounds = 7): Rate[] {
  for (const v of variants) v.run(Math.min(ops, 100_000)); // warm-up: let the JIT settle
  const rates = variants.map(() => [] as number[]);
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    variants.forEach((v, i) => {
      const t0 = process.hrtime.bigint();
      sink += v.run(ops);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      rates[i]!.push(ops / seconds);
    });
  }
  if (Number.isNaN(sink)) process.stdout.write(''); // keeps results observable to the optimizer
  return variants.map((v, i) => ({ name: v.name, opsPerSecond: median(rates[i]!) }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function formatRate(x: number): string {
  return x >= 1e9 ? `${(x / 1e9).toFixed(2)} G/s` : x >= 1e6 ? `${(x / 1e6).toFixed(1)} M/s` : `${(x / 1e3).toFixed(1)} k/s`;
}
