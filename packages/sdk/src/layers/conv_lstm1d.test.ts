import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { convLstm2dReference } from '../testing/conv_lstm_reference.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

const random = new Random(31);
const uniform = (n: number) => Float32Array.from({ length: n }, () => random.uniform(-1, 1));

describe('ConvLSTM1D shapes, weights and defaults', () => {
  it("outputs the last state [outWidth, filters], or every step's with returnSequences, and builds Keras' [k, channels, 4·filters] kernels", () => {
    const input = km.input({ shape: [5, 9, 3] });
    expect(km.layers.convLstm1d({ filters: 4, kernelSize: 3 }).apply(input).shape).toEqual([7, 4]);
    expect(km.layers.convLstm1d({ filters: 4, kernelSize: [3], strides: 2, padding: 'same', returnSequences: true }).apply(input).shape).toEqual([5, 5, 4]);
    expect(km.layers.convLstm1d({ filters: 2, kernelSize: 2, dilationRate: 3, dataFormat: 'channelsFirst', returnSequences: true }).apply(km.input({ shape: [5, 3, 9] })).shape).toEqual([5, 2, 6]);
    const model = km.sequential([km.layers.convLstm1d({ filters: 4, kernelSize: 3, inputShape: [5, 9, 3] })]);
    expect(model.getWeights().map((w) => w.shape)).toEqual([[3, 3, 16], [3, 4, 16], [16]]);
    // The unit forget bias: ones for the forget gate's block.
    expect(Array.from(model.getWeights()[2].dataSync())).toEqual([...Array(4).fill(0), ...Array(4).fill(1), ...Array(8).fill(0)]);
  });

  it("takes Keras 3's defaults (sigmoid gates, glorotUniform kernel) where ConvLSTM2D keeps tfjs' (hardSigmoid, glorotNormal)", () => {
    const config = km.layers.convLstm1d({ filters: 2, kernelSize: 3 }).getConfig();
    expect(config).toMatchObject({ recurrentActivation: 'sigmoid', unitForgetBias: true, activation: 'tanh', useBias: true });
    const kernelInitializer = (layer: km.layers.Layer) => layer.getConfig().kernelInitializer;
    expect(config.kernelInitializer).toEqual(kernelInitializer(km.layers.convLstm1d({ filters: 2, kernelSize: 3, kernelInitializer: 'glorotUniform' })));
    expect(config.kernelInitializer).toMatchObject({ config: { distribution: 'uniform' } });
    expect(km.layers.convLstm1d({ filters: 2, kernelSize: 3, recurrentActivation: 'hardSigmoid' }).getConfig().recurrentActivation).toBe('hardSigmoid');
    const convLstm2d = km.layers.convLstm2d({ filters: 2, kernelSize: 3 });
    expect(convLstm2d.getConfig().recurrentActivation).toBe('hardSigmoid');
    expect(kernelInitializer(convLstm2d)).not.toEqual(config.kernelInitializer);
  });

  it('returnState gives [output, h, c], each a row [outWidth, filters], and h is the last output', () => {
    km.utils.setRandomSeed(2);
    const input = km.input({ shape: [4, 6, 2] });
    const outputs = km.layers.convLstm1d({ filters: 3, kernelSize: 3, padding: 'same', returnState: true }).apply(input);
    expect(outputs.map((t) => t.shape)).toEqual([[6, 3], [6, 3], [6, 3]]);
    const model = km.model({ inputs: input, outputs });
    const [output, h, c] = model.predict(km.tensor(uniform(2 * 4 * 6 * 2), [2, 4, 6, 2])) as km.Tensor[];
    expect(Array.from(h.dataSync())).toEqual(Array.from(output.dataSync()));
    expect(Array.from(c.dataSync())).not.toEqual(Array.from(h.dataSync()));
  });
});

describe('ConvLSTM1D against a float64 loop of Keras equations', () => {
  // The naive loop convolves [1, width] images with [1, k] kernels: the same numbers as a 1-D convolution.
  it.each([
    { padding: 'same' as const, strides: 1, dilationRate: 1, goBackwards: false, returnSequences: true },
    { padding: 'valid' as const, strides: 2, dilationRate: 1, goBackwards: true, returnSequences: false },
    { padding: 'valid' as const, strides: 1, dilationRate: 2, goBackwards: false, returnSequences: true },
  ])('padding $padding, strides $strides, dilation $dilationRate, goBackwards $goBackwards', (o) => {
    const [batch, steps, width, channels, filters, k] = [2, 3, 7, 2, 3, 3];
    km.utils.setRandomSeed(8);
    const layer = km.layers.convLstm1d({ filters, kernelSize: k, strides: o.strides, padding: o.padding, dilationRate: o.dilationRate, goBackwards: o.goBackwards, returnSequences: o.returnSequences, biasInitializer: 'glorotUniform' });
    const model = km.sequential([km.layers.inputLayer({ inputShape: [steps, width, channels] }), layer]);
    const x = uniform(batch * steps * width * channels);
    const got = model.predict(km.tensor(x, [batch, steps, width, channels])).dataSync();
    const [kernel, recurrent, bias] = model.getWeights().map((w) => Array.from(w.dataSync()));
    const perSample = got.length / batch;
    for (let b = 0; b < batch; b++) {
      const rows = Array.from({ length: steps * width }, (_, p) => Array.from(x.subarray((b * steps * width + p) * channels, (b * steps * width + p + 1) * channels)));
      const expected = convLstm2dReference(rows, kernel, recurrent, bias, {
        frame: [1, width, channels], filters, kernelSize: [1, k], strides: [1, o.strides], dilationRate: [1, o.dilationRate], padding: o.padding,
        activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: o.returnSequences, goBackwards: o.goBackwards,
      }).flat();
      expect(expected).toHaveLength(perSample);
      expected.forEach((v, i) => expect(Math.abs(got[b * perSample + i] - v)).toBeLessThan(1e-5));
    }
  });
});

