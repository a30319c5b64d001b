import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { refForward, type RefActivation, type RefDense } from '../testing/reference.js';

// A layer put into a second model keeps its weights (Keras semantics): both models compute with one
// set of weights, whichever of them trained last.

beforeAll(() => km.ready());

const x = km.tensor(Array.from({ length: 40 }, (_, i) => Math.sin(i)), [10, 4]);
const y = km.tensor(Array.from({ length: 20 }, (_, i) => Math.cos(i)), [10, 2]);

function values(weights: km.Tensor[]): number[][] {
  return weights.map((w) => Array.from(w.dataSync()));
}

/** A float64 forward pass over Dense layers with the given weights (kernel, bias per layer, as a layer's getWeights returns them). */
function naive(layers: { weights: km.Tensor[]; activation: RefActivation }[], input: km.Tensor): number[][] {
  const ref: RefDense[] = layers.map(({ weights: [kernel, bias], activation }) => {
    const [rows, cols] = kernel.shape;
    const k = Array.from(kernel.dataSync());
    return { kernel: Array.from({ length: rows }, (_, i) => k.slice(i * cols, (i + 1) * cols)), bias: Array.from(bias.dataSync()), activation };
  });
  const [n, width] = input.shape;
  const flat = Array.from(input.dataSync());
  return Array.from({ length: n }, (_, r) => refForward(ref, flat.slice(r * width, (r + 1) * width)));
}

function expectRowsClose(actual: km.Tensor, expected: number[][]): void {
  const cols = actual.shape[1];
  const got = Array.from(actual.dataSync());
  expected.forEach((row, r) => row.forEach((v, c) => expect(got[r * cols + c]).toBeCloseTo(v, 5)));
}

async function trainedBase(seed: number): Promise<{ a: km.LayersModel; d1: km.layers.Layer; d2: km.layers.Layer }> {
  km.utils.setRandomSeed(seed);
  const d1 = km.layers.dense({ units: 3, inputShape: [4], activation: 'relu' });
  const d2 = km.layers.dense({ units: 2 });
  const a = km.sequential([d1, d2]);
  a.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  await a.fit(x, y, { epochs: 3, verbose: 0 });
  return { a, d1, d2 };
}

