// The cycle-accurate simulator (issue 3): runs the array arch/ describes, cycle by cycle.
export { simulate, type PortValues, type RegisterReader, type SimOptions, type SimResult } from './simulate.js';
export { randomJob, type JobShape } from './stimulus.js';
export type { SimJob } from './job.js';
export { SimVcd, type VcdSink } from './vcd.js';
export { simGemm, type SimGemmResult } from './api.js';
