import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Core } from './core.js';
import { partitionGemm } from './gemm_partition.js';
import { loadCore } from './loader.js';
import { get, put, randomArray, referenceGemm } from './test_support.js';

// Large enough that partitionGemm gives the worker a part on 2 threads.
const [m, n, k] = [256, 64, 300];
const a = randomArray(m * k, 1);
const b = randomArray(k * n, 2);

/** A fresh 2-thread core (not the shared test cores: these tests break its threads). */
async function twoThreadCore(): Promise<{ core: Core; run: () => void; c: () => Float32Array }> {
  const core = await loadCore({ flavor: 'simd', threads: 2 });
  const pa = put(core, a), pb = put(core, b), pc = core.malloc(4 * m * n);
  return {
    core,
    run: () => {
      core.f32().fill(Number.NaN, pc / 4, pc / 4 + m * n);
      core.gemm(false, false, m, n, k, pa, k, pb, n, pc, n, false);
    },
    c: () => get(core, pc, m * n),
  };
}

function expectProduct(got: Float32Array): void {
  const { c, mag } = referenceGemm(false, false, m, n, k, a, k, b, n, new Float32Array(m * n), n, false);
  for (let i = 0; i < m * n; i++) expect(Math.abs(got[i] - c[i])).toBeLessThanOrEqual(1e-6 + 2e-6 * mag[i]);
}

describe('ThreadPool when a kernel worker thread dies', () => {
  afterEach(() => vi.restoreAllMocks());

  it('splits the test call, so the worker really takes part', () => {
    expect(partitionGemm(m, n, k, 2).parts).toHaveLength(2);
  });

  it('runs later gemm calls on the calling thread after a worker exits, with the same result', async () => {
    const { core, run, c } = await twoThreadCore();
    run();
    expectProduct(c());
    const warn = vi.spyOn(console, 'warn');
    const pool = core.threadPool!;
    // Should the pool not hear the exit, the next call times out rather than hangs the run.
    pool.waitFloorMs = 100;
    // Resolves after the 'exit' event, which the pool hears first.
    await pool.terminateWorker(1);
    expect(core.threads).toBe(1);
    expect(core.threadPool).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/kernel worker thread 1 exited with code \d+; kernels run on the calling thread alone from now on.*loadCore\(\{ threads: n \}\)/);
    run();
    expectProduct(c());
  });

  it('runs the part of a worker that has not started it on the calling thread, and leaves that worker out until it answers', async () => {
    const { core, run, c } = await twoThreadCore();
    const pool = core.threadPool!;
    pool.waitFloorMs = 100;
    const warn = vi.spyOn(console, 'warn');
    // Not awaited: the thread is gone but its 'exit' event cannot arrive while gemm blocks the
    // event loop, as when the OS never schedules a worker. The caller claims its part.
    const exited = pool.terminateWorker(1);
    run();
    expectProduct(c());
    expect(pool.timedOut).toBe(false);
    // The worker never acknowledged that post, so the next call runs without it.
    run();
    expectProduct(c());
    await exited;
    expect(core.threads).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('throws a clear error when a worker that took its part does not finish in time, then refuses every gemm', async () => {
    const { core, run } = await twoThreadCore();
    const pool = core.threadPool!;
    pool.waitFloorMs = 100;
    const warn = vi.spyOn(console, 'warn');
    pool.hangNextPart = true;
    // (vitest's timeout cannot fire while gemm blocks: a wait without deadline would hang the run.)
    expect(run).toThrow(/^core-wasm: gemm\(m=256, n=64, k=300\): kernel worker thread 1 did not answer within 0.1 s and has probably crashed .* or hung\. .*km\.setThreads\(1\) .* loadCore\(\{ threads: 1 \}\)/);
    expect(pool.timedOut).toBe(true);
    // The stopped worker's late 'exit' must not bring the pool back, nor let dispose() hand gemm to one thread.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(warn).not.toHaveBeenCalled();
    const refused = /^core-wasm: gemm\(m=256, n=64, k=300\) refused: an earlier gemm\(m=256, n=64, k=300\) timed out waiting for kernel worker thread 1, .*loadCore\(\{ threads: 1 \}\)/;
    expect(run).toThrow(refused);
    core.dispose();
    expect(run).toThrow(refused);
  });
});

describe('ThreadPool with a kernel other than gemm', () => {
  it('times out on a hung worker with the kernel named, then refuses gemm too', async () => {
    const { core, run } = await twoThreadCore();
    const pool = core.threadPool!;
    pool.waitFloorMs = 100;
    // 40 images of 12×12×4 under a 3×3 'same' window: 40 × 5,184 floats of columns, split in two.
    const g = { batch: 40, inH: 12, inW: 12, channels: 4, kH: 3, kW: 3, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 1, padLeft: 1, outH: 12, outW: 12 };
    const x = core.malloc(4 * 40 * 12 * 12 * 4), cols = core.malloc(4 * 40 * 12 * 12 * 36);
    pool.hangNextPart = true;
    expect(() => core.im2col(x, cols, g)).toThrow(/^core-wasm: im2col\(40 × 5184\): kernel worker thread 1 did not answer within 0.1 s .*no more threaded kernel calls/);
    expect(run).toThrow(/^core-wasm: gemm\(m=256, n=64, k=300\) refused: an earlier im2col\(40 × 5184\) timed out waiting for kernel worker thread 1/);
  });
});