describe('ConvLSTM1D dropout', () => {
  it('dropout and recurrentDropout change a training step but not inference', async () => {
    const make = (rate: number) => {
      km.utils.setRandomSeed(12);
      const model = km.sequential([km.layers.convLstm1d({ filters: 2, kernelSize: 3, padding: 'same', dropout: rate, recurrentDropout: rate, inputShape: [3, 6, 2] }), km.layers.flatten(), km.layers.dense({ units: 1 })]);
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      return model;
    };
    const [plain, dropped] = [make(0), make(0.5)];
    const x = uniform(4 * 3 * 6 * 2);
    const [xs, ys] = [km.tensor(x, [4, 3, 6, 2]), km.tensor(uniform(4), [4, 1])];
    expect(Array.from(dropped.predict(xs).dataSync())).toEqual(Array.from(plain.predict(xs).dataSync()));
    await plain.trainOnBatch(xs, ys);
    await dropped.trainOnBatch(xs, ys);
    expect(Array.from(dropped.getWeights()[0].dataSync())).not.toEqual(Array.from(plain.getWeights()[0].dataSync()));
  });
});

describe('ConvLSTM1D stateful', () => {
  it('carries its states across calls: two halves of a sequence give what the whole sequence gives, until resetStates', () => {
    km.utils.setRandomSeed(9);
    const [batch, width, channels] = [2, 5, 2];
    const whole = km.sequential([km.layers.convLstm1d({ filters: 2, kernelSize: 3, padding: 'same', returnSequences: true, inputShape: [4, width, channels] })]);
    const stateful = km.sequential([km.layers.convLstm1d({ filters: 2, kernelSize: 3, padding: 'same', returnSequences: true, stateful: true, batchInputShape: [batch, 2, width, channels] })]);
    stateful.setWeights(whole.getWeights());
    const x = uniform(batch * 4 * width * channels);
    const expected = whole.predict(km.tensor(x, [batch, 4, width, channels])).arraySync() as number[][][][];
    const half = (t: number) => Float32Array.from({ length: batch * 2 * width * channels }, (_, i) => {
      const [b, rest] = [Math.floor(i / (2 * width * channels)), i % (2 * width * channels)];
      return x[b * 4 * width * channels + t * 2 * width * channels + rest];
    });
    const first = stateful.predict(km.tensor(half(0), [batch, 2, width, channels]), { batchSize: batch }).arraySync() as number[][][][];
    const second = stateful.predict(km.tensor(half(1), [batch, 2, width, channels]), { batchSize: batch }).arraySync() as number[][][][];
    for (let b = 0; b < batch; b++) {
      [...first[b], ...second[b]].flat(2).forEach((v, i) => expect(v).toBeCloseTo(expected[b].flat(2)[i], 5));
    }
    stateful.resetStates();
    const again = stateful.predict(km.tensor(half(0), [batch, 2, width, channels]), { batchSize: batch }).dataSync();
    expect(Array.from(again)).toEqual(first.flat(3));
  });
});

