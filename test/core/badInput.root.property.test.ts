/**
 * Property-based bad-input suite, part 2: the root entry's functions beyond the first 50 (core, data,
 * lattice, sampling, models without a batch matrix, rg, spectral, plot, experiments' helpers). See
 * badInput/harness.ts for what each case asserts.
 */
import { describe } from 'vitest';
import { experimentCases, rootCases } from './badInput/casesRoot.js';
import { runCases } from './badInput/harness.js';

describe('bad input never crashes, hangs or passes silently: the rest of the root entry', () => {
  runCases(rootCases);
  runCases(experimentCases);
});
