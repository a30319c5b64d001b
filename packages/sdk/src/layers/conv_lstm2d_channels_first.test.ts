import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { maxAbsDiff } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const random = new Random(62);
const uniform = (length: number) => Float32Array.from({ length }, () => random.uniform(-1, 1));
/** `values` of `shape` with its axes in `perm` order (tfjs-core's transpose, an independent reference). */
const permuted = (values: Float32Array, shape: number[], perm: number[]) => tf.transpose(tf.tensor(values, shape), perm).dataSync() as Float32Array;
/** [batch, steps, channels, rows, cols] to [batch, steps, rows, cols, channels]. */
const framesLast = (values: Float32Array, shape: number[]) => permuted(values, shape, [0, 1, 3, 4, 2]);
/** [batch, channels, rows, cols] to [batch, rows, cols, channels]. */
const imageLast = (values: Float32Array, shape: number[]) => permuted(values, shape, [0, 2, 3, 1]);

describe("ConvLSTM2D with dataFormat 'channelsFirst': shapes, weights and config", () => {
  it('takes [time, channels, rows, cols], outputs [filters, rows, cols] (every step with returnSequences), with the weights of the channels-last layer', () => {
    const input = km.input({ shape: [5, 3, 9, 8] });
    expect(km.layers.convLstm2d({ filters: 4, kernelSize: 3, dataFormat: 'channelsFirst' }).apply(input).shape).toEqual([4, 7, 6]);
    const layer = km.layers.convLstm2d({ filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same', returnSequences: true, returnState: true, dataFormat: 'channelsFirst' });
    expect((layer.apply(input) as unknown as km.SymbolicTensor[]).map((t) => t.shape)).toEqual([[5, 4, 5, 4], [4, 5, 4], [4, 5, 4]]);
    expect(layer.getWeights().map((w) => w.shape)).toEqual([[3, 2, 3, 16], [3, 2, 4, 16], [16]]);
    expect(layer.getConfig()).toMatchObject({ dataFormat: 'channelsFirst', filters: 4, kernelSize: [3, 2] });
    // Keras' spelling is read too; the default stays channelsLast.
    expect(km.layers.convLstm2d({ filters: 1, kernelSize: 1, dataFormat: 'channels_first' as 'channelsFirst' }).dataFormat).toBe('channelsFirst');
    expect(km.layers.convLstm2d({ filters: 1, kernelSize: 1 }).getConfig().dataFormat).toBe('channelsLast');
  });

  it("summary() lists the channels-first output shape, and the channels-last layer's parameter count", () => {
    const model = km.sequential([km.layers.convLstm2d({ filters: 4, kernelSize: 3, dataFormat: 'channelsFirst', returnSequences: true, inputShape: [5, 3, 9, 8] })]);
    const lines: string[] = [];
    model.summary(undefined, undefined, (line) => lines.push(line));
    expect(lines.join('\n')).toMatch(/ConvLSTM2D\)\s+\(None, 5, 4, 7, 6\)\s+1024/);
  });

  it('refuses inputs of another rank, naming the channels-first frame and the reshape that adds its channel axis', () => {
    expect(() => km.sequential([km.layers.convLstm2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst', inputShape: [4, 8, 8] })])).toThrow(
      /ConvLSTM2D layer '.*' expects sequences of images of shape \(None, time, channels, rows, cols\) \(dataFormat 'channelsFirst'\), but received inputs of shape \(None, 4, 8, 8\)\. Add a channels axis, e\.g\. km\.layers\.reshape\(\{ targetShape: \[4, 1, 8, 8\] \}\)/,
    );
  });
});

describe("ConvLSTM2D with dataFormat 'channelsFirst' equals the channels-last layer on transposed data", () => {
  const [batch, channels, rows, cols, filters] = [4, 2, 5, 4, 3];
  const conv = { filters, kernelSize: 3, padding: 'same' as const };

  /** A video encoder (returnState) → decoder (initialState [h, c], returnSequences) in one format. */
  function encoderDecoder(dataFormat: 'channelsFirst' | 'channelsLast') {
    const frame = dataFormat === 'channelsFirst' ? [channels, rows, cols] : [rows, cols, channels];
    const past = km.input({ shape: [3, ...frame] });
    const future = km.input({ shape: [2, ...frame] });
    const [, h, c] = km.layers.convLstm2d({ ...conv, dataFormat, returnState: true, goBackwards: true }).apply(past) as unknown as km.SymbolicTensor[];
    const decoded = km.layers.convLstm2d({ ...conv, dataFormat, returnSequences: true, recurrentActivation: 'sigmoid' }).apply(future, { initialState: [h, c] });
    return km.model({ inputs: [past, future], outputs: decoded });
  }

  it('an encoder → decoder (initialState [h, c]): the same predictions, and the same losses and weights over 3 SGD epochs (gradients through the states)', async () => {
    km.utils.setRandomSeed(37);
    const first = encoderDecoder('channelsFirst');
    const last = encoderDecoder('channelsLast');
    last.setWeights(first.getWeights());
    const [past, future] = [uniform(batch * 3 * channels * rows * cols), uniform(batch * 2 * channels * rows * cols)];
    const target = uniform(batch * 2 * filters * rows * cols);
    const firstX = [km.tensor(past, [batch, 3, channels, rows, cols]), km.tensor(future, [batch, 2, channels, rows, cols])];
    const lastX = [km.tensor(framesLast(past, [batch, 3, channels, rows, cols]), [batch, 3, rows, cols, channels]), km.tensor(framesLast(future, [batch, 2, channels, rows, cols]), [batch, 2, rows, cols, channels])];
    const predicted = (first.predict(firstX) as km.Tensor).dataSync() as Float32Array;
    expect(maxAbsDiff(framesLast(predicted, [batch, 2, filters, rows, cols]), (last.predict(lastX) as km.Tensor).dataSync())).toBeLessThan(1e-5);

    const args = { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 as const };
    first.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.3 }), loss: 'meanSquaredError' });
    last.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.3 }), loss: 'meanSquaredError' });
    const firstLoss = (await first.fit(firstX, km.tensor(target, [batch, 2, filters, rows, cols]), args)).history.loss;
    const lastLoss = (await last.fit(lastX, km.tensor(framesLast(target, [batch, 2, filters, rows, cols]), [batch, 2, rows, cols, filters]), args)).history.loss;
    expect(maxAbsDiff(firstLoss, lastLoss)).toBeLessThan(1e-5);
    expect(firstLoss[2]).toBeLessThan(firstLoss[0] - 1e-3);
    const lastWeights = last.getWeights();
    first.getWeights().forEach((w, i) => expect(maxAbsDiff(w.dataSync(), lastWeights[i].dataSync())).toBeLessThan(1e-5));
  });

  // tfjs-cpu keeps the states on its device, where layer.states transposes them; wasm reads them to the host.
  it.each(['wasm', 'tfjs-cpu'])('stateful on %s: resetStates([h, c]) takes channels-first states and continues as initialState does; layer.states gives them back channels-first', async (name) => {
    await km.setBackend(name as km.BackendName);
    try {
      statefulContinues();
    } finally {
      await km.setBackend('wasm');
    }
  });

  function statefulContinues(): void {
    km.utils.setRandomSeed(38);
    const chunkShape = [2, 2, channels, rows, cols];
    const layer = km.layers.convLstm2d({ ...conv, dataFormat: 'channelsFirst', returnSequences: true, stateful: true, batchInputShape: chunkShape });
    const stateful = km.sequential([layer]);
    const plain = km.layers.convLstm2d({ ...conv, dataFormat: 'channelsFirst', returnSequences: true, returnState: true });
    const x = km.tensor(uniform(2 * 2 * channels * rows * cols), chunkShape);
    plain.apply(x);
    plain.setWeights(layer.getWeights());
    const stateShape = [2, filters, rows, cols];
    const [hValues, cValues] = [uniform(2 * filters * rows * cols), uniform(2 * filters * rows * cols)];
    const [h, c] = [km.tensor(hValues, stateShape), km.tensor(cValues, stateShape)];
    const [expected, hEnd, cEnd] = plain.apply(x, { initialState: [h, c] }) as unknown as km.Tensor[];
    layer.resetStates([h, c]);
    expect(maxAbsDiff(stateful.predict(x, { batchSize: 2 }).dataSync(), expected.dataSync())).toBeLessThan(1e-5);
    const kept = layer.states!;
    expect(kept.map((s) => s.shape)).toEqual([stateShape, stateShape]);
    expect(maxAbsDiff(kept[0].dataSync(), hEnd.dataSync())).toBeLessThan(1e-6);
    expect(maxAbsDiff(kept[1].dataSync(), cEnd.dataSync())).toBeLessThan(1e-6);
    // The channels-last values of a state image are not its channels-first ones: the order matters.
    expect(maxAbsDiff(imageLast(hValues, stateShape), hValues)).toBeGreaterThan(0.1);
    expect(() => layer.resetStates([h, km.tensor(imageLast(cValues, stateShape), [2, rows, cols, filters])])).toThrow(
      /resetStates\(states\) needs 2 float32 tensors of shape \[2, 3, 5, 4\], but state 1 is a float32 tensor of shape \[2, 5, 4, 3\]/,
    );
  }
});
