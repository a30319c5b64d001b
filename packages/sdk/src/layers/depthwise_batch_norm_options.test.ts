import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { maxAbsDiff } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';
import { tfjsConstraintAxis } from '../testing/tfjs_constraint_axis.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const toTfjs = (w: km.Tensor) => tf.tensor(w.dataSync(), [...w.shape]);
const toKerasm = (w: tf.Tensor) => km.tensor(w.dataSync() as Float32Array, [...w.shape]);

/** L2 norms of a [kH, kW, inChannels, multiplier] kernel over its window axes [0, 1]: one per filter. */
function filterNorms(kernel: ArrayLike<number>, taps: number, filters: number): number[] {
  return Array.from({ length: filters }, (_, f) => Math.hypot(...Array.from({ length: taps }, (_, t) => kernel[t * filters + f])));
}

describe('DepthwiseConv2D and BatchNormalization regularizers and constraints', () => {
  it('train like tfjs-layers 4.22 from the same weights: losses, weights and moving statistics over SGD steps', async () => {
    const [n, inputShape, steps, lr, maxValue] = [4, [5, 4, 3], 4, 0.1, 0.35];
    /** The model under test, or without its constraints: the twin that shows they acted. */
    const build = (constrained: boolean) => {
      const model = km.sequential([
        km.layers.depthwiseConv2d({
          inputShape, kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'tanh', biasInitializer: 'glorotUniform',
          depthwiseRegularizer: km.regularizers.l2({ l2: 0.01 }), depthwiseConstraint: constrained ? km.constraints.maxNorm({ maxValue, axis: [0, 1] }) : null,
          biasRegularizer: km.regularizers.l1({ l1: 0.01 }), activityRegularizer: km.regularizers.l2({ l2: 0.002 }),
        }),
        // beta away from 0, where tfjs' |x| gradient is -1 and Keras' (TensorFlow's sign) is 0, as kerasm's.
        km.layers.batchNormalization({
          momentum: 0.8, gammaInitializer: 'glorotUniform', betaInitializer: 'glorotUniform',
          gammaRegularizer: km.regularizers.l2({ l2: 0.1 }), gammaConstraint: constrained ? km.constraints.nonNeg() : null, betaRegularizer: km.regularizers.l1({ l1: 0.02 }),
        }),
        km.layers.flatten(),
        km.layers.dense({ units: 2 }),
      ]);
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: lr }), loss: 'mse' });
      return model;
    };
    km.utils.setRandomSeed(11);
    const [ours, unconstrained] = [build(true), build(false)];

    // tfjs-layers 4.22 refuses to call a layer with an activity regularizer, so its penalty is added
    // to the loss below, on the depthwise output the model also returns.
    const activity = tfl.regularizers.l2({ l2: 0.002 });
    const input = tfl.input({ shape: inputShape });
    const features = tfl.layers.depthwiseConv2d({
      kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'tanh',
      depthwiseRegularizer: tfl.regularizers.l2({ l2: 0.01 }), depthwiseConstraint: tfl.constraints.maxNorm({ maxValue, axis: tfjsConstraintAxis([0, 1]) }), biasRegularizer: tfl.regularizers.l1({ l1: 0.01 }),
    }).apply(input) as tfl.SymbolicTensor;
    const normalized = tfl.layers.batchNormalization({ momentum: 0.8, gammaRegularizer: tfl.regularizers.l2({ l2: 0.1 }), gammaConstraint: tfl.constraints.nonNeg(), betaRegularizer: tfl.regularizers.l1({ l1: 0.02 }) }).apply(features);
    const prediction = tfl.layers.dense({ units: 2 }).apply(tfl.layers.flatten().apply(normalized)) as tfl.SymbolicTensor;
    const theirs = tfl.model({ inputs: input, outputs: [features, prediction] });

    // tfjs applies constraints when weights are written, so both start from the weights it holds after that.
    theirs.setWeights(ours.getWeights().map(toTfjs));
    ours.setWeights(theirs.getWeights().map(toKerasm));
    unconstrained.setWeights(ours.getWeights());

    const random = new Random(4);
    const x = Float32Array.from({ length: n * 60 }, () => random.uniform(-1, 1));
    const y = Float32Array.from({ length: n * 2 }, () => random.uniform(-1, 1));
    const [xT, yT] = [tf.tensor(x, [n, ...inputShape]), tf.tensor(y, [n, 2])];
    const optimizer = tf.train.sgd(lr);
    const variables = theirs.trainableWeights.map((w) => w.read() as tf.Variable);
    const theirLosses: number[] = [];
    const activityPenalties: number[] = [];
    for (let step = 0; step < steps; step++) {
      const { value, grads } = tf.variableGrads(() => {
        const [maps, out] = theirs.apply(xT, { training: true }) as tf.Tensor[];
        const penalty = activity.apply(maps);
        activityPenalties.push(penalty.dataSync()[0]);
        return tf.addN([tf.mean(tf.square(tf.sub(out, yT))), penalty, ...theirs.calculateLosses()]) as tf.Scalar;
      }, variables);
      theirLosses.push(value.dataSync()[0]);
      optimizer.applyGradients(grads);
      // tfjs-layers' optimizers skip constraints; writing each weight back applies them, as Keras does after a step.
      theirs.setWeights(theirs.getWeights().map((w) => w.clone()));
    }
    expect(Math.min(...activityPenalties)).toBeGreaterThan(1e-3);

    const history = await ours.fit(km.tensor(x, [n, ...inputShape]), km.tensor(y, [n, 2]), { epochs: steps, batchSize: n, shuffle: false, verbose: 0 });
    history.history.loss.forEach((loss, i) => expect(loss).toBeCloseTo(theirLosses[i], 5));
    const ourWeights = ours.getWeights();
    const theirWeights = theirs.getWeights();
    expect(ourWeights.map((w) => w.shape)).toEqual(theirWeights.map((w) => w.shape));
    ourWeights.forEach((w, i) => expect(maxAbsDiff(w.dataSync(), theirWeights[i].dataSync())).toBeLessThan(1e-5));

    // The constraints must have acted during training, or the comparison shows nothing about them.
    await unconstrained.fit(km.tensor(x, [n, ...inputShape]), km.tensor(y, [n, 2]), { epochs: steps, batchSize: n, shuffle: false, verbose: 0 });
    const [kernel, , gamma] = ourWeights.map((w) => Array.from(w.dataSync()));
    const [freeKernel, , freeGamma] = unconstrained.getWeights().map((w) => Array.from(w.dataSync()));
    filterNorms(kernel, 9, 6).forEach((norm) => expect(norm).toBeLessThanOrEqual(maxValue + 1e-5));
    expect(Math.max(...filterNorms(freeKernel, 9, 6))).toBeGreaterThan(maxValue + 1e-3);
    gamma.forEach((g) => expect(g).toBeGreaterThanOrEqual(0));
    expect(Math.min(...freeGamma)).toBeLessThan(-1e-3);
  });

  const kernelShape = [3, 2, 2, 3];
  const normConstraints = [
    ['maxNorm', (axis: number | number[]) => km.constraints.maxNorm({ maxValue: 0.4, axis }), (axis: number | number[]) => tfl.constraints.maxNorm({ maxValue: 0.4, axis: tfjsConstraintAxis(axis) })],
    ['unitNorm', (axis: number | number[]) => km.constraints.unitNorm({ axis }), (axis: number | number[]) => tfl.constraints.unitNorm({ axis: tfjsConstraintAxis(axis) })],
    ['minMaxNorm', (axis: number | number[]) => km.constraints.minMaxNorm({ minValue: 0.5, maxValue: 0.6, rate: 0.7, axis }), (axis: number | number[]) => tfl.constraints.minMaxNorm({ minValue: 0.5, maxValue: 0.6, rate: 0.7, axis: tfjsConstraintAxis(axis) })],
  ] as const;
  const axes: (number | number[])[] = [0, [0, 1], [0, 1, 2], 3, -1, [2, 3], [1, 2]];

  it.each(normConstraints)('%s on a [kH, kW, inChannels, multiplier] depthwise kernel, over each contiguous axis, matches tfjs-layers after an SGD step', async (_name, ours, theirs) => {
    const random = new Random(8);
    const x = km.tensor(Array.from({ length: 3 * 4 * 3 * 2 }, () => random.uniform(-1, 1)), [3, 4, 3, 2]);
    const y = km.tensor(Array.from({ length: 3 * 2 * 2 * 6 }, () => random.uniform(-1, 1)), [3, 2, 2, 6]);
    const build = (depthwiseConstraint?: km.constraints.Constraint) => {
      const model = km.sequential([km.layers.depthwiseConv2d({ inputShape: [4, 3, 2], kernelSize: [3, 2], depthMultiplier: 3, depthwiseConstraint })]);
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss: 'mse' });
      return model;
    };
    km.utils.setRandomSeed(3);
    const plain = build();
    const initial = plain.getWeights();
    await plain.fit(x, y, { epochs: 1, batchSize: 3, shuffle: false, verbose: 0 });
    const [stepped, bias] = plain.getWeights().map((w) => w.dataSync());
    for (const axis of axes) {
      const constrained = build(ours(axis));
      constrained.setWeights(initial);
      await constrained.fit(x, y, { epochs: 1, batchSize: 3, shuffle: false, verbose: 0 });
      const [kernel, constrainedBias] = constrained.getWeights().map((w) => w.dataSync());
      const expected = theirs(axis).apply(tf.tensor(stepped, kernelShape)).dataSync();
      expect(maxAbsDiff(kernel, expected), `axis=${JSON.stringify(axis)}`).toBeLessThan(1e-6);
      expect(maxAbsDiff(constrainedBias, bias)).toBe(0);
      expect(maxAbsDiff(expected, stepped), `the constraint changed nothing at axis=${JSON.stringify(axis)}`).toBeGreaterThan(1e-3);
    }
  });

  it('a depthwise norm over axes that are not contiguous is refused, naming the layer and the weight', async () => {
    const model = km.sequential([km.layers.depthwiseConv2d({ name: 'dw_gapped', inputShape: [3, 3, 2], kernelSize: 2, depthwiseConstraint: km.constraints.maxNorm({ axis: [0, 1, 3] }) })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(model.fit(km.tensor(new Float32Array(36), [2, 3, 3, 2]), km.tensor(new Float32Array(16), [2, 2, 2, 2]), { verbose: 0 }))
      .rejects.toThrow(/Layer 'dw_gapped' constraint on dw_gapped\/depthwise_kernel: axis=\[0,1,3\] must name contiguous axes of the weight, of shape \[2, 2, 2, 1\]/);
  });

  it('bad option values name the layer, the option and what was received', () => {
    expect(() => km.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, depthwiseRegularizer: { className: 'OrthogonalRegularizer', config: {} } }))
      .toThrow(/DepthwiseConv2D layer 'dw' depthwiseRegularizer: unknown regularizer 'OrthogonalRegularizer'. Known: 'L1', 'L2', 'L1L2'/);
    expect(() => km.layers.depthwiseConv2d({ name: 'dw2', kernelSize: 3, depthwiseRegularizer: 'l3' as never }))
      .toThrow(/DepthwiseConv2D layer 'dw2' depthwiseRegularizer must be a regularizer from km.regularizers \(l1, l2, l1l2\), e.g. km.regularizers.l2\(\{ l2: 0.01 \}\), or the name 'l1' or 'l2'; received "l3"/);
    expect(() => km.layers.depthwiseConv2d({ name: 'dw3', kernelSize: 3, depthwiseConstraint: 'maxnorm' as never }))
      .toThrow(/DepthwiseConv2D layer 'dw3' depthwiseConstraint: unknown constraint "maxnorm"\. Known: 'maxNorm'/);
    expect(() => km.layers.depthwiseConv2d({ name: 'dw4', kernelSize: 3, biasConstraint: { className: 'MaxNorm', config: { maxValue: -1 } } }))
      .toThrow(/DepthwiseConv2D layer 'dw4' biasConstraint: maxValue must be a finite, non-negative number. Received: maxValue=-1/);
    expect(() => km.layers.batchNormalization({ name: 'bn', gammaConstraint: { className: 'Positive', config: {} } }))
      .toThrow(/BatchNormalization layer 'bn' gammaConstraint: unknown constraint 'Positive'. Known: 'MaxNorm', 'NonNeg', 'UnitNorm', 'MinMaxNorm'/);
    expect(() => km.layers.batchNormalization({ name: 'bn2', betaRegularizer: { l1: 'a' } as never }))
      .toThrow(/BatchNormalization layer 'bn2' betaRegularizer must be a regularizer from km.regularizers.*received \{"l1":"a"\}/);
  });
});
