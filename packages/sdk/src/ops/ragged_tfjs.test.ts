// raggedGather, raggedRange and raggedTensorToTensor against tfjs-core 4.22 (CPU backend): splits,
// values, shapes and dtypes to the bit on random ragged tensors of ragged rank 1 to 3 (empty rows,
// no values at all, uneven shapes), a naive nested-array loop where tfjs is wrong (defaultValue of
// several values, dense axes), and each bad input giving an error that names it.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmIndex from '../index.js';
import { Tensor, tensor, type DType } from '../tensor.js';
import { expectSameAsTfjs, pairOf, pick, randomPair, type Pair } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ints = (values: readonly number[]): Pair => pairOf(Int32Array.from(values), [values.length]);
const int32 = (values: number[], shape?: number[]) => tensor(values, shape, 'int32');

/** Row splits for `rows` rows of 0 to 4 entries (empty rows common). */
function randomSplits(rng: Random, rows: number): number[] {
  const splits = [0];
  for (let r = 0; r < rows; r++) splits.push(splits[r] + (rng.next() < 0.3 ? 0 : Math.floor(rng.next() * 5)));
  return splits;
}

/** A ragged tensor's nested splits, outermost first: `raggedRank` levels over `rows` rows. */
function randomNestedSplits(rng: Random, raggedRank: number, rows: number): number[][] {
  const nested: number[][] = [];
  let count = rows;
  for (let level = 0; level < raggedRank; level++) {
    nested.push(randomSplits(rng, count));
    count = nested[level][count];
  }
  return nested;
}

/** Each entry's row, for the splits' rows: the VALUE_ROWIDS form of the same partition. */
const rowIdsOf = (splits: readonly number[]): number[] => splits.slice(1).flatMap((end, r) => Array<number>(end - splits[r]).fill(r));

function expectSameSplits(ours: Tensor[], theirs: tf.Tensor[], what: string): void {
  expect(ours.length, `${what}: number of splits`).toBe(theirs.length);
  ours.forEach((s, i) => expectSameAsTfjs(s, theirs[i], `${what}: splits ${i}`));
}

