/**
 * A synchronous matrix product split over threads: {@link createThreadedGemm} returns a drop-in
 * replacement for `gemmKernel` that computes part of C in each of `threads - 1` worker threads and the
 * rest in the calling thread, which blocks (`Atomics.wait`) until all parts are done. Synchronous code
 * such as RBM training (`trainRbm`'s `gemm` option) then uses several cores without becoming async.
 *
 * Exact: a product is split by columns of C (or by rows when C has more rows than columns) into parts
 * that each run `gemmKernel` on the WebAssembly backend, whose value of C[i][j] depends on row i of
 * op(A) and column j of op(B) only, summed in the same order whatever the part. So the result is
 * bit-identical to `gemmKernel` for any number of threads (tested). Products below
 * {@link THREADED_GEMM_MIN_WORK} multiply-adds, or with an operand that is not on a SharedArrayBuffer,
 * run in the calling thread. Node only (worker_threads); the calling thread must be allowed to block
 * (Node's main thread and workers are). The same threads also split plain Adam steps by ranges of
 * parameters (`adam`, element-wise, so bit-identical), which dense training uses with `gemm`, and run
 * products with their element-wise epilogue (models/denseEpilogue.ts: bias, activation, loss gradient,
 * column sums, Adam step) on each thread's block of the result, registered for `gemm` with
 * `registerGemmEpilogue`: also bit-identical, since every step is element-wise or, for column sums, the
 * split keeps whole columns. And `symmetricEigen` with `gemm` runs steps of its own on the first worker
 * (registered with `registerLinalgSpawn`): the eigenvalues of its largest block while it prepares the
 * back-transformation, one half of the divide and conquer's top split while it solves the other; the
 * same operations as in one thread, so the same bits.
 * @module
 */
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { StateError } from '../core/errors.js';
import { GEMM_WASM_MIN_ROWS, type GemmKernelFunction, gemmKernel, gemmWasmAvailable } from '../core/gemm.js';
import {
  type GemmBinaryFunction,
  gemmBinaryKernel,
  gemmBinaryPrepare,
  gemmBinaryRun,
  registerExactGemm,
} from '../core/gemmBinary.js';
import { runLinalgTask } from '../core/linalg/linalgTasks.js';
import { type LinalgSpawnFunction, registerLinalgSpawn } from '../core/linalg/spawn.js';
import { aleaFillPacked } from '../core/rng.js';
import type { FloatArray } from '../core/tensor.js';
import { checkInteger, checkOptions, optionKeys } from '../core/validate.js';
import {
  denseEpiloguePartKernel,
  epilogueArrays,
  type GemmEpilogueFunction,
  registerGemmEpilogue,
} from '../models/denseEpilogue.js';
import { type AdamRangeFunction, adamRangeKernel, registerSplitAdam } from '../models/optim.js';
import {
  type BinaryUnitsRangeFunction,
  binaryUnitsRangeKernel,
  registerSplitBinaryUnits,
  type UniformPrefetchFunction,
} from '../models/rbm.js';
import { BOOTSTRAP, workerEntry } from './pool.js';
import { spinWhileBelow } from './spin.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const THREADED_GEMM_OPTIONS_KEYS = optionKeys<ThreadedGemmOptions>({ threads: true, timeoutMs: true });

/** Products with fewer multiply-adds (m n k) than this run in the calling thread (2^20). */
export const THREADED_GEMM_MIN_WORK = 1 << 20;

/** Adam updates of fewer elements than this run in the calling thread (2^15). */
export const THREADED_ADAM_MIN_ELEMENTS = 1 << 15;

/**
 * Binary units over fewer elements than this run in the calling thread (2^14): handing half of them to
 * a worker costs about 40 us, about what it saves below this size. (The momentum step is not split: its
 * two halves ran no faster than the whole, being limited by memory bandwidth.)
 */
export const THREADED_ELEMENTWISE_MIN_ELEMENTS = 1 << 14;

