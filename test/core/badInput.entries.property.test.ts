/**
 * Property-based bad-input suite, part 3: the Node entries `coarsegrain/node`, `coarsegrain/parallel`
 * and `coarsegrain/distributed`. See badInput/harness.ts for what each case asserts.
 */
import { afterAll, describe } from 'vitest';
import {
  closePool,
  distributedCases,
  nodeCases,
  parallelCases,
  removeFiles,
} from './badInput/casesEntries.js';
import { runCases } from './badInput/harness.js';

describe('bad input never crashes, hangs or passes silently: the Node entries', () => {
  afterAll(async () => {
    await closePool();
    removeFiles();
  });
  describe('coarsegrain/node', () => runCases(nodeCases));
  describe('coarsegrain/parallel', () => runCases(parallelCases));
  describe('coarsegrain/distributed', () => runCases(distributedCases));
});
