/**
 * Worker-thread entry of ./threadedGemm.ts: signals that it is ready, then waits on its control words
 * for product parts, computes each with `gemmKernel` (or `gemmBinaryKernel` for a part of a 0/1 product,
 * keeping its own resident columns of B; or `adamRangeKernel` or `binaryUnitsRangeKernel` for a range
 * of an Adam update or of binary units; or `aleaFillPacked` for uniforms drawn ahead; or
 * `denseEpiloguePartKernel` for a block of a product with its epilogue; or `runLinalgTask` for a step
 * of the symmetric eigen-decomposition, its result in a control word) on the shared operands it receives through its port (read synchronously with receiveMessageOnPort), and publishes the part's sequence number.
 * @module
 */
import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { gemmKernel } from '../core/gemm.js';
import { gemmBinaryKernel } from '../core/gemmBinary.js';
import { runLinalgTask } from '../core/linalg/linalgTasks.js';
import type { LinalgTasks } from '../core/linalg/spawn.js';
import { aleaFillPacked } from '../core/rng.js';
import { type DenseEpilogue, denseEpiloguePartKernel } from '../models/denseEpilogue.js';
import { adamRangeKernel } from '../models/optim.js';
import { binaryUnitsRangeKernel } from '../models/rbm.js';
import { spinWhileBelow } from './spin.js';

const { port, control } = workerData as { readonly port: MessagePort; readonly control: Int32Array };
const REQUEST = 0;
const DONE = 1;
const FAILED = 2;
const READY = 3;
const DECLINED = 4;
const SOLVED = 5;

Atomics.store(control, READY, 1);
Atomics.notify(control, READY);
let done = 0;
for (;;) {
  // spin briefly before blocking: in training the next part usually follows within microseconds, and
  // waking from Atomics.wait costs tens of microseconds (the request word only grows: it is the number
  // of the latest part sent)
  spinWhileBelow(control, REQUEST, done + 1);
  Atomics.wait(control, REQUEST, done);
  const received = receiveMessageOnPort(port);
  if (received === undefined) continue;
  const message = received.message as
    | { binary?: false; adam?: false; args: Parameters<typeof gemmKernel> }
    | { binary: true; adam?: false; args: Parameters<typeof gemmBinaryKernel> }
    | { binary?: false; adam: true; args: Parameters<typeof adamRangeKernel> }
    | { binaryUnits: true; args: Parameters<typeof binaryUnitsRangeKernel> }
    | { uniforms: true; args: [registers: Float64Array, out: Float64Array] }
    | { binary?: false; adam?: false; task: keyof LinalgTasks; taskArgs: LinalgTasks[keyof LinalgTasks] }
    | {
        binary?: false;
        adam?: false;
        fused: DenseEpilogue;
        args: Parameters<typeof gemmKernel>;
        block: [number, number, number, number, number];
      };
  try {
    if ('task' in message)
      Atomics.store(control, SOLVED, runLinalgTask(message.task, message.taskArgs) ? 1 : 0);
    else if ('fused' in message)
      denseEpiloguePartKernel(gemmKernel, message.args, message.fused, ...message.block);
    else if ('binaryUnits' in message) binaryUnitsRangeKernel(...message.args);
    else if ('uniforms' in message) {
      // a minibatch's uniforms drawn ahead from a copy of the generator's registers, written back after
      aleaFillPacked(...message.args);
    } else if (message.adam === true) adamRangeKernel(...message.args);
    else if (message.binary === true) {
      // a part of a 0/1 product: the caller compares the parts' answers (all run or all decline)
      Atomics.store(control, DECLINED, gemmBinaryKernel(...message.args) ? 0 : 1);
    } else gemmKernel(...message.args);
  } catch {
    Atomics.store(control, FAILED, 1);
  }
  done++;
  Atomics.store(control, DONE, done);
  Atomics.notify(control, DONE);
}
