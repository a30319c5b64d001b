// The memory, heap and thread pool that the kernel wrappers run on, and gemm over them.
import { Activation } from './activation.js';
import { gemmPartArgs, partitionGemm } from './gemm_partition.js';
import { Heap } from './heap.js';
import { invokeKernel, KernelId } from './parallel_kernels.js';
import { partitionRange } from './range_partition.js';
import { SLOWEST_FLOATS_PER_MS, SLOWEST_FLOP_PER_MS, type ThreadPool } from './thread_pool.js';
import type { KernelExports } from './wasm_exports.js';

/** Which build of the kernels is running. */
export type Flavor = 'simd' | 'relaxed-simd';

/** What {@link Core.gemm} applies to C in the same call: a bias row (pointer to n floats) and an element-wise activation. */
export interface GemmEpilogue {
  bias?: number;
  /** Any kind but Softmax; Linear (the default) applies none. */
  activation?: Activation;
}

/** The linear memory, its heap and views, the threads, and gemm: what every kernel wrapper of {@link Core} builds on. */
export abstract class CoreBase {
  protected readonly heap: Heap;
  protected readonly scratch: number;
  private f32View: Float32Array;
  private i32View: Int32Array;
  protected pool: ThreadPool | null = null;

  constructor(
    /** The kernel build in use. */
    readonly flavor: Flavor,
    /** The linear memory the kernels and the heap work in. */
    readonly memory: WebAssembly.Memory,
    protected readonly k: KernelExports,
  ) {
    this.heap = new Heap(memory, k.heapBase());
    // One packing buffer for every gemm call, sized by the kernels' own block sizes.
    this.scratch = this.heap.malloc(k.gemmScratchBytes());
    this.f32View = new Float32Array(memory.buffer);
    this.i32View = new Int32Array(memory.buffer);
  }

  /**
   * Threads that run gemm and the other big kernels of a training step (im2col/col2im, pooling,
   * dropout masks, Adam): 1 + worker threads. Set with `loadCore({ threads })`;
   * results are bit-identical for every thread count. Drops to 1 when a worker thread dies
   * between calls (see {@link Core.gemm}).
   */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  /** @internal For tests: the worker threads, or null when gemm runs on the calling thread alone. */
  get threadPool(): ThreadPool | null {
    return this.pool;
  }

  /** @internal Used by loadCore: routes the splittable kernels through worker threads from now on. */
  attachThreadPool(pool: ThreadPool): void {
    this.pool = pool;
    pool.whenWorkerDies((reason) => {
      this.pool = null;
      console.warn(`core-wasm: ${reason}; kernels run on the calling thread alone from now on, with the same results. To use threads again load a new core (km.setThreads(n) in @kerasm/sdk, or loadCore({ threads: n })), and check that the process has memory to spare.`);
    });
  }

  /**
   * Stops the worker threads, if any; the Core keeps working on the calling thread alone,
   * except after a gemm timed out (see {@link Core.gemm}).
   */
  dispose(): void {
    this.pool?.dispose();
    // A pool that timed out stays attached so that gemm keeps refusing: its worker may still write.
    if (!this.pool?.timedOut) this.pool = null;
  }

  /** Allocates `bytes` bytes, 16-byte aligned; may grow the memory (then call f32()/i32() again). */
  malloc(bytes: number): number {
    return this.heap.malloc(bytes);
  }

  /** Frees a pointer returned by malloc; throws on a double free or an unknown pointer. */
  free(ptr: number): void {
    this.heap.free(ptr);
  }

  /** A Float32Array over the whole memory (index = ptr / 4), re-created after the memory grew. */
  f32(): Float32Array {
    if (this.f32View.buffer !== this.memory.buffer) this.f32View = new Float32Array(this.memory.buffer);
    return this.f32View;
  }

  /** An Int32Array over the whole memory (index = ptr / 4), re-created after the memory grew. */
  i32(): Int32Array {
    if (this.i32View.buffer !== this.memory.buffer) this.i32View = new Int32Array(this.memory.buffer);
    return this.i32View;
  }

