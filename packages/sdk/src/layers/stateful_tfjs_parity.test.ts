import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

// 4 sequences of 12 steps of 2 features, fed as 4 chunks of 3 steps.
const [batch, steps, chunk, features, units] = [4, 12, 3, 2, 5];
const chunks = steps / chunk;
const random = new Random(77);
const sequences = Float32Array.from({ length: batch * steps * features }, () => random.uniform(-1, 1));
/** Chunk c of every sequence, `[batch, chunk, features]`. */
function chunkOf(c: number): Float32Array {
  const out = new Float32Array(batch * chunk * features);
  for (let b = 0; b < batch; b++) out.set(sequences.subarray((b * steps + c * chunk) * features, (b * steps + (c + 1) * chunk) * features), b * chunk * features);
  return out;
}
/** The whole-sequence outputs `[batch, steps, units]` rearranged as chunk c of every sequence, in chunk order. */
function byChunks(whole: Float32Array): Float32Array[] {
  return Array.from({ length: chunks }, (_, c) => {
    const out = new Float32Array(batch * chunk * units);
    for (let b = 0; b < batch; b++) out.set(whole.subarray((b * steps + c * chunk) * units, (b * steps + (c + 1) * chunk) * units), b * chunk * units);
    return out;
  });
}
const expectClose = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tolerance);
};

const variants = [
  { name: 'LSTM', make: (o: { stateful?: boolean; batchInputShape?: number[]; inputShape?: number[] }) => km.layers.lstm({ units, returnSequences: true, ...o }) },
  { name: 'RNN([LSTMCell, GRUCell])', make: (o: { stateful?: boolean; batchInputShape?: number[]; inputShape?: number[] }) => km.layers.rnn({ cell: [km.layers.lstmCell({ units: 3 }), km.layers.gruCell({ units })], returnSequences: true, ...o }) },
  { name: 'GRU', make: (o: { stateful?: boolean; batchInputShape?: number[]; inputShape?: number[] }) => km.layers.gru({ units, returnSequences: true, ...o }) },
  { name: 'SimpleRNN', make: (o: { stateful?: boolean; batchInputShape?: number[]; inputShape?: number[] }) => km.layers.simpleRNN({ units, returnSequences: true, ...o }) },
];

describe('stateful recurrent layers: a long sequence in chunks equals the unchunked run', () => {
  it.each(variants)('$name: chunk by chunk equals one pass over all steps; resetStates starts again', ({ make }) => {
    km.utils.setRandomSeed(3);
    const stateful = km.sequential([make({ stateful: true, batchInputShape: [batch, chunk, features] })]);
    const whole = km.sequential([make({ inputShape: [steps, features] })]);
    whole.setWeights(stateful.getWeights());
    const expected = byChunks(whole.predict(km.tensor(sequences, [batch, steps, features])).dataSync() as Float32Array);
    const first = stateful.predict(km.tensor(chunkOf(0), [batch, chunk, features]), { batchSize: batch }).dataSync();
    expectClose(first, expected[0]);
    for (let c = 1; c < chunks; c++) expectClose(stateful.predict(km.tensor(chunkOf(c), [batch, chunk, features]), { batchSize: batch }).dataSync(), expected[c]);
    // Without a reset the first chunk now continues from the last states; after it, it starts from zeros.
    const continued = stateful.predict(km.tensor(chunkOf(0), [batch, chunk, features]), { batchSize: batch }).dataSync();
    expect(Math.max(...continued.map((v, i) => Math.abs(v - first[i])))).toBeGreaterThan(1e-3);
    stateful.resetStates();
    expectClose(stateful.predict(km.tensor(chunkOf(0), [batch, chunk, features]), { batchSize: batch }).dataSync(), first);
  });
});

