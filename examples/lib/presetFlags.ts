/**
 * Flags for every field of an experiment config: they live in src/cli/presetFlags.ts, where the
 * `coarsegrain` command uses them too.
 */
export * from '../../src/cli/presetFlags.js';
