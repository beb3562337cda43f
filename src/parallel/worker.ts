/**
 * Worker-thread entry of the pool (see ./pool.ts): loads the built-in tasks and the pool's task modules,
 * then answers `{ id, name, input }` messages with `{ type: 'result', id, output }` or
 * `{ type: 'error', id, error: { name, message } }`. Tasks run one at a time.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TaskFunction, TaskModule } from './pool.js';
import { builtinTasks } from './tasks.js';

interface Request {
  readonly id: number;
  readonly name: string;
  readonly input: unknown;
}

const port = parentPort;
if (!port) throw new Error('coarsegrain worker: expected to run in a worker thread');
const data = workerData as { readonly taskModules: readonly string[] };
const registry = new Map<string, TaskFunction>(Object.entries(builtinTasks));
for (const url of data.taskModules) {
  const module = (await import(url)) as { tasks?: TaskModule };
  if (!module.tasks || typeof module.tasks !== 'object') {
    throw new Error(`task module ${url}: expected an export named "tasks", received none`);
  }
  for (const [name, fn] of Object.entries(module.tasks)) registry.set(name, fn);
}

port.on('message', async (request: Request) => {
  try {
    const task = registry.get(request.name);
    if (!task) {
      const known = [...registry.keys()].map((k) => JSON.stringify(k)).join(', ');
      throw Object.assign(
        new Error(`runTask: taskName: expected one of ${known}, received ${JSON.stringify(request.name)}`),
        { name: 'DomainError' },
      );
    }
    const output = await task(request.input);
    port.postMessage({ type: 'result', id: request.id, output });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ type: 'error', id: request.id, error: { name: e.name, message: e.message } });
  }
});
port.postMessage({ type: 'ready' });
