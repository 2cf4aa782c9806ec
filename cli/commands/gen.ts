// `lbamac gen`: the Verilog of a configuration's array, with its filelist, FuseSoC core file and
// manifest, written into one directory whole or not at all.
import type { CommandModule } from 'yargs';
import { loadConfig } from '../../engine/job.js';
import { filesOfEarlierOutput, MANIFEST_FILE, rtlPackage } from '../../rtl-gen/package.js';
import { messages } from '../messages.js';
import { verilogName } from '../options.js';
import { writeDirAtomic } from '../../util/atomic-write.js';
import { checkOutputDir } from '../../util/output-path.js';

interface Args {
  config: string;
  out: string;
  top?: string;
  prefix: string;
  force: boolean;
}

export const genCommand: CommandModule<object, Args> = {
  command: messages.gen.command,
  describe: messages.gen.describe,
  builder: (y) =>
    y
      .usage(messages.gen.usage)
      .options({
        config: { type: 'string', demandOption: true, requiresArg: true, describe: messages.gen.config },
        out: { type: 'string', alias: 'o', demandOption: true, requiresArg: true, describe: messages.gen.out },
        top: { type: 'string', requiresArg: true, coerce: verilogName('top', false), describe: messages.gen.top },
        prefix: { type: 'string', default: '', requiresArg: true, coerce: verilogName('prefix', true), describe: messages.gen.prefix },
        force: { type: 'boolean', default: false, describe: messages.gen.force },
      })
      .example(messages.gen.examples),
  handler: async (args) => {
    checkOutputDir(args.out);
    const cfg = await loadConfig(args.config);
    const pkg = rtlPackage(cfg, { prefix: args.prefix, ...(args.top === undefined ? {} : { top: args.top }) });
    await writeDirAtomic(args.out, pkg.files, { marker: MANIFEST_FILE, previous: filesOfEarlierOutput(args.out), force: args.force });
    process.stdout.write(messages.gen.done(args.out, pkg.rtl.files.length, pkg.rtl.top) + '\n');
  },
};
