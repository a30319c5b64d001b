import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { dense, finiteDifferences } from '../testing/reference_ops.js';
import { refCrop, refDot, refL2Normalize, refPermute, refRepeat } from '../testing/shape_reference.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const mse = (outputs: number[][], targets: number[][]) => outputs.reduce((s, p, i) => s + p.reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / p.length, 0) / outputs.length;

interface GradientCase {
  name: string;
  /** Shape of each input of the layer under test (one, or two for a merge). */
  shapes: number[][];
  layer: () => km.layers.Layer;
  reference: (inputs: number[][]) => number[];
}

/** The mean or maximum of each channel over every position of a channels-last sample. */
function refChannelPool(v: number[], channels: number, kind: 'mean' | 'max'): number[] {
  return Array.from({ length: channels }, (_, c) => {
    const column = v.filter((_, i) => i % channels === c);
    return kind === 'mean' ? column.reduce((s, x) => s + x, 0) / column.length : Math.max(...column);
  });
}

const crop: [[number, number], [number, number]] = [[1, 0], [2, 1]];
const cases: GradientCase[] = [
  { name: 'RepeatVector n=3', shapes: [[4]], layer: () => km.layers.repeatVector({ n: 3 }), reference: ([v]) => refRepeat(v, 3) },
  { name: 'Permute [2, 1]', shapes: [[3, 4]], layer: () => km.layers.permute({ dims: [2, 1] }), reference: ([v]) => refPermute(v, [3, 4], [2, 1]) },
  { name: 'Permute [3, 1, 2]', shapes: [[2, 3, 2]], layer: () => km.layers.permute({ dims: [3, 1, 2] }), reference: ([v]) => refPermute(v, [2, 3, 2], [3, 1, 2]) },
  { name: 'Cropping2D [[1, 0], [2, 1]]', shapes: [[4, 5, 2]], layer: () => km.layers.cropping2D({ cropping: crop }), reference: ([v]) => refCrop(v, [4, 5, 2], crop) },
  { name: 'Maximum', shapes: [[6], [6]], layer: () => km.layers.maximum(), reference: ([a, b]) => a.map((v, i) => Math.max(v, b[i])) },
  { name: 'Minimum', shapes: [[6], [6]], layer: () => km.layers.minimum(), reference: ([a, b]) => a.map((v, i) => Math.min(v, b[i])) },
  { name: 'Dot axes 1', shapes: [[5], [5]], layer: () => km.layers.dot({ axes: 1 }), reference: ([a, b]) => [a.reduce((s, v, i) => s + v * b[i], 0)] },
  { name: 'Dot axes 2 on [3, 4] and [2, 4]', shapes: [[3, 4], [2, 4]], layer: () => km.layers.dot({ axes: 2 }), reference: ([a, b]) => refDot(a, [3, 4], 2, b, [2, 4], 2) },
  { name: 'Dot axes [1, 1] on [4, 3] and [4, 2]', shapes: [[4, 3], [4, 2]], layer: () => km.layers.dot({ axes: [1, 1] }), reference: ([a, b]) => refDot(a, [4, 3], 1, b, [4, 2], 1) },
  { name: 'Dot axes [2, 1] on [3, 4] and [4, 2]', shapes: [[3, 4], [4, 2]], layer: () => km.layers.dot({ axes: [2, 1] }), reference: ([a, b]) => refDot(a, [3, 4], 2, b, [4, 2], 1) },
  { name: 'Dot axes [1, -1] on [4, 3] and [2, 4]', shapes: [[4, 3], [2, 4]], layer: () => km.layers.dot({ axes: [1, -1] }), reference: ([a, b]) => refDot(a, [4, 3], 1, b, [2, 4], 2) },
  { name: 'Dot axes 1, normalize', shapes: [[5], [5]], layer: () => km.layers.dot({ axes: 1, normalize: true }), reference: ([a, b]) => [refL2Normalize(a, 1, 5, 1).reduce((s, v, i) => s + v * refL2Normalize(b, 1, 5, 1)[i], 0)] },
  { name: 'Dot axes [1, 2] on [4, 3] and [2, 4], normalize', shapes: [[4, 3], [2, 4]], layer: () => km.layers.dot({ axes: [1, 2], normalize: true }), reference: ([a, b]) => refDot(refL2Normalize(a, 1, 4, 3), [4, 3], 1, refL2Normalize(b, 2, 4, 1), [2, 4], 2) },
  { name: 'Dot axes [2, 1] on [3, 4] and [4]', shapes: [[3, 4], [4]], layer: () => km.layers.dot({ axes: [2, 1] }), reference: ([a, b]) => refDot(a, [3, 4], 2, b, [4, 1], 1) },
  { name: 'Dot axes [1, 1] on [5] and [5, 2], normalize', shapes: [[5], [5, 2]], layer: () => km.layers.dot({ axes: [1, 1], normalize: true }), reference: ([a, b]) => refDot(refL2Normalize(a, 1, 5, 1), [5, 1], 1, refL2Normalize(b, 1, 5, 2), [5, 2], 1) },
  { name: 'Subtract', shapes: [[2, 3], [2, 3]], layer: () => km.layers.subtract(), reference: ([a, b]) => a.map((v, i) => v - b[i]) },
  { name: 'Identity', shapes: [[2, 3]], layer: () => km.layers.identity(), reference: ([v]) => v },
  { name: 'GlobalAveragePooling1D keepdims', shapes: [[4, 3]], layer: () => km.layers.globalAveragePooling1d({ keepdims: true }), reference: ([v]) => refChannelPool(v, 3, 'mean') },
  { name: 'GlobalMaxPooling1D keepdims', shapes: [[4, 3]], layer: () => km.layers.globalMaxPooling1d({ keepdims: true }), reference: ([v]) => refChannelPool(v, 3, 'max') },
  { name: 'GlobalAveragePooling2D keepdims', shapes: [[2, 3, 2]], layer: () => km.layers.globalAveragePooling2d({ keepdims: true }), reference: ([v]) => refChannelPool(v, 2, 'mean') },
  { name: 'GlobalMaxPooling2D keepdims', shapes: [[2, 3, 2]], layer: () => km.layers.globalMaxPooling2d({ keepdims: true }), reference: ([v]) => refChannelPool(v, 2, 'max') },
  { name: 'GlobalAveragePooling3D keepdims', shapes: [[2, 2, 2, 2]], layer: () => km.layers.globalAveragePooling3d({ keepdims: true }), reference: ([v]) => refChannelPool(v, 2, 'mean') },
  { name: 'GlobalMaxPooling3D keepdims', shapes: [[2, 2, 2, 2]], layer: () => km.layers.globalMaxPooling3d({ keepdims: true }), reference: ([v]) => refChannelPool(v, 2, 'max') },
  { name: 'Rescaling 0.5, offset -1', shapes: [[5]], layer: () => km.layers.rescaling({ scale: 0.5, offset: -1 }), reference: ([v]) => v.map((x) => x * 0.5 - 1) },
];

