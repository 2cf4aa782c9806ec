// `lbamac sim`: one job (given or random) on the cycle simulator; prints cycles, utilization and
// the events, overall and per PE, optionally the per-cycle port trace and a VCD file.
import type { CommandModule } from 'yargs';
import { EVENT_NAMES, type EventCounts } from '../../core/events.js';
import { LbamacError } from '../../core/errors.js';
import { buildArch } from '../../arch/build.js';
import { latencyCycles } from '../../arch/schedule.js';
import { type Arch, FLAG_NAMES, type PortDesc } from '../../arch/types.js';
import type { ArrayConfig } from '../../config/resolve.js';
import { configSummary } from '../../config/summary.js';
import { ENGINES } from '../../engine/index.js';
import { loadConfig } from '../../engine/job.js';
import { simulate, type PortValues, type SimResult } from '../../sim/simulate.js';
import { randomJob } from '../../sim/stimulus.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { type JobInputArgs, jobInputOptions, loadGivenJob } from '../job-input.js';
import { checkOutputFile } from '../../util/output-path.js';
import { messages } from '../messages.js';
import { SEED_RANGE, wholeNumber } from '../options.js';
import { runProgress } from '../progress.js';
import { renderTable } from '../table.js';

interface Args extends JobInputArgs {
  config: string;
  a?: string;
  b?: string;
  c?: string;
  m?: number;
  k?: number;
  n?: number;
  seed?: number;
  vcd?: string;
  trace: boolean;
}

/** Arrays with more PEs than this get totals only (a 32×32 table still fits a wide terminal). */
export const PE_TABLE_LIMIT = 1024;

const M = messages.sim;

export const simCommand: CommandModule<object, Args> = {
  command: M.command,
  describe: M.describe,
  builder: (y) =>
    y
      .usage(M.usage)
      .options({
        config: { type: 'string', demandOption: true, requiresArg: true, describe: M.config },
        a: { type: 'string', requiresArg: true, describe: M.a },
        b: { type: 'string', requiresArg: true, describe: M.b },
        c: { type: 'string', requiresArg: true, describe: M.c },
        ...jobInputOptions,
        m: { requiresArg: true, coerce: wholeNumber('m', 1), describe: M.m },
        k: { requiresArg: true, coerce: wholeNumber('k', 1), describe: M.k },
        n: { requiresArg: true, coerce: wholeNumber('n', 1), describe: M.n },
        seed: { requiresArg: true, coerce: wholeNumber('seed', SEED_RANGE.min, SEED_RANGE.max), describe: M.seed },
        vcd: { type: 'string', requiresArg: true, describe: M.vcd },
        trace: { type: 'boolean', default: false, describe: M.trace },
      })
      .check(checkGivenJob)
      .conflicts('a', ['m', 'k', 'n', 'seed'])
      .example(M.examples),
  handler: async (args) => {
    if (args.vcd !== undefined) checkOutputFile(args.vcd);
    let jobText: string;
    let cfg: ArrayConfig;
    let arch: Arch;
    let job: { A: number[][]; B: number[][]; C?: number[][] };
    if (args.a !== undefined && args.b !== undefined) {
      const loaded = await loadGivenJob({ configPath: args.config, aPath: args.a, bPath: args.b, ...(args.c === undefined ? {} : { cPath: args.c }) }, args);
      cfg = loaded.cfg;
      arch = buildArch(cfg);
      job = loaded;
      jobText = M.givenJob(args.a, args.b, args.c);
    } else {
      cfg = await loadConfig(args.config);
      arch = buildArch(cfg);
      const seed = args.seed ?? 1;
      // Twice the array's depth in terms: a dot-product cell's every lane takes part.
      job = randomJob(arch, { M: args.m ?? arch.rows, K: args.k ?? 2 * arch.rows * (arch.dot?.lanes ?? 1), N: args.n ?? arch.cols }, seed);
      jobText = M.randomJob(seed);
    }
    const vcdChunks: string[] = [];
    const trace = args.trace ? new PortTrace(arch) : null;
    const total = latencyCycles(arch, { M: job.A.length, K: job.B.length, N: job.B[0]!.length, hasC: job.C !== undefined });
    const progress = runProgress(messages.progress.engine('sim', ENGINES.sim!.steps!));
    const result = simulate(arch, job, {
      onCycle: (x: number, ports: PortValues) => {
        trace?.line(x, ports);
        progress.step(Math.min(x + 1, total), total);
      },
      ...(args.vcd === undefined ? {} : { vcd: { write: (text: string) => vcdChunks.push(text) } }),
    });
    progress.stop();
    let text = trace === null ? '' : trace.text() + '\n';
    text += summary(arch, cfg, result, `${job.A.length}×${job.B.length} · ${job.B.length}×${job.B[0]!.length}, ${jobText}`);
    if (args.vcd !== undefined) {
      await writeFileAtomic(args.vcd, vcdChunks.join(''));
      text += M.wroteVcd(args.vcd) + '\n';
    }
    process.stdout.write(text);
  },
};

