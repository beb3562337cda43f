/**
 * Ready-made thermometers for flows whose lattice changes size from level to level (a block-spin RG or a
 * stack of RBMs, L -> L/2 -> ...): the exact-energy thermometer of the 2D Ising torus, with one Kaufman
 * curve per level size, the temperature grid it is calibrated on, and the same from measured curves for
 * models without an exact one (the long-range chain).
 * @module
 */
import { checkFinite, checkPositive, domainError, shapeError } from '../core/validate.js';
import { kaufmanTorus } from '../lattice/exact2d.js';
import type { FlowThermometer } from './flow.js';
import { plainReading, type TemperatureReading } from './reading.js';
import { curveFromFunction, observableThermometer, type ReferenceCurve } from './thermometer.js';

/**
 * The temperature grid min, min + step, ..., up to max (max included when it lies on the grid to within
 * 1e-9 steps), in units of J. Point i is computed as min + i * step (no accumulated rounding). O(points).
 * @throws DomainError for min not a finite number > 0 (a temperature), max <= min or step <= 0.
 * @example
 * ```ts
 * import { temperatureGrid } from 'coarsegrain';
 * temperatureGrid(0.5, 1, 0.25); // [0.5, 0.75, 1]
 * temperatureGrid(3, 4, 0.1).length; // 11
 * ```
 */
export function temperatureGrid(min: number, max: number, step: number): number[] {
  const fn = 'temperatureGrid';
  checkPositive(min, `${fn}: min`);
  checkFinite(max, `${fn}: max`);
  if (!(max > min)) throw domainError(`${fn}: max`, `a value > min = ${min}`, max);
  checkPositive(step, `${fn}: step`);
  const n = Math.floor((max - min) / step + 1e-9) + 1;
  return Array.from({ length: n }, (_, i) => min + i * step);
}

/**
 * A {@link FlowThermometer} for 2D Ising lattices of any size: a level's configurations (n x L^2 values,
 * +-1 spins or block averages, on an L x L torus) are read by {@link observableThermometer} on Kaufman's
 * exact energy per site of the L x L torus, tabulated on `grid` (one curve per side L, built on first use
 * and cached). A level whose mean energy lies at or beyond the grid's ends reads
 * `{ inRange: false, bound, edge }`, never the edge as a temperature. Use a fine grid (e.g. step 0.025):
 * the inversion interpolates linearly. Cost per reading O(n L^2), plus O(points L) for a new size.
 * @param grid ascending temperatures (units of J, > 0), at least 2.
 * @returns a function (configs, shape) -> TemperatureReading; it throws ShapeError for a shape that is not
 *   a square [L, L] with L >= 2, and the errors of observableThermometer for bad configurations.
 * @throws DomainError for a grid that is not at least 2 ascending positive temperatures.
 * @example
 * ```ts
 * import { kaufmanLevelThermometer, temperatureGrid } from 'coarsegrain';
 * const thermometer = kaufmanLevelThermometer(temperatureGrid(1, 5, 0.025)); // exact curves per side L
 * thermometer(new Float64Array(16).fill(1), [4, 4]); // { inRange: false, bound: 'below', edge: 1 } (all up)
 * ```
 */
export function kaufmanLevelThermometer(grid: readonly number[]): FlowThermometer {
  const fn = 'kaufmanLevelThermometer';
  if (!Array.isArray(grid) || grid.length < 2)
    throw domainError(`${fn}: grid`, 'at least 2 ascending temperatures', grid);
  grid.forEach((T, i) => {
    checkPositive(T, `${fn}: grid[${i}]`);
    if (i > 0 && !(T > grid[i - 1]!))
      throw domainError(`${fn}: grid[${i}]`, `a temperature > ${grid[i - 1]} (ascending)`, T);
  });
  const temperatures = [...grid];
  const curves = new Map<number, ReferenceCurve>();
  return (configs, shape): TemperatureReading => {
    if (shape.length !== 2 || shape[0] !== shape[1] || !(shape[0]! >= 2))
      throw shapeError(`${fn}: shape`, 'a square torus [L, L] with L >= 2', `[${shape.join(', ')}]`);
    const side = shape[0]!;
    let curve = curves.get(side);
    if (!curve) {
      curve = curveFromFunction((T) => kaufmanTorus(side, T).energy, temperatures);
      curves.set(side, curve);
    }
    return plainReading(observableThermometer(configs, shape, curve));
  };
}

/**
 * A {@link FlowThermometer} from reference curves you measured, one per lattice size: a level's
 * configurations (n x sites values on the level's lattice) are read by {@link observableThermometer} on the
 * curve keyed by the level's number of sites, prod(shape). Build the curves with `curveFromEnsembles`
 * (Monte Carlo ensembles of each size on a temperature grid) where no exact curve exists, e.g. the
 * long-range chain at N, N/2, N/4 sites (thesis E6); for the 2D Ising torus use
 * {@link kaufmanLevelThermometer}. A level whose mean observable lies at or beyond its curve's range reads
 * `{ inRange: false, bound, edge }`. Cost per reading O(n sites).
 * @param curves - reference curves keyed by number of sites (a Map, not modified; read at call time).
 * @returns a function (configs, shape) -> TemperatureReading; it throws DomainError for a level whose
 *   number of sites has no curve.
 * @throws DomainError if `curves` is not a non-empty Map.
 * @example
 * ```ts
 * import { createLongRangeChain, curveFromEnsembles, curveLevelThermometer, sampleEnsembles } from 'coarsegrain';
 * const grid = [0.8, 1.2, 1.6, 2, 2.6, 3.4];
 * // Monte Carlo curves of the long-range chain (sigma = 0.5) at the sizes of a one-step flow, 16 -> 8
 * const curves = new Map([16, 8].map((N) => {
 *   const ensembles = sampleEnsembles(createLongRangeChain({ N, sigma: 0.5 }), grid, { samples: 400, seed: N });
 *   return [N, curveFromEnsembles(ensembles, [N])] as const;
 * }));
 * const thermometer = curveLevelThermometer(curves);
 * const level = sampleEnsembles(createLongRangeChain({ N: 8, sigma: 0.5 }), [1.8], { samples: 800, seed: 99 })[0]!;
 * thermometer(Float64Array.from(level.configs), [8]); // { inRange: true, temperature: ~1.8, error }
 * ```
 */
export function curveLevelThermometer(curves: ReadonlyMap<number, ReferenceCurve>): FlowThermometer {
  if (!(curves instanceof Map) || curves.size === 0)
    throw domainError(
      'curveLevelThermometer: curves',
      'a non-empty Map from numbers of sites to curves',
      curves,
    );
  return (configs, shape) => {
    const sites = shape.reduce((a, b) => a * b, 1);
    const curve = curves.get(sites);
    if (!curve)
      throw domainError('curveLevelThermometer: shape', `one of ${[...curves.keys()]} sites`, sites);
    return plainReading(observableThermometer(configs, shape, curve));
  };
}
