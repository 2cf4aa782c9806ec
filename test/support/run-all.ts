// Runs independent tool commands (lint, compile) two at a time: the tests' machines have 2 cores,
// and one verilator --lint-only or iverilog process keeps only one of them busy.
import { spawn } from 'node:child_process';

export interface CommandResult {
  label: string;
  status: number | null;
  /** stdout and stderr together, trimmed. */
  text: string;
}

/** Runs the commands, at most `parallel` at once; resolves with each one's outcome, in order. */
export async function runAll(cmds: readonly { args: readonly string[]; label: string }[], parallel = 2): Promise<CommandResult[]> {
  const results: CommandResult[] = new Array(cmds.length);
  let next = 0;
  const worker = async () => {
    while (next < cmds.length) {
      const k = next++;
      const c = cmds[k]!;
      results[k] = await new Promise((resolve) => {
        const p = spawn(c.args[0]!, c.args.slice(1));
        let text = '';
        p.stdout.on('data', (d) => (text += d));
        p.stderr.on('data', (d) => (text += d));
        p.on('error', (e) => resolve({ label: c.label, status: null, text: `${e.message}\n${text}`.trim() }));
        p.on('close', (status) => resolve({ label: c.label, status, text: text.trim() }));
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}
