import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectClose } from '../testing/expect_close.js';
import { savedArtifacts } from '../testing/saved_artifacts.js';
import { Random } from '../utils/random.js';

// `model.apply(x, { mask })` (Keras' `model(x, mask=m)`): the mask given for a model input is that
// input's mask. Checked against tfjs-layers 4.22's `model.apply(x, { mask })` on data, and against
// the same model with a Masking layer making the same mask from the values.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const [BATCH, STEPS, FEATURES] = [3, 4, 2];
const random = new Random(31);
const draw = (n: number) => Float32Array.from({ length: n }, () => random.uniform(-1, 1));
const xValues = draw(BATCH * STEPS * FEATURES);
const otherValues = draw(BATCH * STEPS * FEATURES);
// Padding at the end, a hole inside, every step kept.
const maskValues = Float32Array.from([1, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1]);
const kmX = (values = xValues) => km.tensor(values, [BATCH, STEPS, FEATURES]);
const kmMask = () => km.tensor(maskValues, [BATCH, STEPS]);
const tfX = (values = xValues) => tf.tensor(values, [BATCH, STEPS, FEATURES]);
const tfMask = () => tf.tensor(maskValues, [BATCH, STEPS]).cast('bool');
/** x with its masked steps set to 0, which Masking({ maskValue: 0 }) masks. */
const zeroedValues = xValues.map((v, i) => (maskValues[Math.floor(i / FEATURES)] === 0 ? 0 : v));
const init = { recurrentInitializer: 'glorotUniform' as const };
const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

/** Copies the kerasm model's weights into the tfjs one. */
function sameWeights(ours: km.LayersModel, theirs: tfl.LayersModel): void {
  theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
}

function lstmSequential(masking = false): km.Sequential {
  km.utils.setRandomSeed(5);
  const first = masking ? [km.layers.masking({ maskValue: 0, inputShape: [STEPS, FEATURES] })] : [];
  return km.sequential([...first, km.layers.lstm({ units: 3, returnSequences: true, ...init, ...(masking ? {} : { inputShape: [STEPS, FEATURES] }) }), km.layers.dense({ units: 2 })]);
}

function poolingModel(masking = false): km.LayersModel {
  km.utils.setRandomSeed(6);
  const x = km.input({ shape: [STEPS, FEATURES] });
  const h = km.layers.dense({ units: 3, activation: 'tanh' }).apply(masking ? km.layers.masking({ maskValue: 0 }).apply(x) : x);
  return km.model({ inputs: x, outputs: km.layers.globalAveragePooling1d().apply(h) as km.SymbolicTensor });
}

