/**
 * Sandbox scenarios: load the scenario YAML of docs/contracts.md#scenario-file-format (`loadScenarioFile`,
 * `parseScenario`) or generate one at scale.
 */

export { generateScaleScenario } from './generate-scale.js';
export { loadFleetFile, loadScenarioFile, parseFleet, parseScenario } from './load-scenario.js';
export {
  DEFAULT_TIMING,
  type Scenario,
} from './types.js';
