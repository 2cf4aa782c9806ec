// The one architecture description shared by the cycle simulator (sim/) and the RTL generator.
export * from './types.js';
export { buildArch, formatOf, IDX_WIDTH, MAX_DIM, portOf, TOP_NAME } from './build.js';
export { latencyCycles, outputCycle, schedule, stepsOf, termsOf, type JobDims, type OsSchedule, type OsTile, type Schedule, type WsSchedule, type WsTile } from './schedule.js';
