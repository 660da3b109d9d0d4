/**
 * Sandbox scenarios: load the scenario YAML of docs/contracts.md#scenario-file-format (`loadScenarioFile`,
 * `parseScenario`) or generate one at scale.
 */

export { generateScaleScenario, type ScaleOptions } from './generate-scale.js';
export { loadScenarioFile, parseManifestText, parseScenario } from './load-scenario.js';
export {
  DEFAULT_TIMING,
  type FaultStep,
  type KubeObject,
  type Runtime,
  type Scenario,
  type ScenarioCluster,
  type ScenarioFault,
  type ScenarioNodePool,
  type ScenarioTiming,
} from './types.js';
