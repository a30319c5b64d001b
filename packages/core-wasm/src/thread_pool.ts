// Starts kernel worker threads over a shared memory and runs kernel calls (gemm, im2col,
// pooling, ...) split across them and the calling thread.
import { invokeKernel, type KernelId, writeCall } from './parallel_kernels.js';
import { ARGS, BY_CALLER, BY_WORKER, CLAIM, DONE, OP, OP_FAILED, OP_HANG, OP_RUN, OP_STOP, OPEN, SEQ, SLOT_WORDS, waitWhileEqual } from './thread_control.js';
import type { ThreadInit } from './thread_worker.js';
import type { KernelExports } from './wasm_exports.js';

/** One kernel worker thread, Node's or the browser's, behind the two things the pool needs. */
interface KernelWorker {
  /** Stops the thread. Node: resolves once it has exited; browsers: at once. */
  terminate(): Promise<unknown>;
  /**
   * Calls `listener` when the thread dies on its own (Node: 'exit' or 'error'; browsers: 'error',
   * after which our worker's serving loop has unwound). Either way it can write no more memory.
   */
  onDeath(listener: (reason: string) => void): void;
}

const isNode = (): boolean => typeof process !== 'undefined' && !!process.versions?.node;

/** True when this runtime can share wasm memory with workers (browsers: only when cross-origin isolated). */
export function threadsSupported(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  if (isNode()) return true;
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true && typeof Worker !== 'undefined';
}

/**
 * How many threads a core asked for `asked` gets here: `asked` where {@link threadsSupported},
 * else 1 (a browser page that is not cross-origin isolated has no SharedArrayBuffer).
 */
export function usableThreads(asked: number): number {
  return threadsSupported() ? asked : 1;
}

/** Logical cores here: `os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in browsers. */
export async function hardwareThreads(): Promise<number> {
  if (isNode()) {
    const os = await import(/* @vite-ignore */ /* webpackIgnore: true */ 'node:os');
    return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  }
  return Math.max(1, (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1);
}

async function spawn(init: ThreadInit): Promise<KernelWorker> {
  if (isNode()) {
    const { Worker } = await import(/* @vite-ignore */ /* webpackIgnore: true */ 'node:worker_threads');
    // Under vitest this module runs from src/*.ts, which a Node worker cannot load: use the build.
    const fromSource = import.meta.url.endsWith('.ts');
    const worker = new Worker(new URL(fromSource ? '../dist/thread_worker.js' : './thread_worker.js', import.meta.url));
    // Workers sleep in Atomics.wait between calls; they must not keep the process alive.
    worker.unref();
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
      worker.postMessage(init);
    });
    return {
      terminate: () => worker.terminate(),
      onDeath: (listener) => {
        worker.once('exit', (code) => listener(`exited with code ${code}`));
        worker.once('error', (error) => listener(`failed: ${(error as Error)?.message ?? String(error)}`));
      },
    };
  }
  const worker = new Worker(new URL('./thread_worker.js', import.meta.url), { type: 'module' });
  await new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (e) => reject(new Error(`core-wasm: a kernel worker failed to start: ${e.message}`));
    worker.postMessage(init);
  });
  return {
    terminate: async () => worker.terminate(),
    onDeath: (listener) => worker.addEventListener('error', (e) => listener(`failed: ${e.message}`)),
  };
}

// How long a call waits for its workers before it gives up: WAIT_FLOOR_MS, or longer for a big
// call (the caller's estimate: for gemm, its flops at SLOWEST_FLOP_PER_MS). The kernels run at
// about 55 GFLOP/s per core on a desktop and 5-10 on a slow phone; 0.5 GFLOP/s for the whole
// call (a worker's part is smaller) is 100× below the desktop and leaves a phone sharing each
// core with ten busy threads room to finish.
// The floor covers stalls that do no arithmetic at all: a thread descheduled on a loaded
// machine, page faults on a swapping one, a GC pause. 64×784·784×64 (6.4 MFLOP) gets the 10 s
// floor; 4096³ gets 275 s.
const WAIT_FLOOR_MS = 10_000;
export const SLOWEST_FLOP_PER_MS = 5e5;
// The same margin for the memory-bound kernels (im2col, pooling, optimizers): a desktop core
// moves about 1e6 floats per ms through them; 100× below that.
export const SLOWEST_FLOATS_PER_MS = 1e4;

