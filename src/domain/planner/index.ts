export type { BatchPlan, PdbOverrun, PlanInput, UnsplittableWorkload } from './plan-batches.js';
export { planBatches } from './plan-batches.js';
