/** The spectral layer: correlators, scaling fits, structure factor, weight spectra, PCA, subspace overlaps and map locality. */

export {
  type CorrelatorOptions,
  type CorrelatorResult,
  correlatorProfile,
  type DistanceProfile,
  type EnergyCorrelatorOptions,
  energyCorrelator,
  type ProfileKind,
  type StructureFactorResult,
  spinCorrelator,
  structureFactor,
  twoPointCorrelator,
} from './correlator.js';
export {
  correlatorMaps,
  type InputOutputOptions,
  inputOutputCorrelator,
  type MapLocality,
  mapLocality,
} from './inputOutput.js';
export {
  type MapBaseline,
  type MapsLocality,
  type MapsLocalityOptions,
  mapsLocality,
} from './mapsLocality.js';
export { type PcaResult, pca, subspaceOverlap } from './pca.js';
export {
  fitScalingDimension,
  fitScalingDimensionJackknife,
  isingTorusScaling,
  type JackknifeScalingFit,
  type ScalingFit,
  type ScalingFitOptions,
  type ScalingForm,
} from './scaling.js';
export {
  fourierPower,
  hiddenIsLowPassOfVisible,
  type LowPassComparison,
  type LowPassComparisonOptions,
  lowPassFraction,
  type WeightSvd,
  weightSvd,
} from './weights.js';
