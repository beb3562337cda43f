/**
 * Shared helpers of the runnable examples (argument parsing, the progress bar, the results folder writer):
 * they live in src/cli/args.ts, where the `coarsegrain` command uses them too.
 */
export * from '../../src/cli/args.js';