describe('model.apply(x, { mask }) on data', () => {
  it('Sequential LSTM(returnSequences) → Dense: matches tfjs-layers and a Masking layer making the same mask', () => {
    const model = lstmSequential();
    const y = model.apply(kmX(), { mask: kmMask() });
    const reference = tfl.sequential({ layers: [tfl.layers.lstm({ units: 3, returnSequences: true, inputShape: [STEPS, FEATURES], ...init }), tfl.layers.dense({ units: 2 })] });
    sameWeights(model, reference);
    const expected = reference.apply(tfX(), { mask: tfMask() }) as tf.Tensor;
    expect(y.shape).toEqual(expected.shape);
    expectClose(y.dataSync(), expected.dataSync());
    // The mask changes the result, and Masking on the zeroed input makes the same one.
    expect(maxDifference(model.apply(kmX()).dataSync(), y.dataSync())).toBeGreaterThan(1e-3);
    const masking = lstmSequential(true);
    masking.setWeights(model.getWeights());
    const viaMasking = masking.predict(kmX(zeroedValues)).dataSync();
    // Masked steps keep the state, so only kept steps' outputs must agree (a masked step repeats the last output in both).
    expectClose(model.apply(kmX(zeroedValues), { mask: kmMask() }).dataSync(), viaMasking);
  });

  // tfjs-layers 4.22's GlobalAveragePooling1D ignores masks (kerasm's averages the kept steps, as
  // Keras does), so the reference here is a plain loop.
  it('functional Dense → GlobalAveragePooling1D: the mean over the kept steps, as a plain loop and Masking give', () => {
    const model = poolingModel();
    const y = model.apply(kmX(), { mask: kmMask() }) as km.Tensor;
    const [kernel, bias] = model.getWeights().map((w) => w.dataSync());
    const expected = Array.from({ length: BATCH }, (_, b) => {
      const kept = Array.from({ length: STEPS }, (_, s) => s).filter((s) => maskValues[b * STEPS + s] !== 0);
      return Array.from({ length: 3 }, (_, u) => kept.reduce((sum, s) => {
        const row = xValues.slice((b * STEPS + s) * FEATURES, (b * STEPS + s + 1) * FEATURES);
        return sum + Math.tanh(row.reduce((z, v, f) => z + v * kernel[f * 3 + u], bias[u]));
      }, 0) / kept.length);
    }).flat();
    expectClose(y.dataSync(), expected);
    expect(maxDifference((model.apply(kmX()) as km.Tensor).dataSync(), y.dataSync())).toBeGreaterThan(1e-3);
    const masking = poolingModel(true);
    masking.setWeights(model.getWeights());
    expectClose((model.apply(kmX(zeroedValues), { mask: kmMask() }) as km.Tensor).dataSync(), (masking.predict(kmX(zeroedValues)) as km.Tensor).dataSync());
  });

  it('several inputs: a list with an entry per input, null for one given none, as tfjs-layers takes it', () => {
    km.utils.setRandomSeed(7);
    const [a, b] = [km.input({ shape: [STEPS, FEATURES] }), km.input({ shape: [STEPS, FEATURES] })];
    const merged = km.layers.concatenate().apply([km.layers.lstm({ units: 2, ...init }).apply(a), km.layers.lstm({ units: 2, ...init }).apply(b)]);
    const model = km.model({ inputs: [a, b], outputs: merged as km.SymbolicTensor });
    // tfjs-layers 4.22's model.apply fails on a mask list with a null entry (its RNN gets a mask of
    // rank 1), so the reference is its LSTMs applied to data, each with its own mask or none.
    const tfLstms = [tfl.layers.lstm({ units: 2, ...init }), tfl.layers.lstm({ units: 2, ...init })];
    const weights = model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape]));
    tfLstms.forEach((lstm, k) => {
      lstm.apply(tfX());
      lstm.setWeights(weights.slice(3 * k, 3 * k + 3));
    });
    for (const which of [0, 1]) {
      const mask = which === 0 ? [kmMask(), null] : [null, kmMask()];
      const y = model.apply([kmX(), kmX(otherValues)], { mask }) as km.Tensor;
      const outputs = [tfX(), tfX(otherValues)].map((x, k) => tfLstms[k].apply(x, k === which ? { mask: tfMask() } : {}) as tf.Tensor);
      expectClose(y.dataSync(), tf.concat(outputs, 1).dataSync());
    }
    // All null: no mask, the plain result.
    expectClose((model.apply([kmX(), kmX(otherValues)], { mask: [null, null] }) as km.Tensor).dataSync(), (model.apply([kmX(), kmX(otherValues)]) as km.Tensor).dataSync());
  });

  it('an int32 mask keeps each nonzero step, as Keras casts a mask to bool: the same outputs as the float32 0/1 mask', () => {
    const model = lstmSequential();
    const expected = model.apply(kmX(), { mask: kmMask() }).dataSync();
    // 3 and -2 keep their steps as 1 does.
    const int32Mask = km.tensor(Int32Array.from(maskValues, (v, i) => (v === 0 ? 0 : i % 2 === 0 ? 3 : -2)), [BATCH, STEPS], 'int32');
    const y = model.apply(kmX(), { mask: int32Mask });
    expect(Array.from(y.dataSync())).toEqual(Array.from(expected));
    // The mask matters: without it the outputs differ.
    expect(maxDifference(model.apply(kmX()).dataSync(), expected)).toBeGreaterThan(1e-3);
  });
});

