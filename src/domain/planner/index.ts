export type { BatchPlan } from './plan-batches.js';
export { planBatches } from './plan-batches.js';
