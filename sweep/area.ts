// The area seam. A sweep asks its area provider for the area of one PE of each point's
// configuration; the provider named "none" (the default) knows nothing and returns null, and the
// sweep then plots accuracy against accumulator width instead of area.
//
// The synthesis issue plugs Yosys in here: implement AreaProvider (run the RTL generator and
// Yosys on the config, cache by config hash and Yosys version), then
//   registerAreaProvider('yosys-gates', () => new YosysAreaProvider('gates'));
// and a sweep config selects it with "area": "yosys-gates". The runner calls areaPerPE once per
// distinct configuration, in the main thread, and stores the result in each point's `area`.
import { LbamacError } from '../core/errors.js';
import type { ArrayConfig } from '../config/resolve.js';

export interface AreaResult {
  /** Area of one PE in `unit`: what the Pareto plot puts on its x axis. */
  perPE: number;
  /** e.g. "gates" (technology-independent, after ABC), "LUT4", "um2". */
  unit: string;
  /** Which tool and target produced it, e.g. "yosys 0.55 synth_ice40". */
  source: string;
  /** Optional breakdown (LUTs, FFs, carry cells, DSPs, logic depth, ...). */
  detail?: Record<string, number>;
}

export interface AreaProvider {
  readonly name: string;
  /** Area per PE of this configuration, or null when the provider cannot tell. */
  areaPerPE(cfg: ArrayConfig): Promise<AreaResult | null>;
}

/** The default: no area. */
export class NoArea implements AreaProvider {
  readonly name = 'none';
  async areaPerPE(_cfg: ArrayConfig): Promise<AreaResult | null> {
    return null;
  }
}

const registry = new Map<string, () => AreaProvider>([['none', () => new NoArea()]]);

export function registerAreaProvider(name: string, make: () => AreaProvider): void {
  registry.set(name, make);
}

export function areaProvider(name: string): AreaProvider {
  const make = registry.get(name);
  if (!make) throw new LbamacError(`unknown area provider "${name}"; available: ${[...registry.keys()].join(', ')}`);
  return make();
}
