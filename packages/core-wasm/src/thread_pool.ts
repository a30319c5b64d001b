// Starts kernel worker threads over a shared memory and runs gemm calls split across them
// and the calling thread.
import { partitionGemm } from './gemm_partition.js';
import { ARGS, DONE, OP, OP_FAILED, OP_GEMM, OP_STOP, SEQ, SLOT_WORDS, waitWhileEqual } from './thread_control.js';
import type { ThreadInit } from './thread_worker.js';
import type { KernelExports } from './wasm_exports.js';

type GemmFn = KernelExports['gemm'];

interface WorkerHandle {
  terminate(): unknown;
}

const isNode = (): boolean => typeof process !== 'undefined' && !!process.versions?.node;

/** True when this runtime can share wasm memory with workers (browsers: only when cross-origin isolated). */
export function threadsSupported(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  if (isNode()) return true;
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true && typeof Worker !== 'undefined';
}

/** Logical cores here: `os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in browsers. */
export async function hardwareThreads(): Promise<number> {
  if (isNode()) {
    const os = await import(/* @vite-ignore */ /* webpackIgnore: true */ 'node:os');
    return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  }
  return Math.max(1, (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1);
}

async function spawn(init: ThreadInit): Promise<WorkerHandle> {
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
    return worker;
  }
  const worker = new Worker(new URL('./thread_worker.js', import.meta.url), { type: 'module' });
  await new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (e) => reject(new Error(`core-wasm: a kernel worker failed to start: ${e.message}`));
    worker.postMessage(init);
  });
  return worker;
}

/**
 * `count` worker threads, each with its own wasm instance, control slot and packing scratch
 * in the shared memory. The calling thread takes the first part of every split call itself.
 */
export class ThreadPool {
  private readonly ctl: Int32Array;
  private seq = 0;
  private readonly previousDone: Int32Array;
  // A browser window's main thread may not block in Atomics.wait; it polls instead.
  private readonly canSleep = isNode() || typeof (globalThis as { document?: unknown }).document === 'undefined';

  private constructor(
    memory: WebAssembly.Memory,
    private readonly controlBase: number,
    private readonly workers: WorkerHandle[],
  ) {
    this.ctl = new Int32Array(memory.buffer, controlBase, SLOT_WORDS * workers.length);
    this.previousDone = new Int32Array(workers.length + 1);
  }

  /** Starts `count` workers; `malloc` hands out the control block and the scratch buffers. */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, count: number, scratchBytes: number, malloc: (bytes: number) => number): Promise<ThreadPool> {
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
    return new ThreadPool(memory, controlBase, workers);
  }

  /** Threads that run kernels, the calling one included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** Byte offset of the control block (for tests that check the heap). */
  get controlOffset(): number {
    return this.controlBase;
  }

  /** gemm over the pool: the same arguments as the wasm export, split by partitionGemm. */
  gemm(run: GemmFn, transA: number, transB: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number, scratch: number, bias: number, activation: number): void {
    const { byRows, parts } = partitionGemm(m, n, k, this.threads);
    if (parts.length === 1) {
      run(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, acc, scratch, bias, activation);
      return;
    }
    const seq = (this.seq = (this.seq + 1) | 0);
    const previousDone = this.previousDone;
    for (let t = 1; t < parts.length; t++) {
      const { start, end } = parts[t];
      const slot = (t - 1) * SLOT_WORDS;
      const ctl = this.ctl;
      // Row part: op(A) rows start.. (column offset in stored A when transA); column part: op(B) columns.
      const aPart = byRows ? a + 4 * start * (transA ? 1 : lda) : a;
      const bPart = byRows ? b : b + 4 * start * (transB ? ldb : 1);
      const cPart = c + 4 * (byRows ? start * ldc : start);
      const biasPart = bias && !byRows ? bias + 4 * start : bias;
      ctl.set([transA, transB, byRows ? end - start : m, byRows ? n : end - start, k, aPart, lda, bPart, ldb, cPart, ldc, acc, biasPart, activation], slot + ARGS);
      ctl[slot + OP] = OP_GEMM;
      // The worker is idle, so DONE is stable until it finishes this call.
      previousDone[t] = ctl[slot + DONE];
      Atomics.store(ctl, slot + SEQ, seq);
      Atomics.notify(ctl, slot + SEQ);
    }
    const first = parts[0].end;
    run(transA, transB, byRows ? first : m, byRows ? n : first, k, a, lda, b, ldb, c, ldc, acc, scratch, bias, activation);
    let failed = false;
    for (let t = 1; t < parts.length; t++) {
      const slot = (t - 1) * SLOT_WORDS;
      waitWhileEqual(this.ctl, slot + DONE, previousDone[t], this.canSleep);
      if (this.ctl[slot + OP] === OP_FAILED) failed = true;
    }
    if (failed) throw new Error(`core-wasm: a kernel worker thread failed in gemm(m=${m}, n=${n}, k=${k}); its part of C is undefined.`);
  }

  /** Stops and terminates the workers. */
  dispose(): void {
    for (let t = 0; t < this.workers.length; t++) {
      const slot = t * SLOT_WORDS;
      this.ctl[slot + OP] = OP_STOP;
      Atomics.add(this.ctl, slot + SEQ, 1);
      Atomics.notify(this.ctl, slot + SEQ);
      void this.workers[t].terminate();
    }
  }
}
