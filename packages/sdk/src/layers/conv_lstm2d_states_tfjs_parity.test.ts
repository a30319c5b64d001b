import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { expectSameModelFit } from '../testing/tfjs_model_parity.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

const [n, encSteps, decSteps, size] = [16, 3, 2, 5];
const random = new Random(61);
const values = (count: number, low = -1, high = 1) => Float32Array.from({ length: count }, () => random.uniform(low, high));
const encoderX = [values(n * encSteps * size * size), [n, encSteps, size, size, 1]] as const;
const decoderX = [values(n * decSteps * size * size), [n, decSteps, size, size, 1]] as const;
const targets = (shape: number[]) => [values(shape.reduce((a, b) => a * b, 1)), shape] as const;

describe('ConvLSTM2D returnState and initialState: parity with tfjs-layers 4.22 (cpu backend)', () => {
  it("returnState ('valid', returnSequences, goBackwards): [output, h, c] with h and c [rows', cols', filters] as outputs with losses of their own", async () => {
    km.utils.setRandomSeed(5);
    const options = { filters: 2, kernelSize: 3, returnSequences: true, goBackwards: true, returnState: true, recurrentActivation: 'sigmoid' as const, name: 'encoder' };
    const input = km.input({ shape: [encSteps, size, size, 1] });
    const [sequence, h, c] = km.layers.convLstm2d(options).apply(input) as unknown as km.SymbolicTensor[];
    expect([sequence.shape, h.shape, c.shape]).toEqual([[encSteps, 3, 3, 2], [3, 3, 2], [3, 3, 2]]);
    const head = km.layers.dense({ units: 1, name: 'head' }).apply(km.layers.flatten({ name: 'flat' }).apply(sequence));
    // tfjs 4.22's fit cannot weigh the loss of a 4-D output, so the states reach their losses flattened.
    const ours = km.model({ inputs: input, outputs: [head, km.layers.flatten().apply(h), km.layers.flatten().apply(c)] });

    const tInput = tfl.input({ shape: [encSteps, size, size, 1] });
    const [tSequence, th, tc] = tfl.layers.convLstm2d(options).apply(tInput) as tfl.SymbolicTensor[];
    const tHead = tfl.layers.dense({ units: 1, name: 'head' }).apply(tfl.layers.flatten({ name: 'flat' }).apply(tSequence)) as tfl.SymbolicTensor;
    const theirs = tfl.model({ inputs: tInput, outputs: [tHead, tfl.layers.flatten().apply(th) as tfl.SymbolicTensor, tfl.layers.flatten().apply(tc) as tfl.SymbolicTensor] });
    await expectSameModelFit({
      ours, theirs, x: [encoderX], y: [targets([n, 1]), targets([n, 18]), targets([n, 18])],
      losses: ['meanSquaredError', 'meanAbsoluteError', 'meanSquaredError'],
    }, { learningRate: 0.3, batchSize: 8 });
  });

  // tfjs 4.22's ConvLSTM2D cannot take a symbolic initialState (its output shape comes out undefined),
  // so tfjs runs the same encoder → decoder on concrete tensors here, its SGD steps by optimizer.minimize.
  it.each([
    { padding: 'same' as const, state: [size, size] },
    { padding: 'valid' as const, state: [size - 2, size - 2] },
  ])('video encoder ConvLSTM2D(returnState, padding $padding) → decoder ConvLSTM2D(returnSequences, initialState [h, c]) → Flatten → Dense: same predictions, losses and weights over 3 SGD steps (the states carry the encoder\'s gradients)', async ({ padding, state }) => {
    km.utils.setRandomSeed(6);
    const filters = 2;
    const encIn = km.input({ shape: [encSteps, size, size, 1] });
    const decIn = km.input({ shape: [decSteps, size, size, 1] });
    const layers = {
      encoder: km.layers.convLstm2d({ filters, kernelSize: 3, padding, returnState: true, name: 'encoder' }),
      decoder: km.layers.convLstm2d({ filters, kernelSize: 3, padding, returnSequences: true, name: 'decoder' }),
      out: km.layers.dense({ units: 1, name: 'out' }),
    };
    const [, h, c] = layers.encoder.apply(encIn) as unknown as km.SymbolicTensor[];
    expect([h.shape, c.shape]).toEqual([[...state, filters], [...state, filters]]);
    const decoded = layers.decoder.apply(decIn, { initialState: [h, c] });
    const ours = km.model({ inputs: [encIn, decIn], outputs: layers.out.apply(km.layers.flatten().apply(decoded)) });

    const theirs = {
      encoder: tfl.layers.convLstm2d({ filters, kernelSize: 3, padding, returnState: true }),
      decoder: tfl.layers.convLstm2d({ filters, kernelSize: 3, padding, returnSequences: true }),
      out: tfl.layers.dense({ units: 1 }),
    };
    const [tEncX, tDecX] = [tf.tensor(encoderX[0], [...encoderX[1]]), tf.tensor(decoderX[0], [...decoderX[1]])];
    const tPredict = () => {
      const [, th, tc] = theirs.encoder.apply(tEncX) as tf.Tensor[];
      const tDecoded = theirs.decoder.apply(tDecX, { initialState: [th, tc] }) as tf.Tensor;
      return theirs.out.apply(tf.reshape(tDecoded, [n, -1])) as tf.Tensor;
    };
    tPredict();
    for (const name of ['encoder', 'decoder', 'out'] as const) theirs[name].setWeights(layers[name].getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const x = [km.tensor(encoderX[0], [...encoderX[1]]), km.tensor(decoderX[0], [...decoderX[1]])];
    const expected = tPredict().dataSync();
    (ours.predict(x) as km.Tensor).dataSync().forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));

    const [y] = [targets([n, 1])];
    ours.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.3 }), loss: 'meanSquaredError' });
    const history = await ours.fit(x, km.tensor(y[0], [...y[1]]), { epochs: 3, batchSize: n, shuffle: false, verbose: 0 });
    const optimizer = tf.train.sgd(0.3);
    const variables = Object.values(theirs).flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
    const tY = tf.tensor(y[0], [...y[1]]);
    const theirLosses = [0, 1, 2].map(() => optimizer.minimize(() => tf.losses.meanSquaredError(tY, tPredict()) as tf.Scalar, true, variables)!.dataSync()[0]);
    history.history.loss.forEach((loss, i) => expect(Math.abs(loss - theirLosses[i])).toBeLessThan(1e-4));
    expect(history.history.loss[2]).not.toBeCloseTo(history.history.loss[0], 3);
    for (const name of ['encoder', 'decoder', 'out'] as const) {
      const theirWeights = theirs[name].getWeights();
      layers[name].getWeights().forEach((w, i) => w.dataSync().forEach((v, j) => expect(Math.abs(v - theirWeights[i].dataSync()[j])).toBeLessThan(1e-4)));
    }
  });

  it('concrete tensors: apply(x) gives [output, h, c] and apply(x, { initialState }) continues from them as one longer sequence does', () => {
    km.utils.setRandomSeed(7);
    const whole = km.layers.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same', returnSequences: true });
    const steps = encSteps + decSteps;
    const frames = values(2 * steps * size * size);
    const expected = (whole.apply(km.tensor(frames, [2, steps, size, size, 1])) as km.Tensor).dataSync();
    const options = { filters: 2, kernelSize: 3, padding: 'same' as const, returnSequences: true, returnState: true };
    const [encoder, decoder] = [km.layers.convLstm2d(options), km.layers.convLstm2d(options)];
    const part = (from: number, to: number) => {
      const out = new Float32Array(2 * (to - from) * size * size);
      for (let b = 0; b < 2; b++) out.set(frames.subarray((b * steps + from) * size * size, (b * steps + to) * size * size), b * (to - from) * size * size);
      return km.tensor(out, [2, to - from, size, size, 1]);
    };
    encoder.apply(part(0, encSteps));
    decoder.apply(part(encSteps, steps));
    encoder.setWeights(whole.getWeights());
    decoder.setWeights(whole.getWeights());
    const [first, h, c] = encoder.apply(part(0, encSteps)) as unknown as km.Tensor[];
    expect([first.shape, h.shape, c.shape]).toEqual([[2, encSteps, size, size, 2], [2, size, size, 2], [2, size, size, 2]]);
    const [second] = decoder.apply(part(encSteps, steps), { initialState: [h, c] }) as unknown as km.Tensor[];
    const frame = size * size * 2;
    for (let b = 0; b < 2; b++) {
      const ours = [...first.dataSync().subarray(b * encSteps * frame, (b + 1) * encSteps * frame), ...second.dataSync().subarray(b * decSteps * frame, (b + 1) * decSteps * frame)];
      ours.forEach((v, i) => expect(Math.abs(v - expected[b * steps * frame + i])).toBeLessThan(1e-5));
    }
  });
});
