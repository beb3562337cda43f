/**
 * The bad-input suite covers every runtime export: each function of the root entry and of the Node
 * entries `coarsegrain/node`, `coarsegrain/parallel` and `coarsegrain/distributed` (as listed in the API
 * snapshots test/package/api/*.txt) has a case in badInput/*, or is exempt here with the reason.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { baseCases } from './badInput/casesBase.js';
import { distributedCases, nodeCases, parallelCases, removeFiles } from './badInput/casesEntries.js';
import { matrixCases } from './badInput/casesMatrix.js';
import { experimentCases, rootCases } from './badInput/casesRoot.js';
import { caseNames } from './badInput/harness.js';

/** Exports with no bad-input case, and why. */
const EXEMPT: Record<string, string> = {
  AbortError: 'error class: constructed by the library, any message accepted',
  CoarseGrainError: 'error class',
  DivergenceError: 'error class',
  DomainError: 'error class',
  FileError: 'error class',
  FormatError: 'error class',
  ShapeError: 'error class',
  StateError: 'error class',
  WorkerTaskError: 'error class',
  ShardError: 'error class',
};

function runtimeNames(entry: string): string[] {
  const text = readFileSync(new URL(`../package/api/${entry}.txt`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([kind]) => kind === 'function' || kind === 'class')
    .map(([, name]) => name!);
}

describe('the bad-input suite covers every runtime export', () => {
  afterAll(removeFiles);
  const covered = new Set(
    caseNames([
      ...baseCases,
      ...rootCases,
      ...experimentCases,
      ...matrixCases,
      ...nodeCases,
      ...parallelCases,
      ...distributedCases,
    ]),
  );
  for (const entry of ['root', 'node', 'parallel', 'distributed']) {
    it(`${entry}: every function and class has a case or an exemption`, () => {
      const names = runtimeNames(entry);
      expect(names.length).toBeGreaterThan(5);
      const missing = names.filter((n) => !covered.has(n) && EXEMPT[n] === undefined);
      expect(missing).toEqual([]);
    });
  }
});
