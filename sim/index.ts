// The cycle-accurate simulator (issue 3): runs the array arch/ describes, cycle by cycle.
export { simulate, type PortValues, type SimOptions, type SimResult } from './simulate.js';
export type { SimJob } from './job.js';
export { SimVcd, type VcdSink } from './vcd.js';
export { simGemm, type SimGemmResult } from './api.js';
