import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { movingDotTask } from '../testing/moving_dot.js';

beforeAll(() => km.ready());

describe('ConvLSTM2D shapes and weights', () => {
  it('outputs the last state [outRows, outCols, filters], or every step with returnSequences, and builds tfjs-shaped weights', () => {
    const input = km.input({ shape: [5, 9, 8, 3] });
    expect(km.layers.convLstm2d({ filters: 4, kernelSize: 3 }).apply(input).shape).toEqual([7, 6, 4]);
    expect(km.layers.convLstm2d({ filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same', returnSequences: true }).apply(input).shape).toEqual([5, 5, 4, 4]);
    const model = km.sequential([km.layers.convLstm2d({ filters: 4, kernelSize: [3, 2], inputShape: [5, 9, 8, 3] })]);
    expect(model.getWeights().map((w) => w.shape)).toEqual([[3, 2, 3, 16], [3, 2, 4, 16], [16]]);
    // The unit forget bias: ones for the forget gate's block, zeros elsewhere.
    expect(Array.from(model.getWeights()[2].dataSync())).toEqual([...Array(4).fill(0), ...Array(4).fill(1), ...Array(8).fill(0)]);
  });
});

describe('ConvLSTM2D learns which way a dot moves across frames', () => {
  it('reaches over 90% accuracy on held-out sequences', async () => {
    const [frames, size] = [5, 8];
    const train = movingDotTask(384, frames, size, 1);
    const test = movingDotTask(128, frames, size, 2);
    km.utils.setRandomSeed(3);
    const model = km.sequential([
      km.layers.convLstm2d({ filters: 6, kernelSize: 3, padding: 'same', inputShape: [frames, size, size, 1] }),
      km.layers.globalMaxPooling2d(),
      km.layers.dense({ units: 4, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const shape = (n: number) => [n, frames, size, size, 1];
    await model.fit(km.tensor(train.frames, shape(384)), km.tensor(train.oneHot, [384, 4]), { epochs: 12, batchSize: 32, seed: 4, verbose: 0 });
    const predicted = model.predict(km.tensor(test.frames, shape(128))).arraySync() as number[][];
    const correct = predicted.filter((p, i) => p.indexOf(Math.max(...p)) === test.directions[i]).length;
    expect(correct / 128).toBeGreaterThan(0.9);
  });
});

describe('ConvLSTM2D bad input', () => {
  it.each([
    [{ filters: 0, kernelSize: 3 }, /ConvLSTM2D layer: filters must be a positive integer\. Received: filters=0\./],
    [{ filters: 2 }, /kernelSize must be a positive integer or a pair of them\. Received: kernelSize=undefined/],
    [{ filters: 2, kernelSize: 3, padding: 'causal' }, /padding must be 'valid' or 'same'\. Received: padding="causal"/],
    [{ filters: 2, kernelSize: 3, dropout: 1 }, /ConvLSTM2D layer '.*': dropout must be a number in \[0, 1\) .*Received: dropout=1\./],
    [{ filters: 2, kernelSize: 3, recurrentDropout: -0.1 }, /recurrentDropout must be a number in \[0, 1\) .*Received: recurrentDropout=-0\.1/],
    [{ filters: 2, kernelSize: 3, returnState: 'yes' }, /ConvLSTM2D layer '.*': returnState must be true or false\. Received: returnState="yes"/],
    [{ filters: 2, kernelSize: 3, activation: 'softmax' }, /activation must be an element-wise activation .*Received: activation='softmax'/],
    [{ filters: 2, kernelSize: 3, units: 4 }, /km\.layers\.convLstm2d has no option 'units'\. Its options are: .*filters/],
    [{ filters: 2, kernelSize: 3, dataFormat: 'channelsMiddle' }, /dataFormat must be 'channelsLast' \(\[n, \.\.\., channels\]\) or 'channelsFirst' \(\[n, channels, \.\.\.\]\)\. Received: dataFormat="channelsMiddle"/],
  ])('%j', (args, message) => {
    expect(() => km.layers.convLstm2d(args as unknown as km.layers.ConvLSTM2DArgs)).toThrow(message);
  });

  it('refuses a sequence of vectors, naming the 5-D shape it expects and the reshape that fixes a missing channel', () => {
    expect(() => km.sequential([km.layers.convLstm2d({ filters: 2, kernelSize: 3, inputShape: [4, 8, 8] })])).toThrow(
      /ConvLSTM2D layer '.*' expects sequences of images of shape \(None, time, rows, cols, channels\) \(dataFormat 'channelsLast'\), but received inputs of shape \(None, 4, 8, 8\)\. Add a channels axis, e.g\. km\.layers\.reshape\(\{ targetShape: \[4, 8, 8, 1\] \}\)/,
    );
  });

  it("refuses frames smaller than the window with 'valid' padding", () => {
    expect(() => km.sequential([km.layers.convLstm2d({ filters: 2, kernelSize: 3, inputShape: [3, 2, 5, 1] })])).toThrow(/is smaller than its 3x3 window with 'valid' padding.*Use padding: 'same'/);
  });

  it("refuses a mask that does not mark its input's pixels (a layer between Masking and it changed the frames' size), alone or in Bidirectional", () => {
    const shrink = () => km.layers.timeDistributed({ layer: km.layers.conv2d({ filters: 1, kernelSize: 2 }) });
    const message = /ConvLSTM2D layer '(forward_)?clstm' reads one mask value per pixel of its input frames, a mask of shape \(None, 3, 4, 4\), but its input carries the mask of layer 'pad' \(Masking\), of shape \(None, 3, 5, 5\).*Put the Masking layer right before the ConvLSTM2D/;
    expect(() => km.sequential([km.layers.masking({ inputShape: [3, 5, 5, 1], name: 'pad' }), shrink(), km.layers.convLstm2d({ filters: 2, kernelSize: 3, name: 'clstm' })])).toThrow(message);
    expect(() => km.sequential([km.layers.masking({ inputShape: [3, 5, 5, 1], name: 'pad' }), shrink(), km.layers.bidirectional({ layer: km.layers.convLstm2d({ filters: 2, kernelSize: 3, name: 'clstm' }) })])).toThrow(message);
  });

  it('refuses initial states of the wrong count or of another image shape, naming the state image it expects', () => {
    const frames = km.input({ shape: [3, 5, 5, 1] });
    const state = km.input({ shape: [5, 5, 2] });
    const valid = () => km.layers.convLstm2d({ filters: 2, kernelSize: 3, name: 'clstm' });
    expect(() => valid().apply(frames, { initialState: [state] })).toThrow(
      /ConvLSTM2D layer 'clstm' has 2 states \[h, c\], but received 1 initial state .*Pass initialState: \[h, c\], each of shape \(None, 3, 3, 2\)/,
    );
    expect(() => valid().apply(frames, { initialState: [state, state] })).toThrow(
      /ConvLSTM2D layer 'clstm': initial state 0 must have shape \(None, 3, 3, 2\) \(the state image\), but received \(None, 5, 5, 2\)\. Give the encoder and decoder the same filters/,
    );
  });
});
