// A given job (gemm, sim): the options that say how its files are read, and loading it, with
// what the user should hear about the inputs on stderr (rounding, clipping, pruning).
import { B_LAYOUTS, type BLayout, type Job, type JobPaths, loadJob } from '../engine/job.js';
import { warnAboutInputs } from './input-warnings.js';
import { messages } from './messages.js';
import { oneOf } from './options.js';

const PRUNE_PATTERNS = ['2:4'] as const;

export interface JobInputArgs {
  'b-layout'?: BLayout;
  prune?: '2:4';
}

/** No yargs default for --b-layout: a command with a random job can then tell that it was given. */
export const jobInputOptions = {
  'b-layout': { type: 'string', choices: B_LAYOUTS, coerce: oneOf('b-layout', B_LAYOUTS), defaultDescription: 'kn', requiresArg: true, describe: messages.job.bLayout },
  prune: { type: 'string', choices: PRUNE_PATTERNS, coerce: oneOf('prune', PRUNE_PATTERNS), requiresArg: true, describe: messages.job.prune },
} as const;

export async function loadGivenJob(paths: JobPaths, args: JobInputArgs): Promise<Job> {
  const job = await loadJob(paths, { ...(args['b-layout'] === undefined ? {} : { bLayout: args['b-layout'] }), ...(args.prune === undefined ? {} : { prune: args.prune }) });
  warnAboutInputs(job.conversions);
  if (job.pruned !== undefined) process.stderr.write(messages.job.pruned(paths.bPath, job.pruned.zeroed, job.pruned.nonzeros) + '\n');
  return job;
}
