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

/** Hears how far a run is: `done` of `total` steps of the engine's own kind. */
export type OnStep = (done: number, total: number) => void;

export interface Engine {
  /** One line for --help. */
  description: string;
  /** What the engine's steps are (progress lines count them), or null if it reports none. */
  steps: string | null;
  run(job: Job, onStep?: OnStep): Promise<EngineResult>;
}

export const ENGINES: Readonly<Record<string, Engine>> = {
  golden: { description: 'exact BigInt reference model', steps: 'rows', run: async (j, onStep) => (await import('../golden/gemm.js')).goldenGemm(j.cfg, j.A, j.B, j.C, onStep) },
  core: { description: 'bit-exact integer-level core with compiled fast paths', steps: 'rows', run: async (j, onStep) => (await import('../core/gemm.js')).coreGemm(j.cfg, j.A, j.B, j.C, onStep) },
  sim: {
    description: 'cycle-accurate simulator of the configured array (adds cycles, utilization and per-PE counts)',
    steps: 'cycles',
    run: async (j, onStep) => {
      const { simGemm, simCycles } = await import('../sim/api.js');
      const total = simCycles(j.cfg, j);
      const r = simGemm(j.cfg, j.A, j.B, j.C, onStep === undefined ? {} : { onCycle: (x) => onStep(Math.min(x + 1, total), total) });
      return { D: r.D, events: r.events, cycles: r.cycles, array: { utilization: r.utilization, peTerms: r.peTerms, perPE: r.perPE } };
    },
  },
  verilator: {
    description: 'the generated Verilog, built with Verilator (cached) and driven by the simulator\'s schedule; events as the simulator counts them',
    steps: null,
    run: async (j) => (await import('../cosim/gemm.js')).verilatorGemm(j.cfg, j.A, j.B, j.C),
  },
};

export const DEFAULT_ENGINE = 'core';

export async function runEngine(name: string, job: Job, onStep?: OnStep): Promise<GemmOutput> {
  const engine = ENGINES[name];
  if (!engine) throw new LbamacError(jobMessages.unknownEngine(name, Object.keys(ENGINES)));
  return toGemmOutput(name, job.cfg, await engine.run(job, onStep), job.conversions);
}

export type { GemmOutput };
