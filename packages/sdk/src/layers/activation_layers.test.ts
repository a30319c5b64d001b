import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Options, errors, shapes, summary and configs of the activation layers; their numbers are
// checked in activation_layers_gradients.test.ts and activation_layers_tfjs_parity.test.ts.
beforeAll(() => km.ready());

describe('activation layers: options and errors', () => {
  it.each([
    [() => km.layers.leakyReLU({ alpha: -0.1 }), /LeakyReLU layer '.*': alpha must be a number ≥ 0\. Received: alpha=-0\.1\./],
    [() => km.layers.leakyReLU({ alpha: '0.2' as unknown as number }), /alpha must be a number ≥ 0\. Received: alpha="0\.2"\./],
    [() => km.layers.reLU({ maxValue: -1 }), /ReLU layer '.*': maxValue must be a number ≥ 0 or null \(no maximum\)\. Received: maxValue=-1\./],
    [() => km.layers.reLU({ negativeSlope: -0.5 }), /negativeSlope must be a number ≥ 0\. Received: negativeSlope=-0\.5\./],
    [() => km.layers.reLU({ threshold: Infinity }), /threshold must be a finite number\. Received: threshold=null\./],
    [() => km.layers.elu({ alpha: NaN }), /ELU layer '.*': alpha must be a finite number\. Received: alpha=null\./],
    [() => km.layers.thresholdedReLU({ theta: -1 }), /ThresholdedReLU layer '.*': theta must be a number ≥ 0\. Received: theta=-1\./],
    [() => km.layers.softmax({ axis: 1.5 }), /Softmax layer '.*': axis must be an integer \(−1 for the last axis\) or a list of them\. Received: axis=1\.5\./],
    [() => km.layers.softmax({ axis: [] }), /axis must be an integer .* Received: axis=\[\]\./],
    [() => km.layers.prelu({ sharedAxes: [0] }), /PReLU layer '.*': sharedAxes must be null, an axis or a list of axes, each an integer ≥ 1 \(axis 0 is the batch\)\. Received: sharedAxes=\[0\]\./],
    [() => km.layers.prelu({ sharedAxes: [1, 3] }), /shares alpha along consecutive axes only, e\.g\. \[1, 2\]\. Received: sharedAxes=\[1,3\]\. Share along one run of neighbouring axes/],
    [() => km.layers.prelu({ alphaRegularizer: 'l3' as unknown as undefined }), /PReLU layer '.*' alphaRegularizer/],
    [() => km.layers.prelu({ alphaInitializer: 'fancy' as unknown as undefined }), /fancy/],
    [() => km.layers.leakyReLU({ negativeSlope: 0.2 } as unknown as km.layers.LeakyReLUArgs), /km\.layers\.leakyReLU has no option 'negativeSlope'\. Its options are: .*alpha/],
    [() => km.layers.reLU({ max_value: 6 } as unknown as km.layers.ReLUArgs), /km\.layers\.reLU has no option 'max_value'; did you mean 'maxValue'\?/],
    [() => km.layers.thresholdedReLU({ alpha: 1 } as unknown as km.layers.ThresholdedReLUArgs), /km\.layers\.thresholdedReLU has no option 'alpha'/],
    [() => km.layers.elu({ alhpa: 1 } as unknown as km.layers.ELUArgs), /km\.layers\.elu has no option 'alhpa'; did you mean 'alpha'\?/],
    [() => km.layers.softmax({ axes: -1 } as unknown as km.layers.SoftmaxArgs), /km\.layers\.softmax has no option 'axes'; did you mean 'axis'\?/],
    [() => km.layers.prelu({ sharedAxis: [1] } as unknown as km.layers.PReLUArgs), /km\.layers\.prelu has no option 'sharedAxis'; did you mean 'sharedAxes'\?/],
  ])('%#: rejects a bad option naming it', (make, message) => {
    expect(make).toThrow(message);
  });

  it('softmax refuses the batch axis, axes beyond the input and repeated axes, naming the valid ones', () => {
    const x = km.input({ shape: [3, 4] });
    expect(() => km.layers.softmax({ axis: 0 }).apply(x)).toThrow(/axis 0 must name distinct axes of the input \[null, 3, 4\] other than the batch: 1\.\.2, or −1\.\.−2/);
    expect(() => km.layers.softmax({ axis: 3 }).apply(x)).toThrow(/axis 3 must name distinct axes/);
    expect(() => km.layers.softmax({ axis: [1, -2] }).apply(x)).toThrow(/axis \[1,-2\] must name distinct axes/);
    expect(() => km.layers.softmax({ axis: 1 }).apply(km.input({ shape: [2, 2, 2, 2, 2] }))).toThrow(/kerasm takes inputs of up to 4 sample axes; received \[null, 2, 2, 2, 2, 2\]/);
    // tfjs' own default axis 1 is the last axis of a [batch, n] input, and a list of one axis is that axis.
    expect(km.layers.softmax({ axis: 1 }).apply(km.input({ shape: [4] })).shape).toEqual([4]);
    expect(km.layers.softmax({ axis: [2] }).apply(x).shape).toEqual([3, 4]);
  });

  it('prelu refuses sharedAxes beyond the input rank', () => {
    expect(() => km.layers.prelu({ sharedAxes: [2, 3] }).apply(km.input({ shape: [3, 4] }))).toThrow(/sharedAxes name axis 3, but input shape \[null, 3, 4\] has axes 1 to 2 besides the batch/);
  });
});

