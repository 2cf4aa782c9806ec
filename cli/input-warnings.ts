// A job's inputs were clipped or rounded on their way into the array's formats: the result is
// still computed (that is what the hardware would do), but the user hears about it on stderr.
import { anyConversionEvent } from '../core/conversions.js';
import type { Job } from '../engine/job.js';
import { messages } from './messages.js';

export function warnAboutInputs(conversions: Job['conversions']): void {
  for (const [matrix, c] of Object.entries(conversions)) {
    if (anyConversionEvent(c)) process.stderr.write(messages.inputWarning(matrix, c) + '\n');
  }
}
