import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectClose } from '../testing/expect_close.js';
import { kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Keras 3's Bidirectional sets its layers' zero_output_for_mask to return_sequences, so each
// direction's output is 0 at masked steps before the merge. tfjs-layers 4.22 repeats the previous
// step's output there, as a lone recurrent layer does in both; the reference here is tfjs' two
// directions (mergeMode null) with the masked steps zeroed and merged by Keras' formulas.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const [BATCH, STEPS, FEATURES, UNITS] = [3, 5, 2, 3];
const random = new Random(31);
const xValues = Float32Array.from({ length: BATCH * STEPS * FEATURES }, () => random.uniform(-1, 1));
// Padding at the end, at the start, and none.
const maskValues = Float32Array.from([1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
const init = { recurrentInitializer: 'glorotUniform' as const };
const tfX = () => tf.tensor(xValues, [BATCH, STEPS, FEATURES]);
const tfMask = () => tf.tensor(maskValues, [BATCH, STEPS]);
const kmX = () => km.tensor(xValues, [BATCH, STEPS, FEATURES]);
const kmMask = () => km.tensor(maskValues, [BATCH, STEPS]);

/** tfjs' two directions in time order, for the kerasm layer's weights. */
function tfjsDirections(ours: km.layers.Layer): [Float32Array, Float32Array] {
  const theirs = tfl.layers.bidirectional({ layer: tfl.layers.gru({ units: UNITS, returnSequences: true, ...init }) as tfl.RNN, mergeMode: null as unknown as 'sum' });
  theirs.apply(tfX(), { mask: tfMask() });
  theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
  const [f, b] = theirs.apply(tfX(), { mask: tfMask() }) as tf.Tensor[];
  return [f.dataSync() as Float32Array, b.dataSync() as Float32Array];
}

/** Zeroes the rows (one per step, `UNITS` wide) whose mask is 0. */
const zeroMasked = (y: Float32Array) => y.map((v, i) => (maskValues[Math.floor(i / UNITS)] === 0 ? 0 : v));

/** Keras' merges of `[batch, steps, units]` outputs. */
const merges: Record<string, (f: Float32Array, b: Float32Array) => number[]> = {
  concat: (f, b) => Array.from({ length: f.length / UNITS }, (_, r) => [...f.subarray(r * UNITS, (r + 1) * UNITS), ...b.subarray(r * UNITS, (r + 1) * UNITS)]).flat(),
  sum: (f, b) => Array.from(f, (v, i) => v + b[i]),
  ave: (f, b) => Array.from(f, (v, i) => (v + b[i]) / 2),
  mul: (f, b) => Array.from(f, (v, i) => v * b[i]),
};

describe('Bidirectional with returnSequences gives 0 at masked steps, as Keras 3 does', () => {
  it.each(['concat', 'sum', 'ave', 'mul'] as const)("mergeMode '%s'", (mergeMode) => {
    const layer = km.layers.bidirectional({ layer: km.layers.gru({ units: UNITS, returnSequences: true, ...init }), mergeMode });
    const y = layer.apply(kmX(), { mask: kmMask() });
    const [f, b] = tfjsDirections(layer);
    expectClose(y.dataSync(), merges[mergeMode](zeroMasked(f), zeroMasked(b)));
    // tfjs keeps values there (the forward direction repeats its last output), so the zeros are not tfjs'.
    expect(Math.max(...Array.from(f.subarray(3 * UNITS, 4 * UNITS), Math.abs))).toBeGreaterThan(1e-3);
  });

  it('mergeMode null: both directions', () => {
    const layer = km.layers.bidirectional({ layer: km.layers.gru({ units: UNITS, returnSequences: true, ...init }), mergeMode: null });
    const [yF, yB] = layer.apply(kmX(), { mask: kmMask() }) as unknown as km.Tensor[];
    const [f, b] = tfjsDirections(layer);
    expectClose(yF.dataSync(), zeroMasked(f));
    expectClose(yB.dataSync(), zeroMasked(b));
  });

  it('the same from an Embedding with maskZero in a model', () => {
    const ids = km.tensor([[3, 1, 0, 0], [0, 2, 4, 1]], [2, 4]);
    const model = km.sequential([
      km.layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true, inputShape: [4] }),
      km.layers.bidirectional({ layer: km.layers.lstm({ units: 2, returnSequences: true, ...init }) }),
    ]);
    const y = model.predict(ids).arraySync() as number[][][];
    [[0, 2], [0, 3], [1, 0]].forEach(([b, t]) => expect(y[b][t]).toEqual([0, 0, 0, 0]));
    expect(Math.max(...y[0][1].map(Math.abs))).toBeGreaterThan(1e-4);
  });
});

/** Sums a sequence over its steps, ignoring the mask (as a layer that drops one would), so masked steps' outputs reach the loss. */
class SumSteps extends km.layers.Layer {
  readonly className = 'SumSteps';
  #steps = 0;
  #width = 0;
  constructor() {
    super({}, 'SumSteps');
  }
  override get supportsMasking(): boolean {
    return true;
  }
  override get passesMask(): boolean {
    return false;
  }
  computeOutputShape([shape]: readonly [km.layers.Shape]): km.layers.Shape {
    return shape.slice(1);
  }
  protected override build([shape]: readonly [km.layers.Shape]): void {
    [this.#steps, this.#width] = [shape[0], shape[1]];
  }
  forward(ctx: km.layers.ForwardContext): void {
    const { backend, batch } = ctx;
    const x = backend.read(ctx.inputs[0], batch * this.#steps * this.#width, 'float32');
    const y = new Float32Array(batch * this.#width);
    x.forEach((v, i) => (y[Math.floor(i / (this.#steps * this.#width)) * this.#width + (i % this.#width)] += v));
    backend.write(ctx.output, y);
  }
  backward(ctx: km.layers.BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    const { backend, batch } = ctx;
    const dy = backend.read(ctx.outputGrad, batch * this.#width, 'float32');
    backend.write(dx, Float32Array.from({ length: batch * this.#steps * this.#width }, (_, i) => dy[Math.floor(i / (this.#steps * this.#width)) * this.#width + (i % this.#width)]));
  }
}

describe('Bidirectional with returnSequences: no gradient flows back through a zeroed masked step', () => {
  it.each(['concat', 'mul'] as const)("mergeMode '%s': weight gradients as tfjs' of the zeroed, merged output", async (mergeMode) => {
    km.utils.setRandomSeed(9);
    const x = km.input({ shape: [STEPS, FEATURES] });
    const keep = km.input({ shape: [STEPS] });
    const bi = km.layers.bidirectional({ layer: km.layers.gru({ units: UNITS, returnSequences: true, ...init }), mergeMode });
    const model = km.model({ inputs: [x, keep], outputs: new SumSteps().apply(bi.apply(x, { mask: keep })) as km.SymbolicTensor });
    const width = mergeMode === 'concat' ? 2 * UNITS : UNITS;
    const targets = Float32Array.from({ length: BATCH * width }, () => random.uniform(-1, 1));
    const ours = await kerasmGradients(model, 'meanSquaredError', [kmX(), kmMask()], km.tensor(targets, [BATCH, width]));

    const theirs = tfl.layers.bidirectional({ layer: tfl.layers.gru({ units: UNITS, returnSequences: true, ...init }) as tfl.RNN, mergeMode: null as unknown as 'sum' });
    theirs.apply(tfX(), { mask: tfMask() });
    theirs.setWeights(bi.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const keepSteps = tf.expandDims(tfMask(), -1);
    const { grads } = tf.variableGrads(() => {
      const [f, b] = (theirs.apply(tfX(), { mask: tfMask() }) as tf.Tensor[]).map((d) => tf.mul(d, keepSteps));
      const merged = mergeMode === 'concat' ? tf.concat([f, b], -1) : tf.mul(f, b);
      return tf.losses.meanSquaredError(tf.tensor(targets, [BATCH, width]), tf.sum(merged, 1)) as tf.Scalar;
    }, theirs.trainableWeights.map((w) => w.read() as tf.Variable));
    theirs.trainableWeights.forEach((w, k) => expectClose(ours[k], grads[(w.read() as tf.Variable).name].dataSync(), 1e-4));
  });
});