describe('a layer shared between two models has one set of weights', () => {
  it('transfer learning: B starts from A’s trained layer, and A sees what B’s training changed', async () => {
    const { a, d1, d2 } = await trainedBase(1);
    const trained = values(d1.getWeights());
    const head = km.layers.dense({ units: 5, activation: 'tanh' });
    const b = km.sequential([...a.layers.slice(0, -1), head]);
    expect(values(b.getWeights()).slice(0, 2)).toEqual(trained);
    expect(values(a.getWeights()).slice(0, 2)).toEqual(trained);
    expectRowsClose(b.predict(x), naive([{ weights: d1.getWeights(), activation: 'relu' }, { weights: head.getWeights(), activation: 'tanh' }], x));

    const aBefore = values(a.getWeights());
    b.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await b.fit(x, km.tensor(Array.from({ length: 50 }, (_, i) => Math.sin(i / 3)), [10, 5]), { epochs: 2, verbose: 0 });
    const shared = values(b.getWeights()).slice(0, 2);
    expect(shared).not.toEqual(trained);
    const aAfter = values(a.getWeights());
    expect(aAfter.slice(0, 2)).toEqual(shared);
    expect(aAfter.slice(2)).toEqual(aBefore.slice(2));
    expect(values(d1.getWeights())).toEqual(shared);
    expectRowsClose(a.predict(x), naive([{ weights: d1.getWeights(), activation: 'relu' }, { weights: d2.getWeights(), activation: 'linear' }], x));
  });

  it('a functional model over A’s layers, with them frozen: they stay bit-identical while the head trains, and A’s predictions do not change', async () => {
    const { a, d1 } = await trainedBase(2);
    const aPredicted = Array.from(a.predict(x).dataSync());
    const inp = km.input({ shape: [4] });
    const head = km.layers.dense({ units: 2, name: 'new_head' });
    const b = km.model({ inputs: inp, outputs: head.apply(d1.apply(inp)) });
    d1.trainable = false;
    b.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const frozen = values(d1.getWeights());
    const headBefore = values(head.getWeights());
    await b.fit(x, y, { epochs: 3, verbose: 0 });
    expect(values(d1.getWeights())).toEqual(frozen);
    expect(values(head.getWeights())).not.toEqual(headBefore);
    expect(Array.from(a.predict(x).dataSync())).toEqual(aPredicted);
    // Frozen, the layer's weights are non-trainable, listed after the head's (Keras' order).
    expect(values(b.getWeights())).toEqual([...values(head.getWeights()), ...frozen]);
    d1.trainable = true;
  });

  it('encoder and autoencoder: the encoder predicts with the weights the autoencoder trained', async () => {
    km.utils.setRandomSeed(3);
    const inputs = km.input({ shape: [4] });
    const enc = km.layers.dense({ units: 2, activation: 'tanh', name: 'enc' });
    const dec = km.layers.dense({ units: 4, name: 'dec' });
    const code = enc.apply(inputs);
    const encoder = km.model({ inputs, outputs: code });
    const autoencoder = km.model({ inputs, outputs: dec.apply(code) });
    const initial = values(encoder.getWeights());
    autoencoder.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    await autoencoder.fit(x, x, { epochs: 5, verbose: 0 });
    const trained = values(autoencoder.getWeights()).slice(0, 2);
    expect(trained).not.toEqual(initial);
    expect(values(encoder.getWeights())).toEqual(trained);
    expectRowsClose(encoder.predict(x), naive([{ weights: enc.getWeights(), activation: 'tanh' }], x));
  });

  it('setWeights on a model or a layer is seen by every model holding the layer', async () => {
    const { a, d1, d2 } = await trainedBase(4);
    const b = km.sequential([d1, km.layers.dense({ units: 1 })]);
    const ones = d1.getWeights().map((w) => km.tensor(new Float32Array(w.size).fill(0.5), w.shape));
    b.setWeights([...ones, ...b.getWeights().slice(2)]);
    expect(values(a.getWeights()).slice(0, 2)).toEqual(values(ones));
    const twos = d2.getWeights().map((w) => km.tensor(new Float32Array(w.size).fill(2), w.shape));
    d2.setWeights(twos);
    expect(values(a.getWeights()).slice(2)).toEqual(values(twos));
    expectRowsClose(a.predict(x), naive([{ weights: ones, activation: 'relu' }, { weights: twos, activation: 'linear' }], x));
  });

  it('a layer given values before any model uses it keeps them', () => {
    const layer = km.layers.dense({ units: 2, inputShape: [3] });
    expect(layer.getWeights()).toEqual([]);
    km.sequential([layer]).countParams(); // builds the layer without making a model's weights
    const given = [km.tensor([1, 2, 3, 4, 5, 6], [3, 2]), km.tensor([7, 8], [2])];
    layer.setWeights(given);
    expect(values(km.sequential([layer]).getWeights())).toEqual(values(given));
  });

  it('BatchNormalization’s moving statistics are shared too', async () => {
    km.utils.setRandomSeed(5);
    const bn = km.layers.batchNormalization({ inputShape: [4] });
    const a = km.sequential([bn, km.layers.dense({ units: 2 })]);
    a.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await a.fit(x, y, { epochs: 2, verbose: 0 });
    const stats = values(bn.getWeights()).slice(2);
    expect(stats[0].some((v) => v !== 0)).toBe(true);
    const b = km.sequential([bn, km.layers.dense({ units: 3 })]);
    expect(values(b.getWeights()).slice(-2)).toEqual(stats);
    b.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await b.fit(x, km.tensor(new Float32Array(30).fill(1), [10, 3]), { epochs: 1, verbose: 0 });
    expect(values(a.getWeights()).slice(-2)).toEqual(values(b.getWeights()).slice(-2));
    expect(values(a.getWeights()).slice(-2)).not.toEqual(stats);
  });

  it('saving A after B trained saves the values B left in the shared layer', async () => {
    const { a, d1 } = await trainedBase(10);
    const b = km.sequential([d1, km.layers.dense({ units: 2 })]);
    b.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await b.fit(x, y, { epochs: 2, verbose: 0 });
    let saved: km.io.ModelArtifacts | undefined;
    await a.save(km.io.withSaveHandler(async (artifacts) => void (saved = artifacts)));
    const reloaded = await km.loadLayersModel(km.io.fromMemory(saved!));
    expect(values(reloaded.getWeights())).toEqual(values(a.getWeights()));
    expect(values(reloaded.getWeights()).slice(0, 2)).toEqual(values(b.getWeights()).slice(0, 2));
  });

  it('a callback that runs the other model between batches does not lose the fitting model’s updates', async () => {
    const run = async (withCallback: boolean) => {
      const { a, d1 } = await trainedBase(6);
      const b = km.sequential([d1, km.layers.dense({ units: 2 })]);
      b.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      const onBatchEnd = withCallback ? () => void a.predict(x) : undefined;
      await b.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, seed: 1, callbacks: { onBatchEnd } });
      return values(a.getWeights());
    };
    expect(await run(true)).toEqual(await run(false));
  });

  it('the same seed gives the same weights, fresh and shared', async () => {
    const run = async () => {
      const { a, d1 } = await trainedBase(7);
      const b = km.sequential([d1, km.layers.dense({ units: 3 })]);
      b.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      await b.fit(x, km.tensor(new Float32Array(30).fill(0.3), [10, 3]), { epochs: 2, verbose: 0 });
      return [...values(a.getWeights()), ...values(b.getWeights())];
    };
    expect(await run()).toEqual(await run());
  });
});

