// The engine registry: every way of computing D = A·B + C behind one signature, so the CLI,
// sweeps and tests pick an engine by name. Adding an engine is one entry in ENGINES. Engines are
// loaded on first use: the CLI only pays for the one it runs.
import { LbamacError } from '../core/errors.js';
import type { EventCounts } from '../core/events.js';
import type { Job } from './job.js';
import { jobMessages } from './messages.js';
import { type GemmOutput, toGemmOutput } from './output.js';

/** What an engine returns: D as codes of outputFormat(cfg); cycles and array only from cycle-level engines. */
export interface EngineResult {
  D: number[][];
  events: EventCounts;
  cycles?: number;
  array?: ArrayActivity;
}

/** How busy a cycle-level engine's array was, PE by PE (rows × cols matrices). */
export interface ArrayActivity {
  /** Useful multiply-adds / (PEs · cycles). */
  utilization: number;
  /** Useful multiply-adds done by each PE. */
  peTerms: number[][];
  /** Events counted in each PE. */
  perPE: EventCounts[][];
}

export interface Engine {
  /** One line for --help. */
  description: string;
  run(job: Job): Promise<EngineResult>;
}

export const ENGINES: Readonly<Record<string, Engine>> = {
  golden: { description: 'exact BigInt reference model', run: async (j) => (await import('../golden/gemm.js')).goldenGemm(j.cfg, j.A, j.B, j.C) },
  core: { description: 'bit-exact integer-level core with compiled fast paths', run: async (j) => (await import('../core/gemm.js')).coreGemm(j.cfg, j.A, j.B, j.C) },
  sim: {
    description: 'cycle-accurate simulator of the configured array (adds cycles, utilization and per-PE counts)',
    run: async (j) => {
      const r = (await import('../sim/api.js')).simGemm(j.cfg, j.A, j.B, j.C);
      return { D: r.D, events: r.events, cycles: r.cycles, array: { utilization: r.utilization, peTerms: r.peTerms, perPE: r.perPE } };
    },
  },
  verilator: {
    description: 'the generated Verilog, built with Verilator (cached) and driven by the simulator\'s schedule; events as the simulator counts them',
    run: async (j) => (await import('../cosim/gemm.js')).verilatorGemm(j.cfg, j.A, j.B, j.C),
  },
};

export const DEFAULT_ENGINE = 'core';

export async function runEngine(name: string, job: Job): Promise<GemmOutput> {
  const engine = ENGINES[name];
  if (!engine) throw new LbamacError(jobMessages.unknownEngine(name, Object.keys(ENGINES)));
  return toGemmOutput(name, job.cfg, await engine.run(job), job.conversions);
}

export type { GemmOutput };
