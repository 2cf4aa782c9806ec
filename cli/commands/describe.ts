// `lbamac describe`: the architecture description a config builds (the one the simulator compiles
// and the Verilog generator emits), as text or JSON, and optionally the simulator's generated code
// (JavaScript, WebAssembly text).
import type { CommandModule } from 'yargs';
import { buildArch } from '../../arch/build.js';
import { LbamacError } from '../../core/errors.js';
import { describeArch } from '../../arch/describe.js';
import { loadConfig } from '../../engine/job.js';
import { stepSource, stepWat } from '../../sim/compile.js';
import { messages } from '../messages.js';

interface Args {
  config: string;
  json: boolean;
  js: boolean;
  wasm: boolean;
}

export const describeCommand: CommandModule<object, Args> = {
  command: messages.describe.command,
  describe: messages.describe.describe,
  builder: (y) =>
    y
      .usage(messages.describe.usage)
      .options({
        config: { type: 'string', demandOption: true, requiresArg: true, describe: messages.describe.config },
        json: { type: 'boolean', default: false, describe: messages.describe.json },
        js: { type: 'boolean', default: false, describe: messages.describe.js },
        wasm: { type: 'boolean', default: false, describe: messages.describe.wasm },
      })
      .example(messages.describe.examples),
  handler: async (args) => {
    // --json prints the description alone, so that it parses.
    if (args.json && (args.js || args.wasm)) throw new LbamacError(messages.conflict('json', args.wasm ? 'wasm' : 'js'));
    const arch = buildArch(await loadConfig(args.config));
    if (args.json) process.stdout.write(JSON.stringify(arch, null, 2) + '\n');
    else process.stdout.write(describeArch(arch));
    if (args.js) process.stdout.write(`\n// The simulator's step function (sim/compile.ts):\n${stepSource(arch)}\n`);
    if (args.wasm) {
      const wat = stepWat(arch);
      process.stdout.write(wat === null ? `\n;; ${messages.describe.noWasm}\n` : `\n;; The simulator's step as WebAssembly (sim/wasm/step-wat.ts):\n${wat}\n`);
    }
  },
};