describe('model.apply(x, { mask }) on symbolic tensors', () => {
  function outerModel(inner: km.LayersModel) {
    const x = km.input({ shape: [STEPS, FEATURES], name: 'x' });
    const keep = km.input({ shape: [STEPS], name: 'keep' });
    return km.model({ inputs: [x, keep], outputs: inner.apply(x, { mask: keep }) as km.SymbolicTensor });
  }

  it('gives the larger model the mask, for a Sequential and a functional model inside, as apply on data does', () => {
    for (const inner of [lstmSequential(), poolingModel()]) {
      const outer = outerModel(inner);
      expect(outer.layers.map((l) => l.name)).toEqual(['x', 'keep', inner.name]);
      expectClose((outer.predict([kmX(), kmMask()]) as km.Tensor).dataSync(), (inner.apply(kmX(), { mask: kmMask() }) as km.Tensor).dataSync());
    }
  });

  it('masks the loss of a returnSequences output, as Masking does: evaluate and fit agree with the Masking model', async () => {
    const inner = lstmSequential();
    const outer = outerModel(inner);
    const masking = lstmSequential(true);
    masking.setWeights(inner.getWeights());
    const y = km.tensor(draw(BATCH * STEPS * 2), [BATCH, STEPS, 2]);
    for (const m of [outer, masking]) m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    const [withMask, withMasking] = [(await outer.evaluate([kmX(zeroedValues), kmMask()], y, { verbose: 0 })) as number[], (await masking.evaluate(kmX(zeroedValues), y, { verbose: 0 })) as number[]];
    expect(withMask[0]).toBeCloseTo(withMasking[0], 5);
    // Every step kept counts the padding too: another loss.
    const allKept = km.tensor(new Float32Array(BATCH * STEPS).fill(1), [BATCH, STEPS]);
    const unmasked = (await outer.evaluate([kmX(zeroedValues), allKept], y, { verbose: 0 })) as number[];
    expect(Math.abs(unmasked[0] - withMask[0])).toBeGreaterThan(1e-3);
    const fitted = await outer.fit([kmX(zeroedValues), kmMask()], y, { epochs: 2, batchSize: BATCH, verbose: 0 });
    const reference = await masking.fit(kmX(zeroedValues), y, { epochs: 2, batchSize: BATCH, verbose: 0 });
    fitted.history.loss.forEach((v, k) => expect(v).toBeCloseTo(reference.history.loss[k], 5));
  });

  it('is saved as the application\'s mask kwarg, and loads and clones back', async () => {
    const outer = outerModel(poolingModel());
    const expected = (outer.predict([kmX(), kmMask()]) as km.Tensor).dataSync();
    const artifacts = await savedArtifacts(outer, false);
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; inbound_nodes: unknown }[] } }).config.layers;
    expect(layers.find((l) => l.class_name === 'Functional' || l.class_name === 'Model')!.inbound_nodes).toEqual([[['x', 0, 0, { mask: ['keep', 0, 0] }]]]);
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expectClose((loaded.predict([kmX(), kmMask()]) as km.Tensor).dataSync(), expected);
    const cloned = km.models.cloneModel(outer);
    cloned.setWeights(outer.getWeights());
    expectClose((cloned.predict([kmX(), kmMask()]) as km.Tensor).dataSync(), expected);
    const sharing = km.models.cloneModel(outer, { cloneFunction: (layer) => layer });
    expectClose((sharing.predict([kmX(), kmMask()]) as km.Tensor).dataSync(), expected);
  });
});

