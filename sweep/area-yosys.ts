// Area from real synthesis: the PE of a point's configuration, synthesized alone (flattened) by
// Yosys for one target, cached on disk per configuration (synth/, docs/synthesis.md). Registered
// in area.ts as "yosys-gates" (technology-independent gates+FFs) and "yosys-ice40" (LUT4s).
// Yosys runs on threads of the provider's own (synth-threads.ts), never in the caller's thread.
import { availableParallelism } from 'node:os';
import type { ArrayConfig } from '../config/resolve.js';
import { defaultCacheDir } from '../synth/cache.js';
import type { Target } from '../synth/targets.js';
import type { AreaProvider, AreaResult } from './area.js';
import { canonicalConfig } from '../config/canonical.js';
import { SynthThreads } from './synth-threads.js';

export class YosysAreaProvider implements AreaProvider {
  readonly name: string;
  private readonly threads: SynthThreads;

  /** cacheDir null: no disk cache (every call synthesizes). */
  constructor(
    readonly target: Target,
    private readonly cacheDir: string | null = defaultCacheDir(),
    threads = availableParallelism(),
  ) {
    this.name = `yosys-${target}`;
    this.threads = new SynthThreads(threads);
  }

  async areaPerPE(cfg: ArrayConfig): Promise<AreaResult> {
    const r = await this.threads.synthesizePe(canonicalConfig(cfg), this.target, this.cacheDir);
    const detail: Record<string, number> = {};
    for (const [category, n] of Object.entries(r.resources.counts)) if (n > 0) detail[category] = n;
    if (r.depth !== null) detail.depth = r.depth;
    detail.synthSeconds = Math.round(r.seconds * 10) / 10;
    return { perPE: r.area, unit: r.unit, source: `yosys ${r.yosys} ${this.target}`, detail };
  }

  close(): Promise<void> {
    return this.threads.close();
  }
}
