/**
 * Property-based bad-input suite, THE MATRIX BLOCK: functions taking a batch, a data set or a weight
 * matrix as a `{ data, rows, cols }` Matrix (badInput/casesMatrix.ts). Slots still failing are listed
 * in each case's `skip`. The trainers'
 * work cap (epochs x samples x parameters <= MAX_WORK) is checked by `workCaps`.
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { matrixCases, workCaps } from './badInput/casesMatrix.js';
import { runCases } from './badInput/harness.js';

describe('bad input never crashes, hangs or passes silently: the matrix block', () => {
  runCases(matrixCases);
  for (const { name, call } of workCaps)
    it(`${name}: 2^40 epochs are refused before any work (epochs x samples x parameters)`, () => {
      expect(call).toThrow(DomainError);
      expect(call).toThrow(`${name}: epochs x samples x parameters: expected at most`);
    });
});