describe('dispose with shared layers', () => {
  it('disposing one model keeps the latest values for the other', async () => {
    const { a, d1 } = await trainedBase(8);
    const b = km.sequential([d1, km.layers.dense({ units: 2 })]);
    b.getWeights();
    await a.fit(x, y, { epochs: 1, verbose: 0 }); // A holds the latest values now
    const latest = values(a.getWeights()).slice(0, 2);
    a.dispose();
    expect(values(b.getWeights()).slice(0, 2)).toEqual(latest);
    expect(values(d1.getWeights())).toEqual(latest);
  });

  it('disposing the last model holding a layer frees its weights; using the layer again says so', async () => {
    const { a, d1 } = await trainedBase(9);
    a.dispose();
    expect(() => d1.getWeights()).toThrow(/Layer 'dense_\d+' has no weights any more: they were freed when model 'sequential_\d+'.*layer\.setWeights/);
    expect(() => km.sequential([d1]).getWeights()).toThrow(/was disposed/);
    d1.setWeights([km.tensor(new Float32Array(12), [4, 3]), km.tensor([1, 2, 3], [3])]);
    expect(values(km.sequential([d1]).getWeights())).toEqual([new Array(12).fill(0), [1, 2, 3]]);
  });
});

describe('layer.setWeights errors', () => {
  const layer = km.layers.dense({ units: 3, inputShape: [4], name: 'checked' });
  km.sequential([layer]);

  it('a Sequential whose input shape is known builds each layer as it is added, as Keras does', () => {
    const model = km.sequential([km.layers.dense({ units: 3, inputShape: [2] })]);
    model.add(km.layers.dense({ units: 1 }));
    expect(model.layers.map((l) => l.built)).toEqual([true, true]);
    expect(model.countParams()).toBe(2 * 3 + 3 + 3 * 1 + 1);
    expect(model.layers[1].getWeights().map((w) => w.shape)).toEqual([[3, 1], [1]]);
    // Without an input shape the data of the first fit or predict builds it.
    expect(km.sequential([km.layers.dense({ units: 3 })]).layers[0].built).toBe(false);
  });

  it('rejects a wrong number of tensors, naming the weights', () => {
    expect(() => layer.setWeights([km.tensor(new Float32Array(12), [4, 3])])).toThrow(
      "Layer 'checked' has 2 weights (checked/kernel [4, 3], checked/bias [3]), but setWeights received 1 tensor. Pass one tensor per weight, in the order getWeights() returns them.",
    );
  });

  it('rejects a wrong shape, naming the expected one', () => {
    expect(() => layer.setWeights([km.tensor(new Float32Array(12), [3, 4]), km.tensor([0, 0, 0], [3])])).toThrow(
      "Layer 'checked': weight 'checked/kernel' has shape [4, 3] (float32), but the tensor given for it (position 0) has shape [3, 4] (float32).",
    );
  });

  it('rejects weights for a layer that is not built yet', () => {
    const unbuilt = km.layers.dense({ units: 3, name: 'unbuilt' });
    expect(() => unbuilt.setWeights([km.tensor([1], [1])])).toThrow(/Layer 'unbuilt' \(Dense\) is not built yet.*Build it first/);
  });

  it('model.setWeights names the model and the fix', () => {
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [2], name: 'tiny' })]);
    expect(() => model.setWeights([])).toThrow(/Model 'sequential_\d+' has 2 weights \(tiny\/kernel \[2, 1\], tiny\/bias \[1\]\), but setWeights received 0 tensors\. Pass one tensor per weight/);
  });
});