/** Options of {@link createThreadedGemm}. */
export interface ThreadedGemmOptions {
  /** Threads including the calling one, integer >= 1 (1: no workers, `gemm` is `gemmKernel`). */
  readonly threads: number;
  /** How long a product waits for a worker before failing with a StateError, default 600,000 ms. */
  readonly timeoutMs?: number;
}

/** A threaded GEMM: `gemm` has the contract of `gemmKernel`; `close` ends the workers. */
export interface ThreadedGemm {
  readonly threads: number;
  readonly gemm: GemmKernelFunction;
  /**
   * The product with a 0/1 left factor, contract of `gemmBinaryKernel` (coarsegrain/kernels), split by
   * columns of C over the threads (each keeps its own resident columns of B), so bit-identical to it.
   * Training picks it up through `gemm` (registered with `registerExactGemm`).
   */
  readonly gemmBinary: GemmBinaryFunction;
  /**
   * Adam without weight decay or L1 over a range of parameters, contract of `adamRangeKernel`
   * (coarsegrain/kernels), split into contiguous element ranges over the threads when the parameters,
   * gradients and moments are on SharedArrayBuffers and the range holds at least
   * {@link THREADED_ADAM_MIN_ELEMENTS}: element-wise, so bit-identical to it. Dense training with `gemm`
   * picks it up (registered with `registerSplitAdam`).
   */
  readonly adam: AdamRangeFunction;
  /**
   * Binary units' sigmoid and sampling from pre-drawn uniforms, contract of `binaryUnitsRangeKernel`
   * (coarsegrain/kernels), split like {@link ThreadedGemm.adam} from
   * {@link THREADED_ELEMENTWISE_MIN_ELEMENTS} elements on: element-wise, so bit-identical to it. RBM training with `gemm` picks it up
   * (registered with `registerSplitBinaryUnits`).
   */
  readonly binaryUnits: BinaryUnitsRangeFunction;
  /** Terminates the workers; `gemm` then runs in the calling thread. Idempotent. */
  close(): void;
}

/** One worker: its command port and its control words (0: last request, 1: last done, 2: failed). */
interface Lane {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly control: Int32Array;
  seq: number;
}

/** Control word indices. */
const REQUEST = 0;
const DONE = 1;
const FAILED = 2;
const READY = 3;
/** Set by a worker to 1 when it declined its part of a 0/1 product (its op(A) is not 0/1), else 0. */
const DECLINED = 4;
/** Set by a worker to 1 when its eigen step (see spawnLinalg) succeeded, else 0. */
const SOLVED = 5;

const isShared = (x: FloatArray): boolean => x.buffer instanceof SharedArrayBuffer;

/**
 * The arguments of `gemmKernel` for the block [lo, hi) of rows (byRows) or of columns of C in the
 * product `args`: the same sums for every entry of the block as in the whole product.
 */
function partArgs(
  args: Readonly<Parameters<GemmKernelFunction>>,
  byRows: boolean,
  lo: number,
  hi: number,
): Parameters<GemmKernelFunction> {
  const [transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc] = args;
  return byRows
    ? [
        transA,
        transB,
        hi - lo,
        n,
        k,
        alpha,
        a,
        offA + lo * (transA ? 1 : lda),
        lda,
        b,
        offB,
        ldb,
        beta,
        c,
        offC + lo * ldc,
        ldc,
      ]
    : [
        transA,
        transB,
        m,
        hi - lo,
        k,
        alpha,
        a,
        offA,
        lda,
        b,
        offB + lo * (transB ? ldb : 1),
        ldb,
        beta,
        c,
        offC + lo,
        ldc,
      ];
}

/**
 * Start `threads - 1` worker threads for synchronous split products (see the module doc). Blocks until
 * the workers have loaded (a few hundred ms). Call `close()` when done (the workers do not keep the
 * process alive, but they hold memory).
 * @throws DomainError for a bad thread count; StateError if a worker fails to start within the timeout.
 * @example
 * const threaded = createThreadedGemm({ threads: 2 });
 * trainRbm(rbm, data, { epochs: 10, rng, gemm: threaded.gemm });
 * threaded.close();
 */