  /** Current size of the memory in bytes. */
  byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** @internal Used by loadCore: the calling thread's gemm packing buffer. */
  get scratchOffset(): number {
    return this.scratch;
  }

  /** Bytes currently allocated through malloc (including the gemm packing buffer). */
  allocatedBytes(): number {
    return this.heap.allocatedBytes;
  }

  /**
   * C[m×n] = (accumulate ? C : 0) + op(A)·op(B), row-major. op(A) is m×k (A stored k×m when
   * transA), op(B) is k×n (B stored n×k when transB); lda/ldb/ldc are row strides in elements.
   * With an `epilogue`, C = f(… + bias) in the same call: each block of C gets the bias and the
   * activation while it is still in cache, bit-identical to biasAdd then activationForward.
   *
   * With worker threads, a worker that dies between calls (Node: its 'exit' or 'error' event;
   * browsers: 'error') makes the Core stop the others, warn once, and run every later kernel on
   * the calling thread, with the same results. A worker that does not answer within
   * max(10 s, 2mnk / 0.5 GFLOP/s) (it died while the caller was blocked, or it hangs) makes the
   * call throw, and every later threaded kernel call on this Core throws too: the worker might
   * still write its part into memory that has been reused. Load a new core then
   * (`loadCore({ threads: 1 })`). The other threaded kernels handle dead workers the same way.
   *
   * @example
   * // A Dense layer's forward pass: out = relu(x · W + b).
   * core.gemm(false, false, batch, units, inputs, x, inputs, w, units, out, units, false, { bias: b, activation: Activation.Relu });
   */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number, accumulate: boolean,
    epilogue: GemmEpilogue = {},
  ): void {
    const bias = epilogue.bias ?? 0;
    const activation = epilogue.activation ?? Activation.Linear;
    if (activation === Activation.Sparsemax) {
      throw new Error('core-wasm: gemm cannot fuse sparsemax (it needs whole rows); call activationForward(Activation.Sparsemax, …) after it.');
    }
    if (activation === Activation.Softmax) {
      throw new Error('core-wasm: gemm cannot fuse softmax (it needs whole rows); call activationForward(Activation.Softmax, …) after it.');
    }
    const [tA, tB, acc] = [transA ? 1 : 0, transB ? 1 : 0, accumulate ? 1 : 0];
    if (!this.pool) {
      this.k.gemm(tA, tB, m, n, k, a, lda, b, ldb, c, ldc, acc, this.scratch, bias, activation);
      return;
    }
    const args = [tA, tB, m, n, k, a, lda, b, ldb, c, ldc, acc, 0, bias, activation];
    this.pool.run(KernelId.Gemm, () => `gemm(m=${m}, n=${n}, k=${k})`, (2 * m * n * k) / SLOWEST_FLOP_PER_MS, (threads) => {
      const { byRows, parts } = partitionGemm(m, n, k, threads);
      return parts.map((part) => gemmPartArgs(args, byRows, part));
    });
  }

  /**
   * Runs kernel `id` over [0, length) of one dimension: on the calling thread alone, or split
   * into contiguous ranges of whole `align` units where the pool's threads pay (at least
   * rangeSplit.minWorkPerPart floats of work each, at `unitWork` per index). `partArgs(start,
   * end)` gives the export's arguments for a range; each range must write outputs no other
   * range writes.
   */
  protected split(id: KernelId, name: string, length: number, unitWork: number, align: number, partArgs: (start: number, end: number) => number[]): void {
    if (!this.pool) {
      invokeKernel(this.k, id, partArgs(0, length), this.scratch);
      return;
    }
    this.pool.run(id, () => `${name}(${length} × ${unitWork})`, (length * unitWork) / SLOWEST_FLOATS_PER_MS, (threads) =>
      partitionRange(length, threads, unitWork, align).map(({ start, end }) => partArgs(start, end)));
  }
}
