/**
 * Worker-thread entry of ./threadedGemm.ts: signals that it is ready, then waits on its control words
 * for product parts, computes each with `gemmKernel` on the shared operands it receives through its
 * port (read synchronously with receiveMessageOnPort), and publishes the part's sequence number.
 * @module
 */
import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { gemmKernel } from '../core/gemm.js';

const { port, control } = workerData as { readonly port: MessagePort; readonly control: Int32Array };
const REQUEST = 0;
const DONE = 1;
const FAILED = 2;
const READY = 3;

Atomics.store(control, READY, 1);
Atomics.notify(control, READY);
let done = 0;
for (;;) {
  Atomics.wait(control, REQUEST, done);
  const received = receiveMessageOnPort(port);
  if (received === undefined) continue;
  const { args } = received.message as { args: Parameters<typeof gemmKernel> };
  try {
    gemmKernel(...args);
  } catch {
    Atomics.store(control, FAILED, 1);
  }
  done++;
  Atomics.store(control, DONE, done);
  Atomics.notify(control, DONE);
}
