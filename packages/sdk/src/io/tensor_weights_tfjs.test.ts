import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

// km.io.encodeWeights / decodeWeights / decodeWeightsStream against tfjs-core 4.22's own.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const random = new Random(7);
const floats = (n: number) => Float32Array.from({ length: n }, () => random.uniform(-3, 3));
const ints = (n: number) => Int32Array.from({ length: n }, () => Math.floor(random.uniform(-1000, 1000)));

/** The same values as kerasm and tfjs tensors. */
function both(values: Float32Array | Int32Array, shape: number[]): [km.Tensor, tf.Tensor] {
  const dtype = values instanceof Int32Array ? 'int32' : 'float32';
  return [km.tensor(values, shape, dtype), tf.tensor(values, shape, dtype)];
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
}

/** Expects kerasm's decoded tensors to hold tfjs' decoded values, name for name. */
function expectSameTensors(ours: km.io.NamedTensorMap, theirs: tf.NamedTensorMap): void {
  expect(Object.keys(ours)).toEqual(Object.keys(theirs));
  for (const name of Object.keys(theirs)) {
    expect(ours[name].shape).toEqual(theirs[name].shape);
    expect(ours[name].dtype).toBe(theirs[name].dtype);
    expect(Array.from(ours[name].dataSync())).toEqual(Array.from(theirs[name].dataSync() as Float32Array));
  }
}

describe('km.io.encodeWeights', () => {
  const cases: [string, number[], boolean][] = [['dense/kernel', [3, 4], false], ['dense/bias', [4], false], ['step', [], true], ['ids', [2, 3], true], ['empty', [0, 5], false]];

  it('gives the bytes and specs tfjs gives, from a map and from a list, with and without a group', async () => {
    const pairs = cases.map(([name, shape, isInt]) => {
      const n = shape.reduce((a, b) => a * b, 1);
      return [name, both(isInt ? ints(n) : floats(n), shape)] as const;
    });
    const ourMap = Object.fromEntries(pairs.map(([name, [k]]) => [name, k]));
    const theirMap = Object.fromEntries(pairs.map(([name, [, t]]) => [name, t]));
    for (const group of [undefined, 'optimizer'] as const) {
      const ours = await km.io.encodeWeights(ourMap, group);
      const theirs = await tf.io.encodeWeights(theirMap, group);
      expect(ours.specs).toEqual(theirs.specs);
      expect(new Uint8Array(ours.data)).toEqual(new Uint8Array(theirs.data));
    }
    const ourList = await km.io.encodeWeights(pairs.map(([name, [k]]) => ({ name, tensor: k })));
    const theirList = await tf.io.encodeWeights(pairs.map(([name, [, t]]) => ({ name, tensor: t })));
    expect(ourList.specs).toEqual(theirList.specs);
    expect(new Uint8Array(ourList.data)).toEqual(new Uint8Array(theirList.data));
  });

  it('round-trips through tfjs: tf.io.decodeWeights reads what kerasm encoded, and kerasm reads what tfjs encoded', async () => {
    const [k, t] = both(floats(6), [2, 3]);
    const [ki, ti] = both(ints(4), [4]);
    const ours = await km.io.encodeWeights({ w: k, i: ki });
    expectSameTensors(km.io.decodeWeights(ours.data, ours.specs), tf.io.decodeWeights(ours.data, ours.specs as tf.io.WeightsManifestEntry[]));
    const theirs = await tf.io.encodeWeights({ w: t, i: ti });
    expectSameTensors(km.io.decodeWeights(theirs.data, theirs.specs), tf.io.decodeWeights(theirs.data, theirs.specs));
    expect(Array.from(km.io.decodeWeights(theirs.data, theirs.specs).w.dataSync())).toEqual(Array.from(k.dataSync()));
  });

  it('refuses a tensor kerasm cannot store, naming its dtype and the fix', async () => {
    await expect(km.io.encodeWeights({ mask: tf.tensor([true, false], [2], 'bool') as unknown as km.Tensor })).rejects.toThrow(
      /weight 'mask' has dtype 'bool'; kerasm stores float32 and int32 weights.*Cast it first.*Received: dtype='bool'/,
    );
    await expect(km.io.encodeWeights(null as unknown as km.io.NamedTensorMap)).rejects.toThrow(/takes tensors by name.*Received: null/);
    await expect(km.io.encodeWeights({ w: [1, 2] as unknown as km.Tensor })).rejects.toThrow(/weight 'w' is not a tensor. Received: object/);
    await expect(km.io.encodeWeights([{ tensor: km.ones([1]) } as unknown as { name: string; tensor: km.Tensor }])).rejects.toThrow(/entry 0 has no name/);
  });
});