describe('model.apply(x, { mask }) refuses', () => {
  it('a mask of the wrong shape, naming the shape it needs', () => {
    const model = lstmSequential();
    expect(() => model.apply(kmX(), { mask: km.tensor(new Float32Array(BATCH * (STEPS - 1)), [BATCH, STEPS - 1]) })).toThrow(
      /^Model '.*'\.apply: mask has shape \[3, 3\], but input '.*' has shape \[3, 4, 2\], so its mask needs shape \[3, 4\]: one value per step of each sample/,
    );
    expect(() => model.apply(km.input({ shape: [STEPS, FEATURES] }), { mask: km.input({ shape: [STEPS, 1] }) })).toThrow(/mask has shape \(None, 4, 1\), but input '.*' has shape \(None, 4, 2\), so its mask needs shape \(None, 4\): one value per step/);
  });

  it('a mask that is no tensor, or of the other kind than the inputs', () => {
    const model = lstmSequential();
    expect(() => model.apply(kmX(), { mask: [1, 0] as never })).toThrow(/mask is a list with an entry per model input \(1: .*\), null for an input given none\. Received: a list of 2\./);
    expect(() => model.apply(kmX(), { mask: 'keep' as never })).toThrow(/mask must be km\.Tensor data of shape \[batch, steps\], as the inputs are, .* Received: string\./);
    expect(() => model.apply(km.input({ shape: [STEPS, FEATURES] }), { mask: kmMask() })).toThrow(/mask must be a symbolic tensor \(such as km\.input\(\{ shape: \[steps\] \}\)\), as the inputs are.* Received: Tensor\./);
  });

  it('a lone mask for a model with several inputs, and a mask for an input without steps', () => {
    const [a, b] = [km.input({ shape: [STEPS, FEATURES], name: 'a' }), km.input({ shape: [FEATURES], name: 'b' })];
    const model = km.model({ inputs: [a, b], outputs: km.layers.concatenate().apply([km.layers.lstm({ units: 2 }).apply(a), b]) as km.SymbolicTensor });
    const flat = km.tensor(draw(BATCH * FEATURES), [BATCH, FEATURES]);
    expect(() => model.apply([kmX(), flat], { mask: kmMask() })).toThrow(/has 2 inputs \('a', 'b'\), so mask is a list with an entry per input, null for an input given none.* Received: mask=Tensor\./);
    expect(() => model.apply([kmX(), flat], { mask: [null, km.tensor(new Float32Array(BATCH), [BATCH, 1])] })).toThrow(/mask 1 \(for input 'b'\) is for input 'b' of shape \(None, 2\), which has no steps to mask.* \(null in the list\)/);
    // Token ids: the Embedding reading them makes the mask.
    const embedded = km.sequential([km.layers.embedding({ inputDim: 5, outputDim: 2, inputLength: STEPS }), km.layers.lstm({ units: 2 })]);
    expect(() => embedded.apply(km.tensor(new Float32Array(BATCH * STEPS), [BATCH, STEPS]), { mask: kmMask() })).toThrow(/which has no steps to mask.*for token ids \[steps\], an Embedding reading them makes its own mask \(maskZero: true\)/);
  });

  it('a mask for a model whose first layer takes none, naming the model and the layer', () => {
    const model = km.sequential([km.layers.conv1d({ filters: 2, kernelSize: 2, inputShape: [STEPS, FEATURES], name: 'conv' })]);
    expect(() => model.apply(kmX(), { mask: kmMask() })).toThrow(/^Model '.*'\.apply received a mask for its input, which its layers cannot take: Layer 'conv' \(Conv1D\) does not support masking/);
    expect(() => model.apply(km.input({ shape: [STEPS, FEATURES] }), { mask: km.input({ shape: [STEPS] }) })).toThrow(/received a mask for its input, which its layers cannot take: Layer 'conv' \(Conv1D\)/);
  });

  it('a misspelt option', () => {
    expect(() => lstmSequential().apply(kmX(), { masks: kmMask() } as never)).toThrow(/masks/);
  });
});
