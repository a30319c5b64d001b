import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { expectSameFit } from '../testing/tfjs_fit_parity.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

// 2 videos of 6 frames of 4×4 pixels, fed as 3 chunks of 2 frames.
const [batch, steps, chunk, size, filters] = [2, 6, 2, 4, 2];
const chunks = steps / chunk;
const frame = size * size;
const random = new Random(83);
const videos = Float32Array.from({ length: batch * steps * frame }, () => random.uniform(-1, 1));
/** Frames [from, to) of every video, `[batch, to − from, size, size, 1]`, as kerasm and tfjs tensors. */
function framesOf(from: number, to: number, values: { subarray(a: number, b: number): ArrayLike<number> } = videos, perFrame = frame): Float32Array {
  const out = new Float32Array(batch * (to - from) * perFrame);
  for (let b = 0; b < batch; b++) out.set(values.subarray((b * steps + from) * perFrame, (b * steps + to) * perFrame), b * (to - from) * perFrame);
  return out;
}
const expectClose = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tolerance);
};

describe('ConvLSTM2D stateful: a long video in chunks equals the unchunked run, and tfjs-layers 4.22', () => {
  const options = { filters, kernelSize: 3, padding: 'same' as const, returnSequences: true };
  const chunkShape = [batch, chunk, size, size, 1];

  it('chunk by chunk equals one pass over all frames and tfjs stateful ConvLSTM2D; resetStates() starts again from zeros', () => {
    km.utils.setRandomSeed(3);
    const layer = km.layers.convLstm2d({ ...options, stateful: true, batchInputShape: chunkShape });
    const stateful = km.sequential([layer]);
    const whole = km.sequential([km.layers.convLstm2d({ ...options, inputShape: [steps, size, size, 1] })]);
    whole.setWeights(stateful.getWeights());
    const expected = whole.predict(km.tensor(videos, [batch, steps, size, size, 1])).dataSync();
    const reference = tfl.sequential({ layers: [tfl.layers.convLstm2d({ ...options, stateful: true, batchInputShape: chunkShape })] });
    reference.setWeights(stateful.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const predictChunk = (c: number) => stateful.predict(km.tensor(framesOf(c * chunk, (c + 1) * chunk), chunkShape), { batchSize: batch }).dataSync();
    const first = predictChunk(0);
    for (let c = 0; c < chunks; c++) {
      const ours = c === 0 ? first : predictChunk(c);
      expectClose(ours, framesOf(c * chunk, (c + 1) * chunk, expected, frame * filters));
      expectClose(ours, (reference.predict(tf.tensor(framesOf(c * chunk, (c + 1) * chunk), chunkShape), { batchSize: batch }) as tf.Tensor).dataSync());
    }
    // Without a reset the first chunk continues from the last states; after one, it starts from zeros again.
    expect(Math.max(...predictChunk(0).map((v, i) => Math.abs(v - first[i])))).toBeGreaterThan(1e-3);
    layer.resetStates();
    expectClose(predictChunk(0), first);
  });

  it('resetStates([h, c]) with image states continues as initialState does; bad states get errors naming the shape', () => {
    km.utils.setRandomSeed(4);
    const layer = km.layers.convLstm2d({ ...options, stateful: true, batchInputShape: chunkShape });
    const stateful = km.sequential([layer]);
    const stateValues = () => Float32Array.from({ length: batch * frame * filters }, () => random.uniform(-0.5, 0.5));
    const [h, c] = [km.tensor(stateValues(), [batch, size, size, filters]), km.tensor(stateValues(), [batch, size, size, filters])];
    const plain = km.layers.convLstm2d(options);
    const x = km.tensor(framesOf(0, chunk), chunkShape);
    plain.apply(x);
    plain.setWeights(layer.getWeights());
    const expected = (plain.apply(x, { initialState: [h, c] }) as km.Tensor).dataSync();
    layer.resetStates([h, c]);
    expectClose(stateful.predict(x, { batchSize: batch }).dataSync(), expected);
    expect(() => layer.resetStates([h])).toThrow(/ConvLSTM2D layer '.*': resetStates\(states\) needs 2 float32 tensors of shape \[2, 4, 4, 2\] \(h, then the cell state\), but received 1\./);
    expect(() => layer.resetStates([h, km.tensor(new Float32Array(batch * 16), [batch, 16])])).toThrow(/needs 2 float32 tensors of shape \[2, 4, 4, 2\], but state 1 is a float32 tensor of shape \[2, 16\]/);
  });

  it('a layer that is not stateful refuses resetStates, naming the option', () => {
    expect(() => km.layers.convLstm2d({ filters, kernelSize: 3 }).resetStates()).toThrow(/ConvLSTM2D layer '.*' is not stateful.*Build it with stateful: true/);
  });
});

describe('ConvLSTM2D with a mask: Masking over whole padded frames, parity with tfjs-layers 4.22', () => {
  const [n, frames, side] = [16, 5, 4];
  const data = Float32Array.from({ length: n * frames * side * side }, () => random.uniform(0.1, 1));
  // Sample i is padded with zero frames: its last (i mod 3) frames, and for every fourth its first one.
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < frames; t++) {
      if (t >= frames - (i % 3) || (i % 4 === 0 && t === 0)) data.fill(0, (i * frames + t) * side * side, (i * frames + t + 1) * side * side);
    }
  }
  const x = [data, [n, frames, side, side, 1]] as const;
  const y = [Float32Array.from({ length: n }, () => random.uniform(-1, 1)), [n, 1]] as const;
  const inputShape = [frames, side, side, 1];

  it.each([
    { name: "last state, padding 'same'", convOptions: { filters: 2, kernelSize: 3, padding: 'same' as const } },
    { name: "goBackwards, returnSequences, sigmoid gates, padding 'same'", convOptions: { filters: 2, kernelSize: 3, padding: 'same' as const, goBackwards: true, returnSequences: true, recurrentActivation: 'sigmoid' as const } },
  ])('Masking → ConvLSTM2D($name) → Flatten → Dense: same predictions, losses and weights over 3 SGD epochs', async ({ convOptions }) => {
    await expectSameFit({
      kerasm: () => [km.layers.masking({ inputShape }), km.layers.convLstm2d(convOptions), km.layers.flatten(), km.layers.dense({ units: 1 })],
      tfjs: () => [tfl.layers.masking({ inputShape }), tfl.layers.convLstm2d(convOptions), tfl.layers.flatten(), tfl.layers.dense({ units: 1 })],
      loss: 'meanSquaredError', x, y,
    }, { seed: 12, learningRate: 0.2 });
  });

  it("a masked frame changes nothing: padding 'valid' (which tfjs cannot mask) gives the unpadded sequence's result", () => {
    km.utils.setRandomSeed(13);
    const masked = km.sequential([km.layers.masking({ inputShape }), km.layers.convLstm2d({ filters: 2, kernelSize: 3 })]);
    const plain = km.sequential([km.layers.convLstm2d({ filters: 2, kernelSize: 3, inputShape: [3, side, side, 1] })]);
    plain.setWeights(masked.getWeights());
    // Sample 2: its last two frames are padding; sample 4: its first one (and none at the end).
    const ours = masked.predict(km.tensor(data, [n, frames, side, side, 1])).dataSync();
    const sample = (i: number, from: number, to: number) => km.tensor(data.slice((i * frames + from) * side * side, (i * frames + to) * side * side), [1, 3, side, side, 1]);
    const perSample = 2 * 2 * 2;
    expectClose(ours.subarray(2 * perSample, 3 * perSample), plain.predict(sample(2, 0, 3)).dataSync());
    expectClose(ours.subarray(4 * perSample, 5 * perSample), plain.predict(sample(4, 1, 4)).dataSync());
  });
});