describe('km.io.decodeWeights', () => {
  it('reads tfjs-encoded weights split over several buffers as tfjs does, ignoring trailing bytes as tfjs does', async () => {
    const [, t1] = both(floats(5), [5]);
    const [, t2] = both(ints(3), [3]);
    const { data, specs } = await tf.io.encodeWeights({ a: t1, b: t2 });
    const bytes = new Uint8Array(data);
    const parts = [bytes.slice(0, 7).buffer, bytes.slice(7, 7).buffer, bytes.slice(7, 30).buffer, bytes.slice(30).buffer];
    expectSameTensors(km.io.decodeWeights(parts, specs), tf.io.decodeWeights(parts, specs));
    const longer = [...parts, new ArrayBuffer(8)];
    expectSameTensors(km.io.decodeWeights(longer, specs), tf.io.decodeWeights(longer, specs));
  });

  it('dequantizes uint8, uint16 and float16 weights to the values tfjs gives', () => {
    const u8 = Uint8Array.from({ length: 6 }, () => Math.floor(random.uniform(0, 256)));
    const u16 = Uint16Array.from({ length: 4 }, () => Math.floor(random.uniform(0, 65536)));
    // Half floats: normal, subnormal, zero, negative zero, infinity and NaN bit patterns.
    const f16 = Uint16Array.of(0x3c00, 0xc000, 0x0001, 0x0000, 0x8000, 0x7bff, 0x7c00, 0x7e00);
    const specs: km.io.WeightSpec[] = [
      { name: 'q8', shape: [2, 3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.013, min: -1.2 } },
      { name: 'q16', shape: [4], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.0007, min: -3 } },
      { name: 'h', shape: [8], dtype: 'float32', quantization: { dtype: 'float16' } },
      { name: 'qi', shape: [2, 3], dtype: 'int32', quantization: { dtype: 'uint8', scale: 0.37, min: -20 } },
    ];
    const data = [u8.slice().buffer, u16.slice().buffer, f16.slice().buffer, u8.slice().buffer];
    const ours = km.io.decodeWeights(data, specs);
    const theirs = tf.io.decodeWeights(data, specs as tf.io.WeightsManifestEntry[]);
    expect(Object.keys(ours)).toEqual(Object.keys(theirs));
    for (const name of Object.keys(theirs)) {
      expect(ours[name].dtype).toBe(theirs[name].dtype);
      expect(Array.from(ours[name].dataSync())).toEqual(Array.from(theirs[name].dataSync() as Float32Array));
    }
  });

  it('refuses bool, string and complex64 weights tfjs encoded, naming the dtype and the fix', async () => {
    const { data, specs } = await tf.io.encodeWeights({ mask: tf.tensor([true, false, true], [3], 'bool') });
    expect(() => km.io.decodeWeights(data, specs)).toThrow(/weight 'mask' has dtype 'bool'; kerasm reads float32 and int32 weights.*Save or convert the model with float32 weights/);
    for (const dtype of ['string', 'complex64']) {
      expect(() => km.io.decodeWeights(new ArrayBuffer(8), [{ name: 'x', shape: [1], dtype }])).toThrow(new RegExp(`weight 'x' has dtype '${dtype}'`));
    }
  });

  it('says which weight is cut off when the data is short, and what it received for data that are not buffers', async () => {
    const { data, specs } = await tf.io.encodeWeights({ a: tf.ones([4]), b: tf.ones([3]) });
    expect(() => km.io.decodeWeights(data.slice(0, 20), specs)).toThrow(/truncated: weight 'b' \(shape \[3\], float32\) needs bytes 16\.\.28, but the weight data has only 20 bytes/);
    expect(() => km.io.decodeWeights(new Float32Array(4) as unknown as ArrayBuffer, specs)).toThrow(/an ArrayBuffer or an array of ArrayBuffers. Received: a Float32Array \(pass its \.buffer\)/);
    expect(() => km.io.decodeWeights(data, 'a' as unknown as km.io.WeightSpec[])).toThrow(/specs as an array.*Received: specs="a"/);
  });
});

describe('km.io.decodeWeightsStream', () => {
  it('reads weights arriving in chunks of any size as tfjs does', async () => {
    const { data, specs } = await tf.io.encodeWeights({ a: tf.tensor(floats(7), [7]), b: tf.tensor(ints(5), [5], 'int32'), c: tf.tensor(floats(2), [1, 2]) });
    const bytes = new Uint8Array(data);
    const cuts = [0, 3, 4, 17, 40, bytes.length];
    const chunks = () => cuts.slice(1).map((end, i) => bytes.slice(cuts[i], end));
    const theirs = await tf.io.decodeWeightsStream(streamOf(chunks()) as unknown as ReadableStream<ArrayBuffer>, specs);
    expectSameTensors(await km.io.decodeWeightsStream(streamOf(chunks()), specs), theirs);
  });

  it("reads chunks that view a larger buffer at an offset (as Node's pooled Buffers do) by the bytes they view", async () => {
    const { data, specs } = await tf.io.encodeWeights({ a: tf.tensor(floats(3), [3]), b: tf.tensor(ints(2), [2], 'int32') });
    const pool = new Uint8Array(100).fill(9);
    pool.set(new Uint8Array(data), 37);
    const chunks = [pool.subarray(37, 41), pool.subarray(41, 55), pool.subarray(55, 37 + data.byteLength)];
    expectSameTensors(await km.io.decodeWeightsStream(streamOf(chunks), specs), tf.io.decodeWeights(data, specs));
  });

  it('names the cut-off weight when the stream ends early, and refuses what is not a stream', async () => {
    const { data, specs } = await tf.io.encodeWeights({ a: tf.ones([2]), b: tf.ones([2]) });
    await expect(km.io.decodeWeightsStream(streamOf([new Uint8Array(data).slice(0, 12)]), specs)).rejects.toThrow(/truncated: weight 'b'/);
    await expect(km.io.decodeWeightsStream(new ArrayBuffer(4) as unknown as ReadableStream<ArrayBuffer>, specs)).rejects.toThrow(/takes a ReadableStream of bytes.*Received: object/);
  });
});