/**
 * `count` worker threads, each with its own wasm instance, control slot and packing scratch
 * in the shared memory. A call is one of the kernels in parallel_kernels.ts, split by its
 * caller into parts over disjoint output ranges. The calling thread takes the first part itself,
 * then claims every posted part that no worker has started yet: a worker the OS has not
 * scheduled (a loaded machine) costs the call the time of its part, not a wait for the thread
 * to wake. A worker that has not acknowledged its last post sits out the next calls until it
 * has, so a slot is never rewritten under a thread that may still read it. Every part computes
 * whole output elements with the arithmetic of a one-thread call, so whoever runs it the result
 * is bit-identical.
 *
 * A worker that dies on its own between calls (its 'exit' or 'error' event) stops the pool and
 * is reported to {@link ThreadPool.whenWorkerDies}: it can write no more memory, so the owner
 * may carry on without threads. A worker that does not answer a call in time (dead, but its
 * event cannot arrive while the caller blocks, or stuck) may still write its part later:
 * the call throws, and the pool refuses every later call.
 */
export class ThreadPool {
  /** @internal For tests: the least time a call waits for its workers before it gives up, in ms. */
  waitFloorMs = WAIT_FLOOR_MS;
  private readonly ctl: Int32Array;
  /** The same words as ctl, for f32 arguments. */
  private readonly ctlFloats: Float32Array;
  private seq = 0;
  /** The sequence number last posted to each worker (index t − 1); DONE equal to it means acknowledged. */
  private readonly posted: Int32Array;
  /** Each worker's DONE before its current post, which awaitWorker waits to see change. */
  private readonly acknowledged: Int32Array;
  /** @internal For tests: the next posted part is claimed for its worker, which blocks on it. */
  hangNextPart = false;
  // A browser window's main thread may not block in Atomics.wait; it polls instead.
  private readonly canSleep = isNode() || typeof (globalThis as { document?: unknown }).document === 'undefined';
  private stopped = false;
  /** What timed out, once a call has: every later call refuses to run. */
  private timeout: string | null = null;
  private onWorkerDeath: (reason: string) => void = () => {};

  private constructor(
    memory: WebAssembly.Memory,
    private readonly controlBase: number,
    private readonly workers: KernelWorker[],
    private readonly exports: KernelExports,
    private readonly scratch: number,
  ) {
    this.ctl = new Int32Array(memory.buffer, controlBase, SLOT_WORDS * workers.length);
    this.ctlFloats = new Float32Array(memory.buffer, controlBase, SLOT_WORDS * workers.length);
    this.posted = new Int32Array(workers.length);
    this.acknowledged = new Int32Array(workers.length);
    workers.forEach((worker, i) => worker.onDeath((reason) => this.workerDied(i + 1, reason)));
  }

