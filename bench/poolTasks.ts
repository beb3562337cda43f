/** Task module of the pool benchmark: one task that returns its input (a structured clone each way). */
import type { TaskModule } from '../src/parallel/pool.js';

export const tasks: TaskModule = {
  'bench:echo': (input: unknown) => input,
};
