// Every kernel that the thread pool splits (besides gemm, which gemm.test.ts covers) gives
// bit-identical results on 1, 2 and 3 threads, at odd sizes big enough to be split.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from './core.js';
import type { WindowGeometry } from './geometry.js';
import { MAX_CALL_WORDS } from './parallel_kernels.js';
import { partitionRange, rangeSplit } from './range_partition.js';
import { ARGS, SLOT_WORDS } from './thread_control.js';
import { coreFor, get, put, randomArray } from './test_support.js';
import { geometry, inputSize, outputSize } from './test_windows.js';
import { volumeGeometry, volumeInputSize, volumeOutputSize } from './test_volumes.js';

const THREADS = [1, 2, 3];
const cores: Core[] = [];
/** How many parts each split call of cores[i] ran in. */
const partCounts: number[][] = [];

beforeAll(async () => {
  for (const threads of THREADS) {
    const core = await coreFor('simd', threads);
    const counts: number[] = [];
    const pool = core.threadPool;
    if (pool) {
      const run = pool.run.bind(pool);
      pool.run = (id, describe, slowestMs, partition) => run(id, describe, slowestMs, (t) => {
        const parts = partition(t);
        counts.push(parts.length);
        return parts;
      });
    }
    cores.push(core);
    partCounts.push(counts);
  }
});

const idle = () => new Promise((resolve) => setTimeout(resolve, 10));

/**
 * Runs `call` on each core over copies of `inputs` and of `outputs` (outputs start random, so an
 * output a kernel failed to write shows up), and expects every core's outputs to equal the
 * one-thread core's bit for bit. Checks that the 3-thread core split the call 3 ways: a worker still
 * finishing its acknowledgement of the previous call (on a busy machine) is left out of a split, so
 * the call is repeated after a pause until every worker took part.
 */
async function expectSameOnEveryThreadCount(inputs: Float32Array[], outputs: number[], call: (core: Core, p: number[]) => void): Promise<void> {
  const runOn = (core: Core, i: number): Float32Array[] => {
    partCounts[i].length = 0;
    const ptrs = [...inputs, ...outputs.map((n, j) => randomArray(n, 100 + j))].map((data) => put(core, data));
    call(core, ptrs);
    const out = outputs.map((n, j) => get(core, ptrs[inputs.length + j], n));
    ptrs.forEach((p) => core.free(p));
    return out;
  };
  const results: Float32Array[][] = [];
  for (let i = 0; i < cores.length; i++) {
    results.push(runOn(cores[i], i));
    for (let retry = 0; i === 2 && !partCounts[2].includes(3) && retry < 50; retry++) {
      await idle();
      results[i] = runOn(cores[i], i);
    }
  }
  expect(partCounts[2]).toContain(3);
  for (let i = 1; i < cores.length; i++) results[i].forEach((out, j) => expect(out, `${THREADS[i]} threads, output ${j}`).toEqual(results[0][j]));
}

// Odd sizes, overlapping windows ('same', stride below the window) so that scatters add into
// positions shared by several windows.
const convShapes: WindowGeometry[] = [
  geometry(23, 13, 11, 5, 3, 3, [1, 1], [1, 1], 'same'),
  geometry(71, 15, 13, 3, 3, 3, [2, 1], [2, 2], 'valid'),
  { ...geometry(13, 13, 11, 6, 3, 3, [1, 1], [1, 1], 'same'), groups: 3 },
];
const poolShape = geometry(31, 17, 15, 9, 3, 3, [2, 2], [1, 1], 'same');
const colsSize = (g: WindowGeometry) => g.batch * g.outH * g.outW * g.kH * g.kW * g.channels;