export function createThreadedGemm(options: ThreadedGemmOptions): ThreadedGemm {
  options = checkOptions(options, 'createThreadedGemm: options', THREADED_GEMM_OPTIONS_KEYS, true);
  const threads = checkInteger(options.threads, 'createThreadedGemm: options.threads', 1, 64);
  const timeoutMs = checkInteger(options.timeoutMs ?? 600_000, 'createThreadedGemm: options.timeoutMs', 1);
  if (threads === 1 || !gemmWasmAvailable()) {
    return {
      threads: 1,
      gemm: gemmKernel,
      gemmBinary: gemmBinaryKernel,
      adam: adamRangeKernel,
      binaryUnits: binaryUnitsRangeKernel,
      close: () => {},
    };
  }
  const lanes: Lane[] = [];
  const { entry, tsxApi } = workerEntry('threadedGemmWorker');
  for (let t = 1; t < threads; t++) {
    const control = new Int32Array(new SharedArrayBuffer(32));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { entry, tsxApi, port: port2, control },
      transferList: [port2],
    });
    worker.unref();
    lanes.push({ worker, port: port1, control, seq: 0 });
  }
  for (const lane of lanes) {
    if (Atomics.wait(lane.control, READY, 0, timeoutMs) === 'timed-out') {
      for (const l of lanes) void l.worker.terminate();
      throw new StateError(`createThreadedGemm: a worker did not start within ${timeoutMs} ms`);
    }
  }
  let closed = false;
  const gemm: GemmKernelFunction = (
    transA,
    transB,
    m,
    n,
    k,
    alpha,
    a,
    offA,
    lda,
    b,
    offB,
    ldb,
    beta,
    c,
    offC,
    ldc,
  ) => {
    const args = [transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc] as const;
    if (
      closed ||
      m * n * k < THREADED_GEMM_MIN_WORK ||
      alpha === 0 ||
      !isShared(a) ||
      !isShared(b) ||
      !isShared(c)
    ) {
      gemmKernel(...args);
      return;
    }
    // parts of C: column blocks (multiples of 8) or, for tall C, row blocks (multiples of 4); every part
    // keeps at least GEMM_WASM_MIN_ROWS rows and enough work for the WebAssembly backend, as the whole
    const byRows = m > n;
    const extent = byRows ? m : n;
    const unit = byRows ? 4 : 8;
    const parts = Math.min(threads, Math.floor(extent / unit));
    if (parts < 2 || (!byRows && m < GEMM_WASM_MIN_ROWS)) {
      gemmKernel(...args);
      return;
    }
    const size = Math.ceil(extent / parts / unit) * unit;
    const sent: Lane[] = [];
    for (let p = 1; p < parts; p++) {
      const lo = p * size;
      const hi = Math.min(extent, lo + size);
      if (hi <= lo) break;
      send(lanes[p - 1]!, sent, { args: partArgs(args, byRows, lo, hi) });
    }
    gemmKernel(...partArgs(args, byRows, 0, Math.min(size, extent)));
    awaitLanes(sent);
  };
  /** Hand one part to a lane: the message, then the request flag its worker waits on. */
  const send = (lane: Lane, sent: Lane[], message: object): void => {
    lane.seq++;
    lane.port.postMessage(message);
    Atomics.store(lane.control, REQUEST, lane.seq);
    Atomics.notify(lane.control, REQUEST);
    sent.push(lane);
  };
  /** Wait until `lane` has done its part number `seq` (and every earlier one). */
  const awaitLane = (lane: Lane, seq: number): void => {
    // spin briefly first: a part usually ends within microseconds of this thread's own, and waking
    // from Atomics.wait costs tens of microseconds
    spinWhileBelow(lane.control, DONE, seq);
    for (let done = Atomics.load(lane.control, DONE); done < seq; done = Atomics.load(lane.control, DONE)) {
      if (Atomics.wait(lane.control, DONE, done, timeoutMs) === 'timed-out') {
        throw new StateError(`threaded gemm: a worker did not answer within ${timeoutMs} ms`);
      }
    }
    if (Atomics.load(lane.control, FAILED) !== 0) {
      throw new StateError('threaded gemm: a worker failed computing its part of the product');
    }
  };
  const awaitLanes = (sent: readonly Lane[]): void => {
    for (const lane of sent) awaitLane(lane, lane.seq);
  };
  const gemmBinary: GemmBinaryFunction = (
    slot,
    reload,
    transA,
    transB,
    m,
    n,
    k,
    alpha,
    a,
    offA,
    lda,
    b,
    offB,
    ldb,
    beta,
    c,
    offC,
    ldc,
  ) => {
    const product = [transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc] as const;
    // columns of C in parts of whole 64-byte tiles (16 floats), one per thread
    const parts = Math.min(threads, Math.floor(n / 16));
    if (
      closed ||
      parts < 2 ||
      m * n * k < THREADED_GEMM_MIN_WORK ||
      !isShared(a) ||
      !isShared(b) ||
      !isShared(c)
    ) {
      return gemmBinaryKernel(slot, reload, ...product);
    }
    const size = Math.ceil(n / parts / 16) * 16;
    const sent: Lane[] = [];
    for (let p = 1; p < parts; p++) {
      const lo = p * size;
      const hi = Math.min(n, lo + size);
      if (hi <= lo) break;
      const args = [slot, reload, ...partArgs(product, false, lo, hi)];
      send(lanes[p - 1]!, sent, { binary: true, args });
    }
    // every part sees the same op(A): all parts run, or all decline (an op(A) that is not 0/1)
    const own =
      gemmBinaryPrepare(slot, reload, transA, transB, m, size, k, alpha, a, offA, lda, b, offB, ldb, c) &&
      gemmBinaryRun(slot, m, size, k, alpha, beta, c, offC, ldc);
    awaitLanes(sent);
    const declined = sent.filter((lane) => Atomics.load(lane.control, DECLINED) === 1).length;
    if (own ? declined === 0 : declined === sent.length) return own;
    throw new StateError('threaded gemm: the parts of a 0/1 product disagreed (memory could not grow)');
  };
  /**
   * An element-wise update over [lo, hi), split into contiguous ranges of whole 64-byte lines (16
   * elements), one per thread, when the range holds at least `min` elements and `arrays` are all on
   * SharedArrayBuffers; else `run(lo, hi)` on this thread. `message(from, to)` is a range's message.
   */
  const splitRange = (
    lo: number,
    hi: number,
    min: number,
    arrays: readonly unknown[],
    run: (from: number, to: number) => void,
    message: (from: number, to: number) => object,
  ): void => {
    if (closed || hi - lo < min || !arrays.every((a) => ArrayBuffer.isView(a) && isShared(a as FloatArray))) {
      run(lo, hi);
      return;
    }
    const size = Math.ceil((hi - lo) / threads / 16) * 16;
    const sent: Lane[] = [];
    for (let part = 1; part < threads; part++) {
      const from = lo + part * size;
      const to = Math.min(hi, from + size);
      if (to <= from) break;
      send(lanes[part - 1]!, sent, message(from, to));
    }
    run(lo, Math.min(hi, lo + size));
    awaitLanes(sent);
  };
  const adam: AdamRangeFunction = (p, g, m1, m2, b1, b2, lr, eps, t, tf, lo, hi) =>
    splitRange(
      lo,
      hi,
      THREADED_ADAM_MIN_ELEMENTS,
      [p, g, m1, m2],
      (from, to) => adamRangeKernel(p, g, m1, m2, b1, b2, lr, eps, t, tf, from, to),
      (from, to) => ({ adam: true, args: [p, g, m1, m2, b1, b2, lr, eps, t, tf, from, to] }),
    );
  const prefetchUniforms: UniformPrefetchFunction = (registers, out) => {
    if (closed || !isShared(registers) || !isShared(out)) {
      aleaFillPacked(registers, out);
      return () => {};
    }
    const lane = lanes[0]!;
    send(lane, [], { uniforms: true, args: [registers, out] });
    const seq = lane.seq;
    return () => awaitLane(lane, seq);
  };
  const binaryUnits: BinaryUnitsRangeFunction = (x, means, sample, uniforms, lo, hi) =>
    splitRange(
      lo,
      hi,
      THREADED_ELEMENTWISE_MIN_ELEMENTS,
      [x, means ?? x, sample ?? x, uniforms ?? x],
      (from, to) => binaryUnitsRangeKernel(x, means, sample, uniforms, from, to),
      (from, to) => ({ binaryUnits: true, args: [x, means, sample, uniforms, from, to] }),
    );
  /**
   * The product with an epilogue (see models/denseEpilogue.ts): split as `gemm` splits it, but only by
   * columns when a step needs whole columns and only by rows when one needs whole rows; each thread writes
   * the bias into its block of C, computes the block and runs the steps over it.
   */
  const gemmFused: GemmEpilogueFunction = (...fusedArgs) => {
    const epilogue = fusedArgs[16];
    const args = fusedArgs.slice(0, 16) as Parameters<GemmKernelFunction>;
    const [, , m, n, k, alpha, a, , , b, , , , c, offC] = args;
    const byRows = epilogue.wholeColumns ? false : epilogue.wholeRows ? true : m > n;
    const extent = byRows ? m : n;
    const unit = byRows ? 4 : 8;
    const parts = Math.min(threads, Math.floor(extent / unit));
    if (
      closed ||
      parts < 2 ||
      (epilogue.wholeRows && epilogue.wholeColumns) ||
      (!byRows && m < GEMM_WASM_MIN_ROWS) ||
      m * n * k < THREADED_GEMM_MIN_WORK ||
      alpha === 0 ||
      !isShared(a) ||
      !isShared(b) ||
      !isShared(c) ||
      !epilogueArrays(epilogue).every(isShared)
    ) {
      denseEpiloguePartKernel(gemmKernel, args, epilogue, offC, 0, m, 0, n);
      return;
    }
    const size = Math.ceil(extent / parts / unit) * unit;
    // each part's block of C: rows [lo, hi) of every column, or columns [lo, hi) of every row
    const block = (lo: number, hi: number): [number, number, number, number, number] =>
      byRows ? [offC, lo, hi, 0, n] : [offC, 0, m, lo, hi];
    const sent: Lane[] = [];
    for (let p = 1; p < parts; p++) {
      const lo = p * size;
      const hi = Math.min(extent, lo + size);
      if (hi <= lo) break;
      send(lanes[p - 1]!, sent, {
        fused: epilogue,
        args: partArgs(args, byRows, lo, hi),
        block: block(lo, hi),
      });
    }
    const own = Math.min(size, extent);
    denseEpiloguePartKernel(gemmKernel, partArgs(args, byRows, 0, own), epilogue, ...block(0, own));
    awaitLanes(sent);
  };
  /**
   * A step of symmetricEigen with this `gemm` (core/linalg/spawn.ts) on the first worker while the
   * caller does other work; in the calling thread once closed.
   */
  const spawnLinalg: LinalgSpawnFunction = (task, taskArgs) => {
    if (closed) {
      const ok = runLinalgTask(task, taskArgs);
      return () => ok;
    }
    const lane = lanes[0]!;
    send(lane, [], { task, taskArgs });
    return () => {
      awaitLanes([lane]);
      return Atomics.load(lane.control, SOLVED) === 1;
    };
  };
  registerLinalgSpawn(gemm, spawnLinalg);
  // bit-identical to gemmKernel (see the module doc), so training may keep its 0/1 products on gemmBinaryKernel
  registerExactGemm(gemm, gemmBinary);
  // and its Adam steps and binary units on the split element-wise kernels
  registerSplitAdam(gemm, adam);
  registerSplitBinaryUnits(gemm, { units: binaryUnits, prefetchUniforms });
  // and its element-wise work on the products' threads
  registerGemmEpilogue(gemm, gemmFused);
  return {
    threads,
    gemm,
    gemmBinary,
    adam,
    binaryUnits,
    close: () => {
      if (closed) return;
      closed = true;
      for (const lane of lanes) {
        lane.port.close();
        void lane.worker.terminate();
      }
    },
  };
}