describe('raggedGather matches tfjs-core 4.22', () => {
  it('random ragged params (ragged rank 1 to 3, empty rows, dense inner axes, both dtypes) at random indices of rank 0 to 2', () => {
    const rng = new Random(9101);
    for (let trial = 0; trial < 120; trial++) {
      const raggedRank = 1 + Math.floor(rng.next() * 3);
      const rows = Math.floor(rng.next() * 6);
      const nested = randomNestedSplits(rng, raggedRank, rows);
      // Splits that start above 0 leave positions of the next level unused: tfjs' kernel takes them.
      const raised = rng.next() < 0.2 ? Math.floor(rng.next() * raggedRank) : -1;
      if (raised >= 0 && nested[raised].length > 1) nested[raised][0] = Math.floor(rng.next() * (nested[raised][1] + 1));
      const n = nested[raggedRank - 1][nested[raggedRank - 1].length - 1];
      const inner = pick(rng, [[], [], [2], [3, 1], [0]]);
      const values = randomPair(rng, [n, ...inner], pick(rng, ['float32', 'int32'] as const));
      const indexShape = rows === 0 ? pick(rng, [[0], [2, 0]]) : pick(rng, [[], [1], [4], [2, 3], [3, 0]]);
      const picks = Array.from({ length: indexShape.reduce((a, b) => a * b, 1) }, () => Math.floor(rng.next() * rows));
      const indices = pairOf(Int32Array.from(picks), indexShape);
      const splits = nested.map(ints);
      const outputRaggedRank = indexShape.length + raggedRank - 1;
      const ours = km.raggedGather(splits.map((s) => s.km), values.km, indices.km, outputRaggedRank);
      const theirs = tf.raggedGather(splits.map((s) => s.tf), values.tf, indices.tf, outputRaggedRank);
      const what = `splits ${JSON.stringify(nested)}, values ${values.km.dtype} [${values.km.shape.join(', ')}], indices [${indexShape.join(', ')}] ${JSON.stringify(picks)}`;
      expectSameSplits(ours.outputNestedSplits, theirs.outputNestedSplits, what);
      expectSameAsTfjs(ours.outputDenseValues, theirs.outputDenseValues, `${what}: values`);
    }
  });

  it('takes arrays as tfjs does, and a scalar index gives one row of ragged rank one less', () => {
    const { outputNestedSplits, outputDenseValues } = km.raggedGather([[0, 2, 2, 5]], [1, 2, 3, 4, 5], 2, 0);
    const theirs = tf.raggedGather([tf.tensor1d([0, 2, 2, 5], 'int32')], [1, 2, 3, 4, 5], 2, 0);
    expectSameSplits(outputNestedSplits, theirs.outputNestedSplits, 'scalar index');
    expectSameAsTfjs(outputDenseValues, theirs.outputDenseValues, 'scalar index: values');
  });

  it('refuses bad input where tfjs does, naming the argument', () => {
    const splits = [int32([0, 2, 2, 5])];
    const tfSplits = [tf.tensor1d([0, 2, 2, 5], 'int32')];
    const both = (ours: () => unknown, theirs: () => unknown, message: RegExp) => {
      expect(theirs).toThrow();
      expect(ours).toThrow(message);
    };
    both(() => km.raggedGather(splits, [1, 2, 3, 4, 5], [3], 1), () => tf.raggedGather(tfSplits, [1, 2, 3, 4, 5], [3], 1), /indices must be from 0 to 2.*Received: indices\[0\]=3/);
    both(() => km.raggedGather(splits, [1, 2, 3, 4, 5], [0, -1], 1), () => tf.raggedGather(tfSplits, [1, 2, 3, 4, 5], [0, -1], 1), /indices must be from 0 to 2.*Received: indices\[1\]=-1/);
    both(() => km.raggedGather(splits, [1, 2, 3, 4, 5], [[0, 1], [2, 5]], 2), () => tf.raggedGather(tfSplits, [1, 2, 3, 4, 5], [[0, 1], [2, 5]], 2), /Received: indices\[1, 1\]=5/);
    both(() => km.raggedGather(splits, [1, 2, 3, 4, 5], 7, 0), () => tf.raggedGather(tfSplits, [1, 2, 3, 4, 5], 7, 0), /Received: indices=7\./);
    both(() => km.raggedGather([[0, 3, 2, 5]], [1, 2, 3, 4, 5], [0], 1), () => tf.raggedGather([tf.tensor1d([0, 3, 2, 5], 'int32')], [1, 2, 3, 4, 5], [0], 1), /paramsNestedSplits\[0\] must not decrease.*entry 2, 2/);
    both(() => km.raggedGather([[-1, 2, 2, 5]], [1, 2, 3, 4, 5], [0], 1), () => tf.raggedGather([tf.tensor1d([-1, 2, 2, 5], 'int32')], [1, 2, 3, 4, 5], [0], 1), /paramsNestedSplits\[0\] must hold positions from 0 to 5/);
    both(() => km.raggedGather([[0, 2, 2, 6]], [1, 2, 3, 4, 5], [0], 1), () => tf.raggedGather([tf.tensor1d([0, 2, 2, 6], 'int32')], [1, 2, 3, 4, 5], [0], 1), /from 0 to 5, within the 5 rows of paramsDenseValues/);
    both(() => km.raggedGather([[0, 1, 4], [0, 1, 2]], [1, 2], [0], 2), () => tf.raggedGather([tf.tensor1d([0, 1, 4], 'int32'), tf.tensor1d([0, 1, 2], 'int32')], [1, 2], [0], 2), /paramsNestedSplits\[0\] must hold positions from 0 to 2, within the 2 rows of paramsNestedSplits\[1\]/);
    both(() => km.raggedGather([int32([])], [1], [0], 1), () => tf.raggedGather([tf.tensor1d([], 'int32')], [1], [0], 1), /paramsNestedSplits\[0\] must be a non-empty int32 vector.*Received: paramsNestedSplits\[0\].shape=\[0\]/);
    both(() => km.raggedGather([], [1], [0], 1), () => tf.raggedGather([], [1], [0], 1), /paramsNestedSplits must be a non-empty array/);
    both(() => km.raggedGather([[0, 1]], 7, [0], 1), () => tf.raggedGather([tf.tensor1d([0, 1], 'int32')], 7, [0], 1), /paramsDenseValues must have rank 1 or more/);
    both(() => km.raggedGather(splits, [1, 2, 3, 4, 5], km.cast([0], 'float32'), 1), () => tf.raggedGather(tfSplits, [1, 2, 3, 4, 5], tf.tensor1d([0]), 1), /indices must be an int32 tensor/);
    both(() => km.raggedGather([km.cast([0, 1], 'float32')], [1], [0], 1), () => tf.raggedGather([tf.tensor1d([0, 1])], [1], [0], 1), /paramsNestedSplits\[0\] must be an int32 tensor/);
  });

  it('refuses what tfjs reads past or ignores: a last split at the next splits\' length, a wrong outputRaggedRank', () => {
    // [0, 2] over splits [0, 1] (one row): tfjs reads the row after it, kerasm names the split.
    expect(() => km.raggedGather([[0, 2], [0, 1]], [1], [0], 2)).toThrow(/paramsNestedSplits\[0\] must hold positions from 0 to 1/);
    expect(() => km.raggedGather([[0, 2, 5]], [1, 2, 3, 4, 5], [[0, 1]], 1)).toThrow(/outputRaggedRank must be indices.rank \+ paramsNestedSplits.length - 1 = 2 \+ 1 - 1 = 2.*Received: outputRaggedRank=1/);
  });
});