describe('stateful LSTM: parity with tfjs-layers 4.22 (cpu backend)', () => {
  it('predicting chunk by chunk, resetting, and training over consecutive chunks (SGD, unshuffled) give the same numbers', async () => {
    km.utils.setRandomSeed(11);
    const model = km.sequential([km.layers.lstm({ units, stateful: true, returnSequences: true, batchInputShape: [batch, chunk, features] }), km.layers.dense({ units: 1 })]);
    const reference = tfl.sequential({ layers: [tfl.layers.lstm({ units, stateful: true, returnSequences: true, batchInputShape: [batch, chunk, features] }), tfl.layers.dense({ units: 1 })] });
    reference.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    for (let c = 0; c < chunks; c++) {
      const ours = model.predict(km.tensor(chunkOf(c), [batch, chunk, features]), { batchSize: batch }).dataSync();
      expectClose(ours, (reference.predict(tf.tensor(chunkOf(c), [batch, chunk, features]), { batchSize: batch }) as tf.Tensor).dataSync());
    }
    model.resetStates();
    reference.resetStates();
    // Training data: the chunks in order, so batch c continues batch c − 1 of the same sequences.
    const xs = new Float32Array(chunks * batch * chunk * features);
    for (let c = 0; c < chunks; c++) xs.set(chunkOf(c), c * batch * chunk * features);
    const ys = Float32Array.from({ length: chunks * batch * chunk }, (_, i) => Math.sin(3 * xs[2 * i]));
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.3 }), loss: 'meanSquaredError' });
    reference.compile({ optimizer: tf.train.sgd(0.3), loss: 'meanSquaredError' });
    const args = { epochs: 2, batchSize: batch, shuffle: false, verbose: 0 as const };
    const ours = await model.fit(km.tensor(xs, [chunks * batch, chunk, features]), km.tensor(ys, [chunks * batch, chunk, 1]), args);
    const theirs = await reference.fit(tf.tensor(xs, [chunks * batch, chunk, features]), tf.tensor(ys, [chunks * batch, chunk, 1]), args);
    ours.history.loss.forEach((loss, i) => expect(Math.abs(loss - (theirs.history.loss[i] as number))).toBeLessThan(1e-5));
    expect(ours.history.loss[1]).not.toBeCloseTo(ours.history.loss[0], 3);
    const theirWeights = reference.getWeights();
    model.getWeights().forEach((w, i) => expectClose(w.dataSync(), theirWeights[i].dataSync(), 1e-5));
  });
});