describe('kernels split over threads', () => {
  it('fit a call of the largest kernel into a control slot', () => {
    expect(ARGS + MAX_CALL_WORDS).toBeLessThanOrEqual(SLOT_WORDS);
  });

  it.each(convShapes.map((g, i) => [i, g] as const))('im2col and col2im, shape %i', async (_, g) => {
    await expectSameOnEveryThreadCount([randomArray(inputSize(g), 1)], [colsSize(g)], (core, [x, cols]) => core.im2col(x, cols, g));
    await expectSameOnEveryThreadCount([randomArray(colsSize(g), 2)], [inputSize(g)], (core, [cols, dx]) => core.col2im(cols, dx, g));
  });

  it('max pooling and its gradient', async () => {
    const g = poolShape;
    const x = randomArray(inputSize(g), 3), dy = randomArray(outputSize(g), 4);
    await expectSameOnEveryThreadCount([x], [outputSize(g)], (core, [px, py]) => core.maxPool(px, py, g));
    await expectSameOnEveryThreadCount([x, dy], [outputSize(g), inputSize(g)], (core, [px, pdy, py, pdx]) => {
      core.maxPool(px, py, g);
      core.maxPoolGrad(px, py, pdy, pdx, g);
    });
  });

  it('average pooling and its gradient', async () => {
    const g = poolShape;
    await expectSameOnEveryThreadCount([randomArray(inputSize(g), 5)], [outputSize(g)], (core, [x, y]) => core.avgPool(x, y, g));
    await expectSameOnEveryThreadCount([randomArray(outputSize(g), 6)], [inputSize(g)], (core, [dy, dx]) => core.avgPoolGrad(dy, dx, g));
  });

  it('volumes: im2col, col2im and max pooling with a depth axis', async () => {
    const g = volumeGeometry(13, [5, 7, 6], 3, [3, 3, 3], [1, 2, 1], [1, 1, 1], 'same');
    const cols = g.batch * g.outD! * g.outH * g.outW * 27 * g.channels;
    await expectSameOnEveryThreadCount([randomArray(volumeInputSize(g), 1)], [cols], (core, [x, c]) => core.im2col(x, c, g));
    await expectSameOnEveryThreadCount([randomArray(cols, 2)], [volumeInputSize(g)], (core, [c, dx]) => core.col2im(c, dx, g));
    const x = randomArray(volumeInputSize(g), 3), dy = randomArray(volumeOutputSize(g), 4);
    await expectSameOnEveryThreadCount([x, dy], [volumeOutputSize(g), volumeInputSize(g)], (core, [px, pdy, py, pdx]) => {
      core.maxPool(px, py, g);
      core.maxPoolGrad(px, py, pdy, pdx, g);
    });
  });

  it('dropoutMask keeps each element\'s global index in its hash', async () => {
    await expectSameOnEveryThreadCount([], [30_001], (core, [mask]) => core.dropoutMask(mask, 30_001, 0.3, 0xdeadbeef));
  });

  it('adamUpdate over several steps', async () => {
    const n = 20_003;
    await expectSameOnEveryThreadCount([randomArray(n, 9)], [n, n, n], (core, [grads, params, m, v]) => {
      core.fill(m, n, 0);
      core.fill(v, n, 0);
      for (let step = 1; step <= 3; step++) core.adamUpdate(params, grads, m, v, n, 0.001 * step, 0.9, 0.999, 1e-7);
    });
  });
});

describe('partitionRange', () => {
  it('covers [0, length) with contiguous parts of whole align units, each with enough work', () => {
    for (const [length, unitWork, align] of [[23, 6435, 1], [30_001, 8, 4], [1, 1e6, 1], [7, 1, 4]]) {
      for (const threads of [1, 2, 3, 16]) {
        const parts = partitionRange(length, threads, unitWork, align);
        expect(parts[0].start).toBe(0);
        expect(parts[parts.length - 1].end).toBe(length);
        expect(parts.length).toBeLessThanOrEqual(threads);
        for (let i = 0; i < parts.length; i++) {
          if (i > 0) expect(parts[i].start).toBe(parts[i - 1].end);
          if (i < parts.length - 1) expect(parts[i].end % align).toBe(0);
          if (i < parts.length - 1) expect((parts[i].end - parts[i].start) * unitWork).toBeGreaterThanOrEqual(rangeSplit.minWorkPerPart);
        }
      }
    }
  });

  it('keeps a small call on one thread, and an empty one as one empty part', () => {
    expect(partitionRange(64, 16, 10, 4)).toEqual([{ start: 0, end: 64 }]);
    expect(partitionRange(0, 16, 1e6, 4)).toEqual([{ start: 0, end: 0 }]);
  });

  it('runs empty calls through a threaded core', () => {
    const core = cores[2];
    const p = put(core, randomArray(8, 1));
    core.adamUpdate(p, p, p, p, 0, 0.1, 0.9, 0.999, 1e-7);
    core.dropoutMask(p, 0, 0.5, 1);
    expect(get(core, p, 8)).toEqual(randomArray(8, 1));
    core.free(p);
  });
});