describe('raggedRange matches tfjs-core 4.22', () => {
  it('random scalars and vectors, both dtypes, rising and falling ranges, empty rows', () => {
    const rng = new Random(9102);
    for (let trial = 0; trial < 150; trial++) {
      const dtype: DType = pick(rng, ['float32', 'int32'] as const);
      const rows = Math.floor(rng.next() * 6);
      const draw = (low: number, high: number, nonZero = false): number => {
        const v = dtype === 'int32' ? Math.floor(rng.uniform(low, high + 1)) : rng.uniform(low, high);
        return nonZero && Math.abs(v) < 0.3 ? (v < 0 ? -1 : 1) : v;
      };
      const arg = (low: number, high: number, nonZero = false): Pair => {
        const scalar = rng.next() < 0.3;
        const vs = Array.from({ length: scalar ? 1 : rows }, () => draw(low, high, nonZero));
        const typed = dtype === 'int32' ? Int32Array.from(vs) : Float32Array.from(vs);
        return pairOf(typed, scalar ? [] : [rows]);
      };
      const [starts, limits, deltas] = [arg(-10, 10), arg(-10, 10), arg(-4, 4, true)];
      const ours = km.raggedRange(starts.km, limits.km, deltas.km);
      const theirs = tf.raggedRange(starts.tf, limits.tf, deltas.tf);
      const what = `${dtype} starts ${JSON.stringify(Array.from(starts.km.dataSync()))} limits ${JSON.stringify(Array.from(limits.km.dataSync()))} deltas ${JSON.stringify(Array.from(deltas.km.dataSync()))}`;
      expectSameAsTfjs(ours.rtNestedSplits, theirs.rtNestedSplits as tf.Tensor, `${what}: splits`);
      expectSameAsTfjs(ours.rtDenseValues, theirs.rtDenseValues as tf.Tensor, `${what}: values`);
    }
  });

  it('long float32 ranges: values accumulated as tfjs does, to the bit', () => {
    const rng = new Random(9106);
    for (let trial = 0; trial < 20; trial++) {
      const deltas = Float32Array.from({ length: 3 }, () => (rng.next() < 0.5 ? -1 : 1) * rng.uniform(0.01, 0.2));
      const starts = Float32Array.from({ length: 3 }, () => rng.uniform(-5, 5));
      const limits = starts.map((s, i) => s + deltas[i] * rng.uniform(200, 600));
      const [s, l, d] = [pairOf(starts, [3]), pairOf(limits, [3]), pairOf(deltas, [3])];
      const ours = km.raggedRange(s.km, l.km, d.km);
      const theirs = tf.raggedRange(s.tf, l.tf, d.tf);
      expectSameAsTfjs(ours.rtNestedSplits, theirs.rtNestedSplits as tf.Tensor, `trial ${trial}: splits`);
      expectSameAsTfjs(ours.rtDenseValues, theirs.rtDenseValues as tf.Tensor, `trial ${trial}: values`);
    }
  });

  it('takes numbers and arrays, made in starts\' dtype, as tfjs does', () => {
    const ours = km.raggedRange(int32([0, 5]), [3, 0], -2);
    const theirs = tf.raggedRange(tf.tensor1d([0, 5], 'int32'), [3, 0], -2);
    expectSameAsTfjs(ours.rtNestedSplits, theirs.rtNestedSplits as tf.Tensor, 'splits');
    expectSameAsTfjs(ours.rtDenseValues, theirs.rtDenseValues as tf.Tensor, 'values');
    const all = km.raggedRange(0.5, 4, 1.25);
    const tfAll = tf.raggedRange(0.5, 4, 1.25);
    expectSameAsTfjs(all.rtNestedSplits, tfAll.rtNestedSplits as tf.Tensor, 'scalars: splits');
    expectSameAsTfjs(all.rtDenseValues, tfAll.rtDenseValues as tf.Tensor, 'scalars: values');
  });

  it('refuses bad input where tfjs does, naming the argument', () => {
    const both = (ours: () => unknown, theirs: () => unknown, message: RegExp) => {
      expect(theirs).toThrow();
      expect(ours).toThrow(message);
    };
    both(() => km.raggedRange([0, 1], [3, 3], [1, 0]), () => tf.raggedRange([0, 1], [3, 3], [1, 0]), /deltas must not be 0.*Received: deltas\[1\]=0/);
    both(() => km.raggedRange([[0]], 3, 1), () => tf.raggedRange([[0]], 3, 1), /each be a scalar or a vector.*starts.shape=\[1, 1\]/);
    both(() => km.raggedRange([0, 1], [3, 3, 3], 1), () => tf.raggedRange([0, 1], [3, 3, 3], 1), /the same length.*limits.shape=\[3\]/);
    both(() => km.raggedRange(int32([0]), tensor([3]), 1), () => tf.raggedRange(tf.tensor1d([0], 'int32'), tf.tensor1d([3]), 1), /limits must have starts' dtype \('int32'\).*Received: limits.dtype='float32'/);
    both(() => km.raggedRange(0, 1e10, 1), () => tf.raggedRange(0, 1e10, 1), /more than 2\^31 - 1 values/);
    // tfjs gives a row of garbage length for NaN; kerasm names it.
    expect(() => km.raggedRange([0, NaN], 3, 1)).toThrow(/starts must hold finite numbers. Received: starts\[1\]=NaN/);
  });
});

/**
 * Naive raggedTensorToTensor from the nested splits, for where tfjs is wrong: each output position
 * walks the splits down from its row, taking the value it finds or the default broadcast NumPy's way.
 */
function naiveToDense(nested: number[][], rows: number, values: Tensor, fill: Tensor, shape: number[] | null): { shape: number[]; values: number[] } {
  const raggedRank = nested.length;
  const dense = values.shape.slice(1);
  const natural = [rows, ...nested.map((s) => Math.max(0, ...s.slice(1).map((e, r) => e - s[r]))), ...dense];
  const outShape = shape ? shape.map((d, axis) => (d === -1 ? natural[axis] : d)) : natural;
  const inner = dense.reduce((a, b) => a * b, 1);
  const [v, f] = [values.dataSync(), fill.dataSync()];
  const out: number[] = [];
  const count = outShape.slice(0, raggedRank + 1).reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < count; flat++) {
    const at: number[] = [];
    for (let axis = raggedRank, rest = flat; axis >= 0; axis--) {
      at.unshift(rest % outShape[axis]);
      rest = Math.floor(rest / outShape[axis]);
    }
    let node: number | null = at[0] < rows ? at[0] : null;
    for (let level = 0; level < raggedRank && node !== null; level++) {
      const [start, end] = [nested[level][node] ?? 0, nested[level][node + 1] ?? nested[level][nested[level].length - 1]];
      node = node + 1 < nested[level].length && at[level + 1] < end - start ? start + at[level + 1] : null;
    }
    for (let e = 0; e < inner; e++) {
      if (node !== null) {
        out.push(v[node * inner + e]);
      } else {
        let [offset, stride, rest] = [0, 1, e];
        for (let axis = dense.length - 1; axis >= 0; axis--) {
          const k = rest % dense[axis];
          rest = Math.floor(rest / dense[axis]);
          const fAxis = axis - (dense.length - fill.rank);
          if (fAxis >= 0) {
            offset += (fill.shape[fAxis] === 1 ? 0 : k) * stride;
            stride *= fill.shape[fAxis];
          }
        }
        out.push(f[offset]);
      }
    }
  }
  return { shape: outShape, values: out };
}