describe('resetStates(states): the next batch starts from the given states, as in tfjs-layers 4.22', () => {
  const stateRandom = new Random(31);
  const stateValues = (width: number) => Float32Array.from({ length: batch * width }, () => stateRandom.uniform(-1, 1));

  it.each([
    { name: 'LSTM [h, c]', ours: () => km.layers.lstm({ units, stateful: true, returnSequences: true, batchInputShape: [batch, chunk, features] }), theirs: () => tfl.layers.lstm({ units, stateful: true, returnSequences: true, batchInputShape: [batch, chunk, features], unitForgetBias: true }), widths: [units, units] },
    {
      name: 'RNN([LSTMCell(3), GRUCell]) [h2, h1, c1]',
      ours: () => km.layers.rnn({ cell: [km.layers.lstmCell({ units: 3 }), km.layers.gruCell({ units })], stateful: true, returnSequences: true, batchInputShape: [batch, chunk, features] }),
      theirs: () => tfl.layers.rnn({ cell: [tfl.layers.lstmCell({ units: 3, unitForgetBias: true }), tfl.layers.gruCell({ units })], stateful: true, returnSequences: true, batchInputShape: [batch, chunk, features] }),
      widths: [units, 3, 3],
    },
  ])('$name', ({ ours, theirs, widths }) => {
    km.utils.setRandomSeed(12);
    const model = km.sequential([ours()]);
    const reference = tfl.sequential({ layers: [theirs()] });
    reference.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const values = widths.map(stateValues);
    (model.layers[0] as km.layers.LSTM).resetStates(values.map((v, k) => km.tensor(v, [batch, widths[k]])));
    (reference.layers[0] as tfl.RNN).resetStates(values.map((v, k) => tf.tensor(v, [batch, widths[k]])));
    const x = () => km.tensor(chunkOf(1), [batch, chunk, features]);
    const predicted = model.predict(x(), { batchSize: batch }).dataSync();
    expectClose(predicted, (reference.predict(tf.tensor(chunkOf(1), [batch, chunk, features]), { batchSize: batch }) as tf.Tensor).dataSync());
    // The states mattered: from zeros the same chunk predicts otherwise.
    model.resetStates();
    const fromZeros = model.predict(x(), { batchSize: batch }).dataSync();
    expect(Math.max(...fromZeros.map((v, i) => Math.abs(v - predicted[i])))).toBeGreaterThan(1e-3);
  });

  it('layer.states reads the kept states as tfjs-layers 4.22 does: zeros, then each chunk\'s last states, which resetStates puts back', () => {
    km.utils.setRandomSeed(13);
    const lstm = km.layers.lstm({ units, stateful: true, returnSequences: true, batchInputShape: [batch, chunk, features] });
    const model = km.sequential([lstm]);
    const reference = tfl.sequential({ layers: [tfl.layers.lstm({ units, stateful: true, returnSequences: true, batchInputShape: [batch, chunk, features], unitForgetBias: true })] });
    reference.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const theirStates = () => (reference.layers[0] as tfl.RNN).states.map((t) => Array.from(t.dataSync()));
    expect(lstm.states!.map((t) => t.shape)).toEqual([[batch, units], [batch, units]]);
    expect(lstm.states!.map((t) => Array.from(t.dataSync()))).toEqual(theirStates());
    for (let c = 0; c < 2; c++) {
      model.predict(km.tensor(chunkOf(c), [batch, chunk, features]), { batchSize: batch });
      reference.predict(tf.tensor(chunkOf(c), [batch, chunk, features]), { batchSize: batch });
      lstm.states!.forEach((t, k) => expectClose(t.dataSync(), theirStates()[k]));
    }
    const saved = lstm.states!;
    const next = model.predict(km.tensor(chunkOf(2), [batch, chunk, features]), { batchSize: batch }).dataSync();
    lstm.resetStates();
    expect(lstm.states!.every((t) => t.dataSync().every((v) => v === 0))).toBe(true);
    lstm.resetStates(saved);
    expect(model.predict(km.tensor(chunkOf(2), [batch, chunk, features]), { batchSize: batch }).dataSync()).toEqual(next);

    const stacked = km.layers.rnn({ cell: [km.layers.lstmCell({ units: 3 }), km.layers.gruCell({ units })], stateful: true, returnSequences: true, batchInputShape: [batch, chunk, features] });
    const stackedModel = km.sequential([stacked]);
    const stackedReference = tfl.sequential({ layers: [tfl.layers.rnn({ cell: [tfl.layers.lstmCell({ units: 3, unitForgetBias: true }), tfl.layers.gruCell({ units })], stateful: true, returnSequences: true, batchInputShape: [batch, chunk, features] })] });
    stackedReference.setWeights(stackedModel.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    stackedModel.predict(km.tensor(chunkOf(0), [batch, chunk, features]), { batchSize: batch });
    stackedReference.predict(tf.tensor(chunkOf(0), [batch, chunk, features]), { batchSize: batch });
    const stackedTheirs = (stackedReference.layers[0] as tfl.RNN).states;
    expect(stacked.states!.map((t) => t.shape)).toEqual(stackedTheirs.map((t) => t.shape));
    stacked.states!.forEach((t, k) => expectClose(t.dataSync(), stackedTheirs[k].dataSync()));

    expect(km.layers.lstm({ units }).states).toBeNull();
    const unbuilt = km.layers.lstm({ units, stateful: true, batchInputShape: [batch, chunk, features] });
    expect(unbuilt.states).toBeNull();
  });

  it('refuses a wrong count, shape or dtype, NaN, a layer without a batch size and one that is not stateful, naming the fix', () => {
    const lstm = km.layers.lstm({ units, stateful: true, batchInputShape: [batch, chunk, features], name: 'kept' });
    km.sequential([lstm]);
    const h = km.tensor(new Float32Array(batch * units), [batch, units]);
    expect(() => lstm.resetStates([h])).toThrow(/LSTM layer 'kept': resetStates\(states\) needs 2 float32 tensors of shape \[4, 5\] \(h, then the cell state\), but received 1/);
    expect(() => lstm.resetStates([h, km.tensor(new Float32Array(units), [1, units])])).toThrow(/state 1 is a float32 tensor of shape \[1, 5\]/);
    expect(() => lstm.resetStates([h, km.tensor(new Int32Array(batch * units), [batch, units], 'int32')])).toThrow(/state 1 is a int32 tensor of shape \[4, 5\]/);
    expect(() => lstm.resetStates([h, km.tensor(new Float32Array(batch * units).fill(NaN), [batch, units])])).toThrow(/state 1 holds NaN or Infinity/);
    const unsized = km.layers.gru({ units, stateful: true, name: 'unsized' });
    km.sequential([km.layers.dense({ units: 2, inputShape: [chunk, features] }), unsized]);
    expect(() => unsized.resetStates([h])).toThrow(/GRU layer 'unsized': resetStates\(states\) needs the batch size the states are for, but the layer declares none/);
    expect(() => km.layers.simpleRNN({ units, name: 'plain' }).resetStates([h])).toThrow(/SimpleRNN layer 'plain' is not stateful/);
    const stacked = km.layers.rnn({ cell: [km.layers.lstmCell({ units: 3 }), km.layers.gruCell({ units })], stateful: true, batchInputShape: [batch, chunk, features] });
    km.sequential([stacked]);
    expect(() => stacked.resetStates([h])).toThrow(/resetStates\(states\) needs 3 states \(the last cell's first, as returnState lists them\), but received 1/);
  });
});