describe('shape and merge layers: forward and gradients against a float64 reference and finite differences', () => {
  it.each(cases)('$name', async (c) => {
    const random = new Random(11);
    km.utils.setRandomSeed(3);
    const features = 3;
    const x = km.input({ shape: [features] });
    // Each branch: Dense (with bias) to the layer's input size, reshaped to its input shape.
    const branches = c.shapes.map((shape) => km.layers.reshape({ targetShape: shape }).apply(km.layers.dense({ units: size(shape), activation: 'tanh', biasInitializer: 'glorotUniform' }).apply(x)));
    const merged = c.layer().apply(branches.length === 1 ? branches[0] : branches);
    const model = km.model({ inputs: x, outputs: km.layers.flatten().apply(merged) });
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const forward = (sample: number[]) => c.reference(c.shapes.map((_, k) => dense(sample, weights[2 * k], weights[2 * k + 1]).map(Math.tanh)));
    const batch = 4;
    const xs = Array.from({ length: batch }, () => Array.from({ length: features }, () => random.uniform(-1, 1)));
    const outSize = forward(xs[0]).length;
    const ys = Array.from({ length: batch }, () => Array.from({ length: outSize }, () => random.uniform(-1, 1)));
    const xt = km.tensor(xs.flat(), [batch, features]);
    const predicted = model.predict(xt).arraySync() as number[][];
    xs.forEach((row, i) => forward(row).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));
    const expected = finiteDifferences(weights, () => mse(xs.map(forward), ys));
    const grads = await kerasmGradients(model, 'meanSquaredError', xt, km.tensor(ys.flat(), [batch, outSize]));
    expectGradientsClose(grads, expected, c.shapes.flatMap((_, k) => [`kernel${k}`, `bias${k}`]));
  });

  it('Maximum and Minimum send a tie\'s gradient to the first input, as tf.maximum\'s gradient does', async () => {
    // Three inputs with ties everywhere; tfjs' own gradient of its layer is the reference.
    const values = [[1, 2, 3, 3, 0, -1], [1, 5, 3, 2, 0, -1], [0, 5, 3, 3, 1, -1]];
    for (const kind of ['maximum', 'minimum'] as const) {
      const inputs = values.map(() => km.input({ shape: [6] }));
      const model = km.model({ inputs, outputs: km.layers[kind]().apply(inputs) });
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const tfInputs = values.map((v) => tf.tensor(v, [1, 6]));
      const theirLayer = tfl.layers[kind]({});
      const dy = tf.tensor([[0.5, -1, 2, 1.5, -0.25, 3]]);
      const theirGrads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(theirLayer.apply(xs) as tf.Tensor, dy)))(tfInputs);
      // Ours through a layer before each input whose kernel gradient reads the input gradient: x·I with x = 1.
      const feeds = values.map(() => km.input({ shape: [1] }));
      const lifted = feeds.map((f, k) => km.layers.dense({ units: 6, useBias: false, name: `lift_${kind}_${k}` }).apply(f));
      const probe = km.model({ inputs: feeds, outputs: km.layers[kind]().apply(lifted) });
      probe.setWeights(values.map((v) => km.tensor(v, [1, 6])));
      const ones = values.map(() => km.tensor([1], [1, 1]));
      // MSE over 6 outputs with targets y − 3·dy: dL/dy = 2(y − t)/6 = dy.
      const y = probe.predict(ones).dataSync();
      const targets = km.tensor(Array.from(y, (v, j) => v - 3 * dy.dataSync()[j]), [1, 6]);
      const ours = await kerasmGradients(probe, 'meanSquaredError', ones, targets);
      ours.forEach((g, k) => Array.from(g).forEach((v, j) => expect(v).toBeCloseTo(theirGrads[k].dataSync()[j], 5)));
      expect(model.predict(values.map((v) => km.tensor(v, [1, 6]))).dataSync()).toEqual((theirLayer.apply(tfInputs) as tf.Tensor).dataSync());
    }
  });

  it('matches tfjs-layers 4.22 forward on the same inputs', () => {
    const random = new Random(4);
    const draw = (shape: number[]) => Float32Array.from({ length: size(shape) }, () => random.uniform(-2, 2));
    const single: [() => km.layers.Layer, () => tfl.layers.Layer, number[]][] = [
      [() => km.layers.repeatVector({ n: 4 }), () => tfl.layers.repeatVector({ n: 4 }), [3, 5]],
      [() => km.layers.permute({ dims: [2, 3, 1] }), () => tfl.layers.permute({ dims: [2, 3, 1] }), [2, 3, 4, 2]],
      [() => km.layers.cropping2D({ cropping: 1 }), () => tfl.layers.cropping2D({ cropping: 1 }), [2, 5, 4, 3]],
      [() => km.layers.cropping2D({ cropping: [2, 0] }), () => tfl.layers.cropping2D({ cropping: [2, 0] }), [2, 5, 4, 3]],
      [() => km.layers.rescaling({ scale: 1 / 255, offset: 0.5 }), () => tfl.layers.rescaling({ scale: 1 / 255, offset: 0.5 }), [3, 7]],
    ];
    for (const [ours, theirs, shape] of single) {
      const x = draw(shape);
      const expected = theirs().apply(tf.tensor(x, shape)) as tf.Tensor;
      const got = ours().apply(km.tensor(x, shape));
      expect(got.shape).toEqual(expected.shape);
      got.dataSync().forEach((v, i) => expect(v).toBeCloseTo(expected.dataSync()[i], 6));
    }
    const dots: [number | [number, number], number[], number[]][] = [[-1, [4, 6], [4, 6]], [2, [4, 3, 5], [4, 2, 5]], [[1, 2], [4, 5, 3], [4, 2, 5]], [[1, 1], [4, 5, 3], [4, 5, 2]], [[2, 1], [4, 5, 3], [4, 3]], [-1, [4, 3], [4, 2, 3]], [[1, 1], [4, 5], [4, 5, 2]]];
    for (const [[axes, shapeA, shapeB], normalize] of dots.flatMap((d) => [[d, false], [d, true]] as const)) {
      const [a, b] = [draw(shapeA), draw(shapeB)];
      const got = km.layers.dot({ axes, normalize }).apply([km.tensor(a, shapeA), km.tensor(b, shapeB)]);
      const expected = tfl.layers.dot({ axes, normalize }).apply([tf.tensor(a, shapeA), tf.tensor(b, shapeB)]) as tf.Tensor;
      expect(got.shape).toEqual(expected.shape);
      got.dataSync().forEach((v, i) => expect(v).toBeCloseTo(expected.dataSync()[i], 5));
    }
  });

  it('rejects bad arguments and inputs, naming what was received', () => {
    expect(() => km.layers.repeatVector({ n: 0 })).toThrow(/RepeatVector layer '.*': n must be a positive integer\. Received: n=0\./);
    expect(() => km.layers.repeatVector({ n: 2 }).apply(km.input({ shape: [3, 4] }))).toThrow(/expects inputs of shape \(None, features\), but received \(None, 3, 4\)\. Flatten/);
    expect(() => km.layers.permute({ dims: [1, 1] })).toThrow(/dims must list the sample's axes 1\.\.rank, each once.*Received: dims=\[1,1\]/);
    expect(() => km.layers.permute({ dims: [0, 1] })).toThrow(/Received: dims=\[0,1\]/);
    expect(() => km.layers.permute({ dims: [2, 1] }).apply(km.input({ shape: [2, 3, 4] }))).toThrow(/expects samples of 2 axes, but received \(None, 2, 3, 4\)/);
    expect(() => km.layers.permute({ dims: [1, 2, 3, 4, 5] })).toThrow(/permutes up to 4 sample axes/);
    expect(() => km.layers.cropping2D({ cropping: [[3, 3], [0, 0]], name: 'crop' }).apply(km.input({ shape: [6, 4, 1] }))).toThrow(/Cropping2D layer 'crop' crops \[\[3,3\],\[0,0\]\] from \(None, 6, 4, 1\), which leaves 0x4 pixels/);
    expect(() => km.layers.cropping2D({ cropping: -1 })).toThrow(/cropping must be a non-negative integer, \[rows, cols\], or \[\[top, bottom\], \[left, right\]\]\. Received: cropping=-1/);
    expect(() => km.layers.cropping2D({ cropping: 1, dataFormat: 'NCHW' as 'channelsLast' })).toThrow(/dataFormat must be 'channelsLast' .* Received: dataFormat="NCHW"/);
    expect(() => km.layers.resizing({ height: 2, width: 2, dataFormat: 'channelsFirst' as 'channelsLast' })).toThrow(/only dataFormat 'channelsLast'.*Received: dataFormat="channelsFirst"/);
    expect(() => km.layers.maximum().apply([km.input({ shape: [3] }), km.input({ shape: [4] })])).toThrow(/cannot broadcast its inputs' shapes together: \(None, 3\) and \(None, 4\)/);
    expect(() => km.layers.dot({ axes: 0 })).toThrow(/axes must be a non-batch axis \(1, 2 or -1, \.\.\.\) or a pair of them\. Received: axes=0/);
    expect(() => km.layers.dot({ axes: 2 }).apply([km.input({ shape: [3] }), km.input({ shape: [3] })])).toThrow(/sums over axis 2 of \(None, 3\) and axis 2 of \(None, 3\), which must be non-batch axes of one size/);
    expect(() => km.layers.dot({ axes: 1 }).apply([km.input({ shape: [3] }), km.input({ shape: [2, 3] })])).toThrow(/sums over axis 1 of \(None, 3\) and axis 1 of \(None, 2, 3\)/);
    expect(() => km.layers.dot({ axes: 1 }).apply([km.input({ shape: [3] }), km.input({ shape: [2, 3, 1] })])).toThrow(/takes two inputs, each \(None, features\) or \(None, steps, features\), but received \(None, 3\) and \(None, 2, 3, 1\)/);
    expect(() => km.layers.dot({ axes: 1, normalize: 'yes' as never, name: 'cos' })).toThrow(/Dot layer 'cos': normalize must be true or false\. Received: normalize="yes"/);
    expect(() => km.layers.dot({ axes: 1 }).apply([km.input({ shape: [3] }), km.input({ shape: [4] })])).toThrow(/sums over axis 1 of \(None, 3\) and axis 1 of \(None, 4\)/);
    expect(() => km.layers.rescaling({ scale: NaN })).toThrow(/scale must be a finite number.*Received: scale=null/);
    expect(() => km.layers.rescaling({ scale: 1, ofset: 1 } as never)).toThrow(/no option 'ofset'; did you mean 'offset'\?/);
  });
});