describe('raggedTensorToTensor matches tfjs-core 4.22', () => {
  /** A random ragged tensor in the partition types tfjs takes, and a shape of -1s, smaller and larger sizes. */
  function randomCase(rng: Random, denseSize: number) {
    const raggedRank = 1 + Math.floor(rng.next() * 3);
    const rows = Math.floor(rng.next() * 5);
    const nested = randomNestedSplits(rng, raggedRank, rows);
    const n = nested[raggedRank - 1][nested[raggedRank - 1].length - 1];
    const firstDimSize = rng.next() < 0.4;
    const types: km.RowPartitionType[] = firstDimSize ? ['FIRST_DIM_SIZE', 'VALUE_ROWIDS'] : ['ROW_SPLITS'];
    const partitions: number[][] = firstDimSize ? [[rows], rowIdsOf(nested[0])] : [nested[0]];
    for (let level = 1; level < raggedRank; level++) {
      const rowIds = rng.next() < 0.5;
      types.push(rowIds ? 'VALUE_ROWIDS' : 'ROW_SPLITS');
      partitions.push(rowIds ? rowIdsOf(nested[level]) : nested[level]);
    }
    const natural = [rows, ...nested.map((s) => Math.max(0, ...s.slice(1).map((e, r) => e - s[r])))];
    const shape = natural.map((d) => pick(rng, [-1, -1, d, Math.max(0, d - 1), d + 2, 0]));
    return { raggedRank, rows, nested, n, types, partitions, shape, dense: denseSize > 0 ? [denseSize] : [] };
  }
  const partitionPairs = (types: readonly string[], partitions: number[][]): Pair[] =>
    partitions.map((p, i) => (types[i] === 'FIRST_DIM_SIZE' ? pairOf(Int32Array.of(p[0]), []) : ints(p)));

  it('random ragged tensors (ragged rank 1 to 3, ROW_SPLITS, VALUE_ROWIDS, FIRST_DIM_SIZE, empty rows) padded and cut to random shapes, both dtypes', () => {
    const rng = new Random(9103);
    for (let trial = 0; trial < 150; trial++) {
      // tfjs gets dense axes right only for one of size ragged rank + 1, given explicitly.
      const c = randomCase(rng, 0);
      const dense = rng.next() < 0.4 ? [c.raggedRank + 1] : [];
      const values = randomPair(rng, [c.n, ...dense], pick(rng, ['float32', 'int32'] as const));
      const fillValue = values.km.dtype === 'int32' ? -3 : pick(rng, [0, NaN, -0, 2.5]);
      const fill = dense.length > 0 && rng.next() < 0.5 ? pairOf(values.km.dtype === 'int32' ? Int32Array.of(fillValue) : Float32Array.of(fillValue), [1]) : pairOf(values.km.dtype === 'int32' ? Int32Array.of(fillValue) : Float32Array.of(fillValue), []);
      const shape = [...c.shape, ...dense];
      const parts = partitionPairs(c.types, c.partitions);
      const ours = km.raggedTensorToTensor(shape, values.km, fill.km, parts.map((p) => p.km), c.types);
      const theirs = tf.raggedTensorToTensor(shape, values.tf, fill.tf, parts.map((p) => p.tf), c.types);
      expectSameAsTfjs(ours, theirs, `${c.types.join(',')} ${JSON.stringify(c.partitions)} values ${values.km.dtype} [${values.km.shape.join(', ')}] shape [${shape.join(', ')}] default ${fillValue}`);
    }
  });

  it('zero values, zero rows, a zero-size shape, and partitions that describe fewer rows or values than there are', () => {
    const cases: [number[], number[], number[][], km.RowPartitionType[]][] = [
      [[-1, -1], [], [[0, 0, 0]], ['ROW_SPLITS']],
      [[-1, -1], [], [[0]], ['ROW_SPLITS']],
      [[3, -1], [], [[2], []], ['FIRST_DIM_SIZE', 'VALUE_ROWIDS']],
      [[0, -1], [1, 2, 3], [[0, 2, 3]], ['ROW_SPLITS']],
      [[2, 0], [1, 2, 3], [[0, 2, 3]], ['ROW_SPLITS']],
      // Partitions that leave rows or values undescribed: empty rows, values left out, as in tfjs.
      [[-1, -1, -1], [1, 2, 3], [[0, 2, 3], [0, 2, 3]], ['ROW_SPLITS', 'ROW_SPLITS']],
      [[-1, -1], [1, 2, 3], [[5], [0, 2, 3]], ['FIRST_DIM_SIZE', 'ROW_SPLITS']],
      [[-1, -1], [1, 2, 3, 4, 5], [[0, 2, 3]], ['ROW_SPLITS']],
      [[-1], [1, 2, 3], [[2]], ['FIRST_DIM_SIZE']],
    ];
    for (const [shape, values, partitions, types] of cases) {
      const parts = partitionPairs(types, partitions);
      const ours = km.raggedTensorToTensor(shape, values, 7, parts.map((p) => p.km), types);
      expectSameAsTfjs(ours, tf.raggedTensorToTensor(shape, values, 7, parts.map((p) => p.tf), types), `shape [${shape.join(', ')}] ${JSON.stringify(partitions)}`);
    }
  });

  it("-1 or [] as shape gives the natural shape, tfjs' result for a shape of -1s (tfjs throws on them)", () => {
    const rng = new Random(9104);
    for (let trial = 0; trial < 30; trial++) {
      const c = randomCase(rng, 0);
      const values = randomPair(rng, [c.n], 'float32');
      const parts = partitionPairs(c.types, c.partitions);
      const theirs = tf.raggedTensorToTensor(c.shape.map(() => -1), values.tf, 0, parts.map((p) => p.tf), c.types);
      const ours = km.raggedTensorToTensor(pick(rng, [-1, [] as number[]]), values.km, 0, parts.map((p) => p.km), c.types);
      expectSameAsTfjs(ours, theirs, `${JSON.stringify(c.partitions)}`);
    }
    expect(() => tf.raggedTensorToTensor(-1, [1, 2], 0, [tf.tensor1d([0, 2], 'int32')], ['ROW_SPLITS'])).toThrow();
  });

  it('a defaultValue of several values, and dense axes of any size (tfjs is wrong there): a naive nested loop', () => {
    const rng = new Random(9105);
    for (let trial = 0; trial < 80; trial++) {
      const c = randomCase(rng, 0);
      const dense = pick(rng, [[3], [2, 3], [1, 2], [4]]);
      const values = randomPair(rng, [c.n, ...dense], pick(rng, ['float32', 'int32'] as const));
      const fillShape = pick(rng, [[], dense, dense.slice(1), dense.map((d) => (rng.next() < 0.5 ? 1 : d))]);
      const fill = randomPair(rng, fillShape, values.km.dtype).km;
      const shape = [...c.shape, ...dense.map((d) => (rng.next() < 0.5 ? -1 : d))];
      const parts = partitionPairs(c.types, c.partitions);
      const ours = km.raggedTensorToTensor(shape, values.km, fill, parts.map((p) => p.km), c.types);
      const expected = naiveToDense(c.nested, c.rows, values.km, fill, shape);
      const what = `${JSON.stringify(c.nested)} values [${values.km.shape.join(', ')}] shape [${shape.join(', ')}] default [${fillShape.join(', ')}]`;
      expect({ shape: [...ours.shape], dtype: ours.dtype }, what).toEqual({ shape: expected.shape, dtype: values.km.dtype });
      expect(Array.from(ours.dataSync()), what).toEqual(expected.values);
    }
    // The naive loop agrees with tfjs where tfjs is right, so it checks the same thing.
    const tfOk = tf.raggedTensorToTensor([3, 3], [1, 2, 3, 4], 9, [tf.tensor1d([0, 1, 1, 4], 'int32')], ['ROW_SPLITS']);
    expect(naiveToDense([[0, 1, 1, 4]], 3, tensor([1, 2, 3, 4]), kmIndex.scalar(9), [3, 3]).values).toEqual(Array.from(tfOk.dataSync()));
    // tfjs leaves 0s where a defaultValue of several values belongs.
    const tfWrong = tf.raggedTensorToTensor([2, 1, 2], tf.tensor2d([1, 2], [1, 2]), tf.tensor1d([8, 9]), [tf.tensor1d([0, 1, 1], 'int32')], ['ROW_SPLITS']);
    expect(Array.from(tfWrong.dataSync())).toEqual([1, 2, 0, 0]);
    expect(Array.from(km.raggedTensorToTensor([2, 1, 2], tensor([[1, 2]]), tensor([8, 9]), [[0, 1, 1]], ['ROW_SPLITS']).dataSync())).toEqual([1, 2, 8, 9]);
  });

  it('refuses bad input where tfjs does, naming the argument', () => {
    const both = (ours: () => unknown, theirs: () => unknown, message: RegExp) => {
      expect(theirs).toThrow();
      expect(ours).toThrow(message);
    };
    const splits = (v: number[]) => tf.tensor1d(v, 'int32');
    const run = (shape: number[], values: number[] | Tensor, fill: number | Tensor, parts: number[][], types: string[]) => () => km.raggedTensorToTensor(shape, values, fill, parts, types as km.RowPartitionType[]);
    const tfRun = (shape: number[], values: number[] | tf.Tensor, fill: number | tf.Tensor, parts: tf.Tensor[], types: string[]) => () => tf.raggedTensorToTensor(shape, values, fill, parts, types);
    both(run([-1, -1], [1, 2, 3], 0, [[1, 2, 3]], ['ROW_SPLITS']), tfRun([-1, -1], [1, 2, 3], 0, [splits([1, 2, 3])], ['ROW_SPLITS']), /rowPartitionTensors\[0\] \(ROW_SPLITS\) must start at 0/);
    both(run([-1, -1], [1, 2, 3], 0, [[0, 3, 2, 3]], ['ROW_SPLITS']), tfRun([-1, -1], [1, 2, 3], 0, [splits([0, 3, 2, 3])], ['ROW_SPLITS']), /rowPartitionTensors\[0\] must not decrease/);
    both(run([-1, -1], [1, 2, 3], 0, [[0, 0, 1]], ['VALUE_ROWIDS']), tfRun([-1, -1], [1, 2, 3], 0, [splits([0, 0, 1])], ['VALUE_ROWIDS']), /rowPartitionTypes\[0\] must be 'ROW_SPLITS' or 'FIRST_DIM_SIZE'/);
    both(run([-1, -1], [1, 2, 3], 0, [[1, 2, 0]], ['ROW_LENGTHS']), tfRun([-1, -1], [1, 2, 3], 0, [splits([1, 2, 0])], ['ROW_LENGTHS']), /Convert other partitions \(ROW_LENGTHS, \.\.\.\) to row splits/);
    both(run([-1, -1], [1, 2, 3], 0, [[2], [0, 2, 2]], ['FIRST_DIM_SIZE', 'VALUE_ROWIDS']), tfRun([-1, -1], [1, 2, 3], 0, [tf.scalar(2, 'int32'), splits([0, 2, 2])], ['FIRST_DIM_SIZE', 'VALUE_ROWIDS']), /rowPartitionTensors\[1\] \(VALUE_ROWIDS\) must be .* from 0 to 1.*Entry 1 is 2/);
    both(run([-1, -1, -1], [1, 2], 0, [[0, 1], [0, 1], [2]], ['ROW_SPLITS', 'ROW_SPLITS', 'FIRST_DIM_SIZE']), tfRun([-1, -1, -1], [1, 2], 0, [splits([0, 1]), splits([0, 1]), tf.scalar(2, 'int32')], ['ROW_SPLITS', 'ROW_SPLITS', 'FIRST_DIM_SIZE']), /rowPartitionTypes\[2\] must be 'ROW_SPLITS' or 'VALUE_ROWIDS'/);
    both(run([-1, -1, -1], [1, 2, 3], 0, [[0, 1], [0, 1, 3]], ['ROW_SPLITS', 'ROW_SPLITS']), tfRun([-1, -1, -1], [1, 2, 3], 0, [splits([0, 1]), splits([0, 1, 3])], ['ROW_SPLITS', 'ROW_SPLITS']), /rowPartitionTensors\[1\] \(ROW_SPLITS\) describes 2 rows, but the axis above has 1 entries/);
    both(run([-1], [1, 2, 3], 0, [[0, 3]], ['ROW_SPLITS']), tfRun([-1], [1, 2, 3], 0, [splits([0, 3])], ['ROW_SPLITS']), /shape must be an int32 vector of 2 sizes.*Received: shape=\[-1\]/);
    both(run([-2, -1], [1, 2, 3], 0, [[0, 3]], ['ROW_SPLITS']), tfRun([-2, -1], [1, 2, 3], 0, [splits([0, 3])], ['ROW_SPLITS']), /shape\[0\] must be a size \(0 or more\) or -1/);
    both(run([-1, -1], [1, 2, 3], tensor([0]), [[0, 3]], ['ROW_SPLITS']), tfRun([-1, -1], [1, 2, 3], tf.tensor1d([0]), [splits([0, 3])], ['ROW_SPLITS']), /defaultValue must have values' dtype \('float32'\) and broadcast to one element of values, shape \[\].*defaultValue.shape=\[1\]/);
    both(run([-1, -1], [1, 2, 3], int32([0], []), [[0, 3]], ['ROW_SPLITS']), tfRun([-1, -1], [1, 2, 3], tf.scalar(0, 'int32'), [splits([0, 3])], ['ROW_SPLITS']), /defaultValue.dtype='int32'/);
  });

  it('refuses what tfjs misreads: too few values, row ids out of order, a dense axis resized, partitions and types of different counts', () => {
    expect(() => km.raggedTensorToTensor([-1, -1], [1, 2], 0, [[0, 3]], ['ROW_SPLITS'])).toThrow(/values must have at least one entry per innermost position: the partitions describe 3/);
    expect(() => km.raggedTensorToTensor([-1, -1], [1, 2, 3], 0, [[3], [0, 2, 1]], ['FIRST_DIM_SIZE', 'VALUE_ROWIDS'])).toThrow(/in order \(non-decreasing\).*Entry 2 is 1/);
    expect(() => km.raggedTensorToTensor([-1, -1], [1, 2, 3], 0, [[3], [0, -1, 1]], ['FIRST_DIM_SIZE', 'VALUE_ROWIDS'])).toThrow(/Entry 1 is -1/);
    expect(() => km.raggedTensorToTensor([-1, -1, 4], tensor([[1, 2, 3]]), 0, [[0, 1]], ['ROW_SPLITS'])).toThrow(/shape\[2\] must be -1 or 3: it is a dense axis of values/);
    expect(() => km.raggedTensorToTensor([-1, -1], [1, 2, 3], 0, [[0, 3], [0, 3]], ['ROW_SPLITS'])).toThrow(/arrays of the same non-zero length/);
    expect(() => km.raggedTensorToTensor([-1], [1, 2, 3], 0, [], [])).toThrow(/arrays of the same non-zero length/);
    expect(() => km.raggedTensorToTensor([-1, -1], [1, 2, 3], 0, [[-1], [0, 0, 0]], ['FIRST_DIM_SIZE', 'VALUE_ROWIDS'])).toThrow(/FIRST_DIM_SIZE\) must be one non-negative int32 number/);
  });
});

describe('the ragged ops from the package root', () => {
  it('are km.raggedGather, km.raggedRange, km.raggedTensorToTensor', () => {
    expect(kmIndex.raggedGather).toBe(km.raggedGather);
    expect(kmIndex.raggedRange).toBe(km.raggedRange);
    expect(kmIndex.raggedTensorToTensor).toBe(km.raggedTensorToTensor);
    expect(Array.from(kmIndex.raggedTensorToTensor([-1, -1], [1, 2, 3], 0, [[0, 2, 2, 3]], ['ROW_SPLITS']).dataSync())).toEqual([1, 2, 0, 0, 3, 0]);
  });
});