  /**
   * Starts `count` workers; `malloc` hands out the control block and their scratch buffers. The
   * calling thread runs its parts with `exports` and its own `scratch`.
   */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, count: number, exports: KernelExports, scratch: number, malloc: (bytes: number) => number): Promise<ThreadPool> {
    const scratchBytes = exports.gemmScratchBytes();
    const controlBase = malloc(count * SLOT_WORDS * 4);
    new Int32Array(memory.buffer, controlBase, count * SLOT_WORDS).fill(0);
    const inits = Array.from({ length: count }, (_, i): ThreadInit => ({
      module, memory, control: controlBase + i * SLOT_WORDS * 4, scratch: malloc(scratchBytes),
    }));
    const settled = await Promise.allSettled(inits.map(spawn));
    const workers = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      for (const w of workers) void w.terminate();
      throw new Error(`core-wasm: could not start ${count} kernel worker thread(s): ${(failed.reason as Error)?.message ?? failed.reason}`, { cause: failed.reason });
    }
    return new ThreadPool(memory, controlBase, workers, exports, scratch);
  }

  /** Threads that run kernels, the calling one included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** Byte offset of the control block (for tests that check the heap). */
  get controlOffset(): number {
    return this.controlBase;
  }

  /** True once a call gave up waiting for a worker: the pool then refuses every call. */
  get timedOut(): boolean {
    return this.timeout !== null;
  }

  /**
   * Calls `listener` with e.g. "kernel worker thread 1 exited with code 1" if a worker dies on
   * its own while the pool runs. The pool has then stopped its other workers and runs no call.
   */
  whenWorkerDies(listener: (reason: string) => void): void {
    this.onWorkerDeath = listener;
  }

  /** @internal For tests: terminates worker `t` (1-based, as errors count them) as a crash would. */
  terminateWorker(t: number): Promise<unknown> {
    return this.workers[t - 1].terminate();
  }

  /**
   * Runs kernel `id` split over the pool: `partition(threads)` returns the argument lists of at
   * most `threads` parts (the export's own arguments over disjoint sub-ranges); the caller runs
   * the first and claims every other that its worker has not started. `describe` names the call
   * in errors; `slowestMs` is how long the whole call may take on the slowest device we allow
   * for (the wait is never shorter than waitFloorMs).
   */
  run(id: KernelId, describe: () => string, slowestMs: number, partition: (threads: number) => number[][]): void {
    if (this.stopped) throw this.refusal(describe());
    const ready = this.readyWorkers();
    const parts = partition(1 + ready.length);
    if (parts.length === 1) {
      invokeKernel(this.exports, id, parts[0], this.scratch);
      return;
    }
    const waitMs = Math.max(this.waitFloorMs, slowestMs);
    const deadline = performance.now() + waitMs;
    const ctl = this.ctl;
    for (let p = 1; p < parts.length; p++) {
      const t = ready[p - 1];
      const slot = (t - 1) * SLOT_WORDS;
      const seq = (this.seq = (this.seq + 1) | 0);
      writeCall(ctl, this.ctlFloats, slot + ARGS, id, parts[p]);
      ctl[slot + OP] = this.hangNextPart ? OP_HANG : OP_RUN;
      ctl[slot + CLAIM] = this.hangNextPart ? BY_WORKER : OPEN;
      this.hangNextPart = false;
      this.acknowledged[t - 1] = this.posted[t - 1];
      this.posted[t - 1] = seq;
      Atomics.store(ctl, slot + SEQ, seq);
      Atomics.notify(ctl, slot + SEQ);
    }
    invokeKernel(this.exports, id, parts[0], this.scratch);
    let failed = false;
    for (let p = 1; p < parts.length; p++) {
      const t = ready[p - 1];
      const slot = (t - 1) * SLOT_WORDS;
      if (Atomics.compareExchange(ctl, slot + CLAIM, OPEN, BY_CALLER) === OPEN) invokeKernel(this.exports, id, parts[p], this.scratch);
      else if (this.awaitWorker(t, deadline, waitMs, describe)) failed = true;
    }
    if (failed) throw new Error(`core-wasm: a kernel worker thread failed in ${describe()}; its part of the output is undefined.`);
  }

  /** Workers (1-based) that have acknowledged their last post, so their slots may be rewritten. */
  private readyWorkers(): number[] {
    const ready: number[] = [];
    for (let t = 1; t <= this.workers.length; t++) {
      if (Atomics.load(this.ctl, (t - 1) * SLOT_WORDS + DONE) === this.posted[t - 1]) ready.push(t);
    }
    return ready;
  }

  /** Stops and terminates the workers. */
  dispose(): void {
    this.stopped = true;
    for (let t = 0; t < this.workers.length; t++) {
      const slot = t * SLOT_WORDS;
      this.ctl[slot + OP] = OP_STOP;
      Atomics.add(this.ctl, slot + SEQ, 1);
      Atomics.notify(this.ctl, slot + SEQ);
      void this.workers[t].terminate();
    }
  }

  /**
   * Waits for worker t to finish the part it claimed; returns whether its kernel threw. Throws if
   * it is not done by `deadline`.
   */
  private awaitWorker(t: number, deadline: number, waitMs: number, describe: () => string): boolean {
    const slot = (t - 1) * SLOT_WORDS;
    const before = this.acknowledged[t - 1];
    if (waitWhileEqual(this.ctl, slot + DONE, before, this.canSleep, deadline) === before) {
      const call = describe();
      this.timeout = `${call} timed out waiting for kernel worker thread ${t}`;
      this.dispose();
      throw new Error(`core-wasm: ${call}: kernel worker thread ${t} did not answer within ${+(waitMs / 1000).toFixed(1)} s and has probably crashed (killed, out of memory) or hung. The output is undefined and this core runs no more threaded kernel calls (gemm, im2col, pooling, …); load a new one on one thread with km.setThreads(1) (@kerasm/sdk) or loadCore({ threads: 1 }), and check that the process has memory to spare.`);
    }
    return this.ctl[slot + OP] === OP_FAILED;
  }

  private workerDied(t: number, reason: string): void {
    // After dispose or a timeout the pool is already out of use; the first death reports.
    if (this.stopped) return;
    this.dispose();
    this.onWorkerDeath(`kernel worker thread ${t} ${reason}`);
  }

  private refusal(call: string): Error {
    if (this.timeout === null) return new Error(`core-wasm: ${call} was sent to a stopped thread pool; run it on the calling thread instead.`);
    return new Error(`core-wasm: ${call} refused: an earlier ${this.timeout}, which may still write into this core's memory, so this core runs no more threaded kernel calls (gemm, im2col, pooling, …). Load a new one on one thread with km.setThreads(1) (@kerasm/sdk) or loadCore({ threads: 1 }).`);
  }
}
