// km.sparse (sparseFillEmptyRows, sparseReshape, sparseSegmentSum, sparseSegmentMean) against
// tfjs-core 4.22's tf.sparse (CPU backend): every output's values, dtype and shape at random
// sparse tensors with odd sizes, the gradients tfjs lacks against naive loops, and bad input.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmRoot from '../../index.js';
import { tensor } from '../../tensor.js';
import { expectSameAsTfjs, expectSameAsTfjsBool, pairOf, pick, randomPair, randomShape, type Pair } from '../../testing/tfjs_op_parity.js';
import { Random } from '../../utils/random.js';
import * as sparse from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const int32 = (values: number[], shape?: number[]) => tensor(values, shape, 'int32');
const ints = (values: number[], shape: number[]): Pair => pairOf(Int32Array.from(values), shape);

/** n index tuples inside `shape`, rows sorted or not. */
function randomIndices(rng: Random, shape: number[], n: number, sorted: boolean): number[][] {
  const tuples = Array.from({ length: n }, () => shape.map((d) => Math.floor(rng.next() * d)));
  if (sorted) tuples.sort((a, b) => a[0] - b[0]);
  return tuples;
}

describe('km.sparse matches tfjs-core 4.22', () => {
  it('sparseFillEmptyRows: random sparse tensors (rows in order or not, some empty), both dtypes', () => {
    const rng = new Random(81);
    for (let trial = 0; trial < 50; trial++) {
      const denseShape = randomShape(rng, 1 + Math.floor(rng.next() * 3), 7);
      const n = Math.floor(rng.next() * 2 * denseShape[0]);
      const tuples = randomIndices(rng, denseShape, n, rng.next() < 0.5);
      const indices = ints(tuples.flat(), [n, denseShape.length]);
      const dtype = pick(rng, ['float32', 'int32'] as const);
      const values = randomPair(rng, [n], dtype);
      const fill = dtype === 'int32' ? -7 : pick(rng, [NaN, -0, 2.5]);
      const shape = ints(denseShape, [denseShape.length]);
      const ours = sparse.sparseFillEmptyRows(indices.km, values.km, shape.km, fill);
      const theirs = tf.sparse.sparseFillEmptyRows(indices.tf as tf.Tensor2D, values.tf as tf.Tensor1D, shape.tf as tf.Tensor1D, tf.scalar(fill, dtype));
      const what = `${dtype} [${denseShape.join(', ')}] n=${n}`;
      expectSameAsTfjs(ours.outputIndices, theirs.outputIndices, `${what}: outputIndices`);
      expectSameAsTfjs(ours.outputValues, theirs.outputValues, `${what}: outputValues`);
      expectSameAsTfjsBool(ours.emptyRowIndicator, theirs.emptyRowIndicator, `${what}: emptyRowIndicator`);
      expectSameAsTfjs(ours.reverseIndexMap, theirs.reverseIndexMap, `${what}: reverseIndexMap`);
    }
  });

  it("sparseFillEmptyRows' gradient (TensorFlow's; tfjs has none): values get their outputs' cotangents, defaultValue the added ones' (naive loop)", () => {
    const indices = int32([2, 0, 0, 1, 2, 1], [3, 2]);
    const dense = int32([4, 2]);
    const { reverseIndexMap, emptyRowIndicator } = sparse.sparseFillEmptyRows(indices, [1, 2, 3], dense, 0);
    const dy = kmRoot.tensor([0.5, -1, 2, 4, 8]);
    const [gv, gd] = kmRoot.grads((v, d) => sparse.sparseFillEmptyRows(indices, v, dense, d).outputValues)([kmRoot.tensor([1, 2, 3]), kmRoot.scalar(9)], dy);
    const d = dy.dataSync();
    expect(Array.from(gv.dataSync())).toEqual(Array.from(reverseIndexMap.dataSync(), (at) => d[at]));
    // Rows 1 and 3 are empty: their entries sit after the rows before them (row 0 one entry, row 2 two).
    expect(Array.from(emptyRowIndicator.dataSync())).toEqual([0, 1, 0, 1]);
    expect(gd.dataSync()[0]).toBe(d[1] + d[4]);
  });

  it('sparseReshape: random shapes regrouped, with and without -1', () => {
    const rng = new Random(82);
    for (let trial = 0; trial < 50; trial++) {
      const inputShape = randomShape(rng, 1 + Math.floor(rng.next() * 3), 5);
      const n = Math.floor(rng.next() * 6);
      const indices = ints(randomIndices(rng, inputShape, n, false).flat(), [n, inputShape.length]);
      const dims = [...inputShape];
      rng.shuffle(dims);
      const merged = dims.length > 1 && rng.next() < 0.5 ? [dims[0] * dims[1], ...dims.slice(2)] : dims;
      const newShape = [...merged, ...(rng.next() < 0.3 ? [1] : [])];
      if (rng.next() < 0.5) newShape[Math.floor(rng.next() * newShape.length)] = -1;
      const [from, to] = [ints(inputShape, [inputShape.length]), ints(newShape, [newShape.length])];
      const ours = sparse.sparseReshape(indices.km, from.km, to.km);
      const theirs = tf.sparse.sparseReshape(indices.tf as tf.Tensor2D, from.tf as tf.Tensor1D, to.tf as tf.Tensor1D);
      expectSameAsTfjs(ours.outputIndices, theirs.outputIndices, `[${inputShape.join(', ')}] to [${newShape.join(', ')}]: outputIndices`);
      expectSameAsTfjs(ours.outputShape, theirs.outputShape, `[${inputShape.join(', ')}] to [${newShape.join(', ')}]: outputShape`);
    }
  });

  it('sparseSegmentSum and sparseSegmentMean: random rows, repeated indices, sorted ids with gaps, both dtypes', () => {
    const rng = new Random(83);
    for (let trial = 0; trial < 60; trial++) {
      const shape = [1 + Math.floor(rng.next() * 6), ...randomShape(rng, Math.floor(rng.next() * 3), 5)];
      const dtype = pick(rng, ['float32', 'int32'] as const);
      const data = randomPair(rng, shape, dtype, dtype === 'int32' ? 9 : 3);
      const n = Math.floor(rng.next() * 8);
      const rows = Array.from({ length: n }, () => Math.floor(rng.next() * shape[0]));
      let id = Math.floor(rng.next() * 2);
      const ids = rows.map(() => (id += rng.next() < 0.4 ? 0 : 1 + Math.floor(rng.next() * 2)));
      const [indices, segmentIds] = [ints(rows, [n]), ints(ids, [n])];
      const what = `${dtype} [${shape.join(', ')}] ids [${ids.join(', ')}]`;
      expectSameAsTfjs(sparse.sparseSegmentSum(data.km, indices.km, segmentIds.km), tf.sparse.sparseSegmentSum(data.tf, indices.tf as tf.Tensor1D, segmentIds.tf as tf.Tensor1D), `sum ${what}`);
      expectSameAsTfjs(sparse.sparseSegmentMean(data.km, indices.km, segmentIds.km), tf.sparse.sparseSegmentMean(data.tf, indices.tf as tf.Tensor1D, segmentIds.tf as tf.Tensor1D), `mean ${what}`);
    }
    const special = pairOf(Float32Array.of(NaN, 1, Infinity, -Infinity, -0, 3.4e38, 3.4e38, 0), [8]);
    const [indices, segmentIds] = [ints([0, 1, 2, 3, 4, 5, 6, 7], [8]), ints([0, 0, 1, 1, 2, 3, 3, 5], [8])];
    expectSameAsTfjs(sparse.sparseSegmentSum(special.km, indices.km, segmentIds.km), tf.sparse.sparseSegmentSum(special.tf, indices.tf as tf.Tensor1D, segmentIds.tf as tf.Tensor1D), 'sum special values');
    expectSameAsTfjs(sparse.sparseSegmentMean(special.km, indices.km, segmentIds.km), tf.sparse.sparseSegmentMean(special.tf, indices.tf as tf.Tensor1D, segmentIds.tf as tf.Tensor1D), 'mean special values');
  });

  it("sparse segment gradients (TensorFlow's; tfjs has none): each picked row gets its segment's cotangent, divided by the count for the mean (naive loop)", () => {
    const data = kmRoot.tensor([[1, 2], [3, 4], [5, 6]]);
    const [rows, ids] = [[0, 2, 0, 1], [0, 0, 0, 3]];
    const dy = kmRoot.tensor([[1, -2], [0.5, 4], [8, 16], [3, 5]]);
    for (const mean of [false, true]) {
      const op = mean ? sparse.sparseSegmentMean : sparse.sparseSegmentSum;
      const g = kmRoot.grad((x) => op(x, rows, ids))(data, dy);
      const expected = new Float32Array(6);
      const count = (s: number) => ids.filter((v) => v === s).length;
      rows.forEach((r, i) => {
        for (let j = 0; j < 2; j++) expected[r * 2 + j] += dy.dataSync()[ids[i] * 2 + j] / (mean ? count(ids[i]) : 1);
      });
      expect(Array.from(g.dataSync()), mean ? 'mean' : 'sum').toEqual(Array.from(expected));
    }
  });

  it('is km.sparse at the package root', () => {
    expect(kmRoot.sparse.sparseSegmentSum).toBe(sparse.sparseSegmentSum);
    expect(Object.keys(kmRoot.sparse).sort()).toEqual(['sparseFillEmptyRows', 'sparseReshape', 'sparseSegmentMean', 'sparseSegmentSum']);
  });

  it('name each bad input and its fix', () => {
    const f = 'km.sparse.sparseFillEmptyRows()';
    expect(() => sparse.sparseFillEmptyRows(int32([0, 1]), [1, 2], [3], 0)).toThrow(`${f}: pass a sparse tensor as indices [n, rank] (int32, one index tuple per entry, rank 1 or more), values [n] (one value per entry) and denseShape [rank] (int32). Received: indices.shape=[2], values.shape=[2], denseShape.shape=[1].`);
    expect(() => sparse.sparseFillEmptyRows(int32([0, 1], [2, 1]), [1], [3], 0)).toThrow(/values\.shape=\[1\]/);
    expect(() => sparse.sparseFillEmptyRows(int32([0, 1], [2, 1]), [1, 2], [3, 3], 0)).toThrow(/denseShape\.shape=\[2\]/);
    expect(() => sparse.sparseFillEmptyRows(int32([0, 3], [2, 1]), [1, 2], [3], 0)).toThrow(`${f}: entry 1 of indices, [3], has row 3, outside the dense shape's 3 rows: row coordinates must be from 0 to 2.`);
    expect(() => sparse.sparseFillEmptyRows(int32([-1], [1, 1]), [1], [3], 0)).toThrow(/entry 0 of indices, \[-1\], has row -1/);
    expect(() => sparse.sparseFillEmptyRows(int32([0], [1, 1]), [1], [-3], 0)).toThrow(`${f}: denseShape must hold non-negative sizes. Received: denseShape=[-3].`);
    expect(() => sparse.sparseFillEmptyRows(int32([0], [1, 1]), [1], [3], kmRoot.tensor([0]))).toThrow(/defaultValue must be a number or a scalar tensor of values' dtype \('float32'\).*Received: defaultValue\.shape=\[1\]/);
    expect(() => sparse.sparseFillEmptyRows(tensor([[0]]), [1], [3], 0)).toThrow(/indices must be an int32 tensor/);
    const r = 'km.sparse.sparseReshape()';
    expect(() => sparse.sparseReshape(int32([0, 1]), [2, 3], [6])).toThrow(`${r}: pass inputIndices [n, rank] (int32, one index tuple per entry), inputShape [rank] and newShape (int32 vectors). Received: inputIndices.shape=[2], inputShape.shape=[2], newShape.shape=[1].`);
    expect(() => sparse.sparseReshape(int32([0, 1], [1, 2]), [2, 3], [-1, -1])).toThrow(`${r}: newShape must hold non-negative sizes and at most one -1 (the size worked out from the others). Received: inputShape=[2, 3], newShape=[-1, -1].`);
    expect(() => sparse.sparseReshape(int32([0, 1], [1, 2]), [2, 3], [4, -1])).toThrow(/newShape's -1 cannot be worked out: the other sizes multiply to 4, which must divide the 6 values/);
    expect(() => sparse.sparseReshape(int32([0, 1], [1, 2]), [2, 3], [7])).toThrow(/the shapes hold different numbers of values \(6 and 7\)/);
    expect(() => sparse.sparseReshape(int32([0, 3], [1, 2]), [2, 3], [6])).toThrow(/entry 0 of inputIndices, \[0, 3\], lies outside inputShape: its coordinate 1 must be from 0 to 2/);
    expect(() => sparse.sparseReshape(int32([0, 1], [1, 2]), [2, -3], [6])).toThrow(/inputShape must hold non-negative sizes/);
    const s = 'km.sparse.sparseSegmentSum()';
    const data = kmRoot.tensor([[1, 2], [3, 4]]);
    expect(() => sparse.sparseSegmentSum(data, [0, 1], [0, 0, 1])).toThrow(`${s}: pass data of rank 1 or more, and indices and segmentIds as int32 vectors of one length (a data row and its segment per entry). Received: data.shape=[2, 2], indices.shape=[2], segmentIds.shape=[3].`);
    expect(() => sparse.sparseSegmentSum(kmRoot.scalar(1), [0], [0])).toThrow(/data\.shape=\[\]/);
    expect(() => sparse.sparseSegmentSum(data, [0, 1], [1, 0])).toThrow(`${s}: segmentIds must be non-negative and sorted (non-decreasing), as tfjs requires. Sort the entries by segment first. Received: segmentIds[1]=0 after segmentIds[0]=1.`);
    expect(() => sparse.sparseSegmentMean(data, [0], [-1])).toThrow(/km\.sparse\.sparseSegmentMean\(\): segmentIds must be non-negative .* Received: segmentIds\[0\]=-1\./);
    expect(() => sparse.sparseSegmentSum(data, [0, 2], [0, 1])).toThrow(`${s}: indices[1] is 2, outside data's 2 rows: indices must be from 0 to 1.`);
    expect(() => sparse.sparseSegmentSum(data, tensor([0]), [0])).toThrow(/indices must be an int32 tensor/);
  });
});
