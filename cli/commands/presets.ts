// `lbamac presets [name]`: the named presets, where each comes from and what is assumed.
import type { CommandModule } from 'yargs';
import { presetConfig, PRESET_NAMES, PRESETS } from '../../config/presets.js';
import { LbamacError } from '../../core/errors.js';
import { messages } from '../messages.js';

interface Args {
  name?: string;
  json: boolean;
}

export const presetsCommand: CommandModule<object, Args> = {
  command: messages.presets.command,
  describe: messages.presets.describe,
  builder: (y) =>
    y
      .usage(messages.presets.usage)
      .positional('name', { type: 'string', describe: messages.presets.name })
      .options({ json: { type: 'boolean', default: false, describe: messages.presets.json } })
      .example(messages.presets.examples) as never,
  handler: (args) => {
    if (args.name !== undefined && !PRESETS[args.name]) throw new LbamacError(`unknown preset "${args.name}"; expected one of ${PRESET_NAMES.join(', ')}`);
    const names = args.name === undefined ? PRESET_NAMES : [args.name];
    if (args.json) {
      process.stdout.write(JSON.stringify(Object.fromEntries(names.map((n) => [n, presetConfig(n)])), null, 2) + '\n');
      return;
    }
    const blocks = names.map((n) => {
      const p = PRESETS[n]!;
      const head = `${n}: ${p.summary}`;
      return args.name === undefined ? head : [head, ...p.notes.map((x) => `  - ${x}`), `  config: ${JSON.stringify(p.config)}`].join('\n');
    });
    process.stdout.write(blocks.join('\n') + '\n');
  },
};