describe('ConvLSTM1D channelsFirst states', () => {
  it('resetStates([h, c]) takes [batch, filters, width] states and continues as initialState does; layer.states gives them back in that order', () => {
    km.utils.setRandomSeed(13);
    const [batch, steps, channels, width, filters] = [2, 2, 3, 5, 4];
    const args = { filters, kernelSize: 3, padding: 'same' as const, dataFormat: 'channelsFirst' as const, returnSequences: true };
    const layer = km.layers.convLstm1d({ ...args, stateful: true, batchInputShape: [batch, steps, channels, width] });
    const stateful = km.sequential([layer]);
    const plain = km.layers.convLstm1d({ ...args, returnState: true });
    const x = km.tensor(uniform(batch * steps * channels * width), [batch, steps, channels, width]);
    plain.apply(x);
    plain.setWeights(layer.getWeights());
    const stateShape = [batch, filters, width];
    const [h, c] = [km.tensor(uniform(batch * filters * width), stateShape), km.tensor(uniform(batch * filters * width), stateShape)];
    const [expected, hEnd, cEnd] = plain.apply(x, { initialState: [h, c] }) as unknown as km.Tensor[];
    layer.resetStates([h, c]);
    stateful.predict(x, { batchSize: batch }).dataSync().forEach((v, i) => expect(v).toBeCloseTo(expected.dataSync()[i], 5));
    const kept = layer.states!;
    expect(kept.map((t) => t.shape)).toEqual([stateShape, stateShape]);
    kept[0].dataSync().forEach((v, i) => expect(v).toBeCloseTo(hEnd.dataSync()[i], 6));
    kept[1].dataSync().forEach((v, i) => expect(v).toBeCloseTo(cEnd.dataSync()[i], 6));
    expect(() => layer.resetStates([h, km.tensor(uniform(batch * filters * width), [batch, width, filters])])).toThrow(
      /resetStates\(states\) needs 2 float32 tensors of shape \[2, 4, 5\], but state 1 is a float32 tensor of shape \[2, 5, 4\]/,
    );
  });
});

describe('ConvLSTM1D bad input', () => {
  it.each([
    [{ filters: 0, kernelSize: 3 }, /ConvLSTM1D layer: filters must be a positive integer\. Received: filters=0\./],
    [{ filters: 2, kernelSize: [3, 3] }, /ConvLSTM1D layer: kernelSize must be a positive integer or a list of one\. Received: kernelSize=\[3,3\]/],
    [{ filters: 2, kernelSize: 3, padding: 'causal' }, /ConvLSTM1D layer: padding must be 'valid' or 'same'\. Received: padding="causal"/],
    [{ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }, /ConvLSTM1D layer: strides above 1 cannot be combined with dilationRate above 1 \(as in Keras\)\. Received: strides=\[2\], dilationRate=\[2\]/],
    [{ filters: 2, kernelSize: 3, units: 4 }, /km\.layers\.convLstm1d has no option 'units'\. Its options are: .*filters/],
  ])('%j', (args, message) => {
    expect(() => km.layers.convLstm1d(args as unknown as km.layers.ConvLSTM1DArgs)).toThrow(message);
  });

  it('refuses inputs of another rank, naming the shape it expects and the fix', () => {
    const build = (inputShape: number[], dataFormat?: 'channelsFirst') => () => km.sequential([km.layers.convLstm1d({ filters: 2, kernelSize: 3, name: 'c1', inputShape, dataFormat })]);
    expect(build([4, 8])).toThrow("ConvLSTM1D layer 'c1' expects sequences of rows of shape (None, time, width, channels) (dataFormat 'channelsLast'), but received inputs of shape (None, 4, 8). Add a channels axis, e.g. km.layers.reshape({ targetShape: [4, 8, 1] }).");
    expect(build([4, 8], 'channelsFirst')).toThrow("shape (None, time, channels, width) (dataFormat 'channelsFirst'), but received inputs of shape (None, 4, 8). Add a channels axis, e.g. km.layers.reshape({ targetShape: [4, 1, 8] }).");
    expect(build([4, 8, 8, 1])).toThrow("but received inputs of shape (None, 4, 8, 8, 1). For sequences of images use km.layers.convLstm2d.");
  });

  it("refuses rows narrower than the window with 'valid' padding, counting the width, not the [1, width] image it runs as", () => {
    expect(() => km.sequential([km.layers.convLstm1d({ filters: 2, kernelSize: 3, dilationRate: 2, name: 'c1', inputShape: [3, 4, 1] })])).toThrow(
      "Layer 'c1': its input rows have width 4, less than its window of 5 with 'valid' padding, so the output would be empty. Use padding: 'same', a smaller kernelSize or dilationRate, or wider rows.",
    );
  });

  it('refuses initial states of another shape, naming the state row it expects', () => {
    const rows = km.input({ shape: [3, 6, 1] });
    const state = km.input({ shape: [6, 2] });
    expect(() => km.layers.convLstm1d({ filters: 2, kernelSize: 3, name: 'c1' }).apply(rows, { initialState: [state, state] })).toThrow(
      /ConvLSTM1D layer 'c1': initial state 0 must have shape \(None, 4, 2\)/,
    );
  });

  it("refuses a mask that does not mark its input's rows (a layer between Masking and it changed their width)", () => {
    const shrink = () => km.layers.timeDistributed({ layer: km.layers.conv1d({ filters: 1, kernelSize: 2 }) });
    expect(() => km.sequential([km.layers.masking({ inputShape: [3, 5, 1], name: 'pad' }), shrink(), km.layers.convLstm1d({ filters: 2, kernelSize: 3, name: 'c1' })])).toThrow(
      /ConvLSTM1D layer 'c1' reads one mask value per pixel of its input frames, a mask of shape \(None, 3, 4\), but its input carries the mask of layer 'pad' \(Masking\), of shape \(None, 3, 5\).*Put the Masking layer right before the ConvLSTM1D/,
    );
  });
});
