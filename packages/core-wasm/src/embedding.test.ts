import { describe, expect, it } from 'vitest';
import { coreFor, FLAVORS, get, put, randomArray } from './test_support.js';

// Naive loops: gather rows, and scatter-add rows, of a [inputDim, dim] table.
function gather(indices: number[], table: Float32Array, dim: number): number[] {
  return indices.flatMap((r) => Array.from(table.subarray(r * dim, (r + 1) * dim)));
}

function scatterAdd(indices: number[], dy: Float32Array, inputDim: number, dim: number): number[] {
  const out = new Array<number>(inputDim * dim).fill(0);
  indices.forEach((r, i) => {
    for (let j = 0; j < dim; j++) out[r * dim + j] += dy[i * dim + j];
  });
  return out;
}

describe.each(FLAVORS)('embedding lookups (%s)', (flavor) => {
  it.each([[1, 1, 1], [7, 5, 3], [13, 17, 9], [40, 64, 11]])('n %i, dim %i, inputDim %i: rows gathered, gradients scatter-added over repeated indices', async (n, dim, inputDim) => {
    const core = await coreFor(flavor);
    // Every index repeats once n exceeds inputDim; the first two are equal whenever n > 1.
    const indices = Array.from({ length: n }, (_, i) => (i === 1 ? 0 : (i * 7) % inputDim));
    const table = randomArray(inputDim * dim, 1);
    const dy = randomArray(n * dim, 2);
    const [pi, pt, po, pdy, pdt] = [Float32Array.from(indices), table, new Float32Array(n * dim), dy, randomArray(inputDim * dim, 3)].map((a) => put(core, a));
    core.embeddingForward(pi, pt, po, n, dim, inputDim);
    expect(Array.from(get(core, po, n * dim))).toEqual(gather(indices, table, dim));
    core.embeddingBackward(pi, pdy, pdt, n, dim, inputDim);
    const expected = scatterAdd(indices, dy, inputDim, dim);
    get(core, pdt, inputDim * dim).forEach((v, k) => expect(v).toBeCloseTo(expected[k], 5));
    [pi, pt, po, pdy, pdt].forEach((p) => core.free(p));
  });

  it('clamps indices outside [0, inputDim), fractions and NaN instead of reading or writing past the table', async () => {
    const core = await coreFor(flavor);
    const [dim, inputDim] = [5, 3];
    const indices = [-4, 3, 1e9, NaN, 1.7, -0.5];
    const clamped = [0, 2, 2, 0, 1, 0];
    // Guard floats either side of the table and its gradient must come through untouched.
    const guard = 12345;
    const table = randomArray(inputDim * dim, 4);
    const padded = Float32Array.from([guard, ...table, guard]);
    const dy = randomArray(indices.length * dim, 5);
    const gradPadded = new Float32Array(inputDim * dim + 2).fill(guard);
    const [pi, pt, po, pdy, pdt] = [Float32Array.from(indices), padded, new Float32Array(indices.length * dim), dy, gradPadded].map((a) => put(core, a));
    core.embeddingForward(pi, pt + 4, po, indices.length, dim, inputDim);
    expect(Array.from(get(core, po, indices.length * dim))).toEqual(gather(clamped, table, dim));
    core.embeddingBackward(pi, pdy, pdt + 4, indices.length, dim, inputDim);
    const grad = get(core, pdt, inputDim * dim + 2);
    expect([grad[0], grad[grad.length - 1]]).toEqual([guard, guard]);
    const expected = scatterAdd(clamped, dy, inputDim, dim);
    grad.subarray(1, -1).forEach((v, k) => expect(v).toBeCloseTo(expected[k], 5));
    [pi, pt, po, pdy, pdt].forEach((p) => core.free(p));
  });
});