describe('activation layers: shapes, weights, summary and configs', () => {
  it('keep the input shape; prelu adds alpha shaped like the input with shared axes of size 1', () => {
    const x = km.input({ shape: [5, 4, 3] });
    for (const layer of [km.layers.leakyReLU(), km.layers.reLU(), km.layers.elu(), km.layers.thresholdedReLU(), km.layers.softmax()]) {
      expect(layer.apply(x).shape).toEqual([5, 4, 3]);
      expect(layer.countParams()).toBe(0);
    }
    const perChannel = km.layers.prelu({ sharedAxes: [1, 2] });
    perChannel.apply(x);
    expect(perChannel.getWeights().map((w) => w.shape)).toEqual([[1, 1, 3]]);
    const perValue = km.layers.prelu();
    perValue.apply(x);
    expect(perValue.getWeights().map((w) => w.shape)).toEqual([[5, 4, 3]]);
    expect(Array.from(perValue.getWeights()[0].dataSync()).every((v) => v === 0)).toBe(true);
    const lastAxis = km.layers.prelu({ sharedAxes: 3 });
    lastAxis.apply(x);
    expect(lastAxis.getWeights()[0].shape).toEqual([5, 4, 1]);
  });

  it('summary lists each layer with its parameters', () => {
    const model = km.sequential([km.layers.dense({ units: 4, inputShape: [3] }), km.layers.leakyReLU({ alpha: 0.2 }), km.layers.prelu(), km.layers.softmax()]);
    const lines: string[] = [];
    model.summary(undefined, undefined, (line) => lines.push(line));
    const text = lines.join('\n');
    expect(text).toMatch(/leaky_re_lu.*\(LeakyReLU\)\s+\(None, 4\)\s+0/);
    expect(text).toMatch(/p_re_lu.*\(PReLU\)\s+\(None, 4\)\s+4/);
    expect(text).toMatch(/softmax.*\(Softmax\)\s+\(None, 4\)\s+0/);
    expect(text).toMatch(/Total params: 20/);
  });

  it("configs carry tfjs' option names and defaults", () => {
    const pick = (layer: km.layers.Layer, keys: string[]) => Object.fromEntries(keys.map((k) => [k, layer.getConfig()[k]]));
    expect(pick(km.layers.leakyReLU(), ['alpha'])).toEqual({ alpha: 0.3 });
    expect(pick(km.layers.reLU(), ['maxValue', 'negativeSlope', 'threshold'])).toEqual({ maxValue: null, negativeSlope: undefined, threshold: undefined });
    expect(pick(km.layers.elu(), ['alpha'])).toEqual({ alpha: 1 });
    expect(pick(km.layers.thresholdedReLU(), ['theta'])).toEqual({ theta: 1 });
    expect(pick(km.layers.softmax(), ['axis'])).toEqual({ axis: -1 });
    expect(pick(km.layers.prelu({ sharedAxes: [2, 1] }), ['alphaInitializer', 'alphaRegularizer', 'alphaConstraint', 'sharedAxes'])).toEqual({
      alphaInitializer: { className: 'Zeros', config: {} }, alphaRegularizer: null, alphaConstraint: null, sharedAxes: [1, 2],
    });
  });
});

describe('Softmax as the output layer', () => {
  it('trains like a Dense with activation softmax under a cross-entropy (the loss fuses it)', async () => {
    const x = km.tensor(Array.from({ length: 24 }, (_, i) => Math.sin(i)), [6, 4]);
    const y = km.tensor([0, 1, 2, 1, 0, 2], [6]);
    const losses = async (model: km.LayersModel) => {
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy' });
      const history = await model.fit(x, y, { epochs: 3, batchSize: 6, verbose: 0 });
      return { losses: history.history.loss as number[], predicted: Array.from(model.predict(x).dataSync()) };
    };
    km.utils.setRandomSeed(5);
    const separate = await losses(km.sequential([km.layers.dense({ units: 3, inputShape: [4] }), km.layers.softmax()]));
    km.utils.setRandomSeed(5);
    const fused = await losses(km.sequential([km.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })]));
    separate.losses.forEach((v, i) => expect(v).toBeCloseTo(fused.losses[i], 6));
    separate.predicted.forEach((v, i) => expect(v).toBeCloseTo(fused.predicted[i], 6));
    expect(separate.losses[2]).toBeLessThan(separate.losses[0]);
  });
});
