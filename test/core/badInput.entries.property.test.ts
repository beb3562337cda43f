/**
 * Property-based bad-input suite, part 3: the Node entries `coarsegrain/node`, `coarsegrain/parallel`
 * and `coarsegrain/distributed`. See badInput/harness.ts for what each case asserts.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import {
  closePool,
  distributedCases,
  nodeCases,
  parallelCases,
  ready,
  removeFiles,
} from './badInput/casesEntries.js';
import { runCases } from './badInput/harness.js';

describe('bad input never crashes, hangs or passes silently: the Node entries', () => {
  beforeAll(() => ready);
  afterAll(async () => {
    await closePool();
    await removeFiles();
  });
  describe('coarsegrain/node', () => runCases(nodeCases));
  describe('coarsegrain/parallel', () => runCases(parallelCases));
  describe('coarsegrain/distributed', () => runCases(distributedCases));
});
