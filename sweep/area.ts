// The area seam. A sweep asks its area provider for the area of one PE of each point's
// configuration; the provider named "none" (the default) knows nothing and returns null, and the
// sweep then plots accuracy against accumulator width instead of area.
//
// Yosys plugs in here (area-yosys.ts, docs/synthesis.md): "yosys-gates" and "yosys-ice40"
// synthesize each configuration's PE and cache the result; a sweep config selects one with
// "area": "yosys-gates", and each block may opt out ("area": false) so that a sweep synthesizes a
// representative subset. The runner asks areaPerPE once per distinct configuration that wants
// area, all up front and concurrently with the points (a provider must not block the calling
// thread: the Yosys ones synthesize on threads of their own), and stores the result in each
// point's `area`; points whose configuration wants none keep area null.
import { LbamacError } from '../core/errors.js';
import type { ArrayConfig } from '../config/resolve.js';
import { YosysAreaProvider } from './area-yosys.js';

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
  /** Frees what the provider holds (e.g. its synthesis threads); the runner calls it when the sweep ends. */
  close?(): Promise<void>;
}

/** The default: no area. */
export class NoArea implements AreaProvider {
  readonly name = 'none';
  async areaPerPE(_cfg: ArrayConfig): Promise<AreaResult | null> {
    return null;
  }
}

const registry = new Map<string, () => AreaProvider>([
  ['none', () => new NoArea()],
  ['yosys-gates', () => new YosysAreaProvider('gates')],
  ['yosys-ice40', () => new YosysAreaProvider('ice40')],
]);

export function registerAreaProvider(name: string, make: () => AreaProvider): void {
  registry.set(name, make);
}

export function areaProvider(name: string): AreaProvider {
  const make = registry.get(name);
  if (!make) throw new LbamacError(`unknown area provider "${name}"; available: ${[...registry.keys()].join(', ')}`);
  return make();
}
