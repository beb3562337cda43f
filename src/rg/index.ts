/** The rg layer: real-space block transforms, momentum-shell RG, RBM/stack flows and thermometers. */

export { type BlockGeometry, type BlockResult, blockAverage, blockDecimate, blockMajority } from './block.js';
export {
  type BlockFlowOptions,
  blockFlow,
  type FlowMeasureOptions,
  type FlowStep,
  type FlowThermometer,
  type RbmFlowEnsembleOptions,
  rbmFlowEnsemble,
  type StackFlowOptions,
  stackFlow,
} from './flow.js';
export {
  type FlowDirection,
  type FlowLevel,
  flowDirection,
  flowLevels,
} from './flowLevels.js';
export { curveLevelThermometer, kaufmanLevelThermometer, temperatureGrid } from './levelThermometer.js';
export { type MomentumShellOptions, momentumShellRg } from './momentum.js';
export {
  estimateTemperatures,
  type NetworkDetails,
  type NetworkTemperature,
  type TemperatureEnsemble,
  type Thermometer,
  type TrainThermometerOptions,
  trainThermometer,
} from './networkThermometer.js';
export {
  formatReading,
  type InRangeReading,
  type OutOfRangeReading,
  type TemperatureReading,
} from './reading.js';
export {
  configurationObservable,
  curveFromEnsembles,
  curveFromFunction,
  type ObservableDetails,
  type ObservableTemperature,
  type ObservableThermometerOptions,
  observableThermometer,
  type ReferenceCurve,
  referenceCurve,
  type ThermometerObservable,
} from './thermometer.js';