/** A given job is A and B (C optional); yargs' `implies` would only say "Implications failed: a -> b". */
function checkGivenJob(args: { a?: string; b?: string; c?: string } & JobInputArgs): true {
  if (args.a !== undefined && args.b === undefined) throw new LbamacError(M.incompleteJob('--a', '--b'));
  if (args.b !== undefined && args.a === undefined) throw new LbamacError(M.incompleteJob('--b', '--a'));
  if (args.c !== undefined && args.a === undefined) throw new LbamacError(M.incompleteJob('--c', '--a and --b'));
  if (args['b-layout'] !== undefined && args.b === undefined) throw new LbamacError(M.incompleteJob('--b-layout', '--a and --b'));
  if (args.prune !== undefined && args.b === undefined) throw new LbamacError(M.incompleteJob('--prune', '--a and --b'));
  return true;
}

function summary(arch: Arch, cfg: ArrayConfig, r: SimResult, job: string): string {
  const L = M.labels;
  const pes = arch.rows * arch.cols;
  let out = renderTable([
    [L.array, configSummary(cfg)],
    [L.job, job],
    [L.cycles, `${r.cycles}  ${M.cyclesNote(arch.timing.cyclesFormula)}`],
    [L.utilization, `${(100 * r.utilization).toFixed(1)}%  ${M.utilizationNote(r.usefulTerms, pes, r.cycles, arch.dot?.lanes ?? 1)}`],
  ]);
  const rows = EVENT_NAMES.map((name) => {
    let counting = 0;
    let most = 0;
    for (const row of r.perPE) {
      for (const e of row) {
        if (e[name] > 0) counting++;
        most = Math.max(most, e[name]);
      }
    }
    return [name, String(r.events[name]), String(counting), String(most)];
  });
  out += '\n' + renderTable([[L.events, L.total, L.pes, L.max], ...rows]);
  if (pes > PE_TABLE_LIMIT) return out + '\n' + M.peTablesOmitted(pes, PE_TABLE_LIMIT) + '\n';
  out += '\n' + M.peTermsTitle(arch.dot?.lanes ?? 1) + '\n' + peTable(r.peTerms);
  if (r.flags !== null) out += '\n' + M.peFlagsTitle + '\n' + peTable(r.flags.map((row) => row.map(flagLetters)));
  for (const name of EVENT_NAMES) {
    if (r.events[name] === 0) continue;
    out += '\n' + M.peEventTitle(name) + '\n' + peTable(r.perPE.map((row) => row.map((e: EventCounts) => e[name])));
  }
  return out;
}

/** The sticky flags as letters in FLAG_NAMES order, a dot for each one clear. */
function flagLetters(bits: number): string {
  return FLAG_NAMES.map((name, i) => (bits & (1 << i) ? FLAG_LETTER[name] : '.')).join('');
}

const FLAG_LETTER: Record<(typeof FLAG_NAMES)[number], string> = { inexact: 'i', overflow: 'o', underflow: 'u', invalid: 'v', swamping: 's' };

function peTable(m: (number | string)[][]): string {
  const header = ['', ...m[0]!.map((_, j) => `c${j}`)];
  return renderTable([header, ...m.map((row, i) => [`r${i}`, ...row.map(String)])]);
}

/**
 * The per-cycle port trace: a header naming every signal port of the top with its shape, then one
 * line per cycle. A port prints as its elements in index order (element 0 first), each in hex
 * zero-padded to the element width, separated by commas; arch/types.ts PortDesc says what an
 * element index counts. Column widths are fixed by the ports, so lines are written as they come.
 */
export class PortTrace {
  private readonly ports: PortDesc[];
  private readonly widths: number[];
  private readonly lines: string[] = [];

  constructor(arch: Arch) {
    this.ports = arch.ports.filter((p) => p.kind === 'signal');
    const heads = ['cycle', ...this.ports.map((p) => (p.count === 1 ? p.name : `${p.name}[${p.count}x${p.elemWidth}]`))];
    this.widths = heads.map((h, i) => (i === 0 ? Math.max(h.length, 6) : Math.max(h.length, this.ports[i - 1]!.count * (digits(this.ports[i - 1]!.elemWidth) + 1) - 1)));
    this.push(heads);
  }

  line(x: number, values: PortValues): void {
    const cells = [String(x)];
    for (const p of this.ports) {
      const v = values[p.name]!;
      const d = digits(p.elemWidth);
      let s = '';
      for (let e = 0; e < p.count; e++) s += (e === 0 ? '' : ',') + v[e]!.toString(16).padStart(d, '0');
      cells.push(s);
    }
    this.push(cells);
  }

  text(): string {
    return this.lines.join('\n') + '\n';
  }

  private push(cells: string[]): void {
    this.lines.push(cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(this.widths[i]!))).join('  '));
  }
}

function digits(bits: number): number {
  return Math.ceil(bits / 4);
}
