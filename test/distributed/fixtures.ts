/** Shared fixtures of the distributed tests: one tiny E4 config, its command-line flags, result bits. */
import { type AnyResult, canonicalJson } from '../../src/distributed/index.js';

/** A small E4 (two sigmas, rings of 16 and 32): ~0.3 s per seed, with a Tc and a fit for both sigmas. */
export const TINY_E4 = {
  sigmas: [0.4, 0.75],
  sizes: [16, 32],
  temperaturePoints: 5,
  samples: 300,
  burnIn: 20,
  thin: 1,
  resamples: 10,
  correlatorSamples: 200,
  blocks: 4,
  fitRMin: 1,
  fitRMaxFraction: 0.5,
};

/** A config as `coarsegrain run E4` flags (lists comma-separated). */
export function configFlags(config: Record<string, unknown>): string[] {
  return Object.entries(config).flatMap(([k, v]) => [`--${k}`, Array.isArray(v) ? v.join(',') : String(v)]);
}

/** `TINY_E4` as `coarsegrain run E4` flags. */
export const TINY_E4_FLAGS: string[] = configFlags(TINY_E4);

/** Lossless text of a result without its wall time: equal text = bit-identical numbers. */
export function bits(result: AnyResult): string {
  return canonicalJson({ ...result, seconds: 0 });
}
