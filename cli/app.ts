// The command line: yargs wiring and the error policy. A user error (LbamacError, bad usage)
// prints one "lbamac: …" message and exits 1; anything else is a bug: stack trace, exit 2.
import yargs from 'yargs';
import { LbamacError } from '../core/errors.js';
import { describeCommand } from './commands/describe.js';
import { formatsCommand } from './commands/formats.js';
import { gemmCommand } from './commands/gemm.js';
import { mergeCommand } from './commands/merge.js';
import { presetsCommand } from './commands/presets.js';
import { genCommand } from './commands/gen.js';
import { schemaCommand } from './commands/schema.js';
import { sweepCommand } from './commands/sweep.js';
import { simCommand } from './commands/sim.js';
import { synthCommand } from './commands/synth.js';
import { verifyCommand } from './commands/verify.js';
import { messages, PROGRAM } from './messages.js';
import { packageInfo } from '../util/package-root.js';

/** Bad options or arguments (and the usage text, when it is the answer). */
class UsageError extends Error {
  constructor(
    message: string,
    /** The usage text to print first, or '' for none. */
    readonly usage: string,
    readonly command: string | null,
  ) {
    super(message);
  }
}

/** Runs the CLI on argv (without node and the script) and returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const parser = yargs(argv)
    .scriptName(PROGRAM)
    .usage(messages.usage)
    .command(formatsCommand)
    .command(gemmCommand)
    .command(genCommand)
    .command(describeCommand)
    .command(simCommand)
    .command(synthCommand)
    .command(verifyCommand)
    .command(schemaCommand)
    .command(sweepCommand)
    .command(mergeCommand)
    .command(presetsCommand)
    .demandCommand(1, messages.needCommand)
    .strict()
    .recommendCommands()
    .version(packageInfo().version)
    .alias('help', 'h')
    .epilogue(messages.epilogue)
    .wrap(Math.min(110, process.stdout.columns || 110))
    // Exit codes are ours to set: yargs must neither exit nor print errors itself.
    .exitProcess(false)
    .fail((message, err, y) => {
      // An option value rejected by cli/options.ts comes back wrapped in a YError; its message
      // already names the option, the value and what is allowed, so the help text would only bury it.
      if (err?.name === 'YError') throw new LbamacError(err.message);
      if (err) throw err;
      // Without a command the usage is the answer; a command's bad options get one line and a
      // pointer to its help (a page of help above it would bury the line).
      let usage = '';
      if (message === messages.needCommand) y.showHelp((text) => (usage = text));
      const command = argv.find((a) => !a.startsWith('-'));
      const conflict = /^Arguments (\S+) and (\S+) are mutually exclusive$/.exec(message);
      throw new UsageError(conflict ? messages.conflict(conflict[1]!, conflict[2]!) : message, usage, command ?? null);
    });
  try {
    await parser.parseAsync();
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(messages.usageError(err.usage, err.message, err.command) + '\n');
      return 1;
    }
    if (err instanceof LbamacError) {
      process.stderr.write(messages.userError(err.message) + '\n');
      return 1;
    }
    process.stderr.write(messages.internalError(err instanceof Error ? (err.stack ?? err.message) : String(err)) + '\n');
    return 2;
  }
}
