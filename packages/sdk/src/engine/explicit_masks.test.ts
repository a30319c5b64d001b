import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectClose } from '../testing/expect_close.js';
import { savedArtifacts } from '../testing/saved_artifacts.js';
import { Random } from '../utils/random.js';

// Masks given explicitly (`layer.apply(x, { mask })`): how they enter a model's graph, what they
// replace, that they get no gradient, how they are saved, and the errors. Their numbers against
// tfjs-layers are in layers/explicit_mask_tfjs_parity.test.ts.
beforeAll(() => km.ready());

const [BATCH, STEPS, FEATURES] = [3, 4, 2];
const random = new Random(12);
const draw = (n: number) => Float32Array.from({ length: n }, () => random.uniform(-1, 1));
const xValues = draw(BATCH * STEPS * FEATURES);
const maskValues = Float32Array.from([1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0]);
const xs = () => km.tensor(xValues, [BATCH, STEPS, FEATURES]);
const masks = () => km.tensor(maskValues, [BATCH, STEPS]);
const init = { recurrentInitializer: 'glorotUniform' as const };

function maskedLstm(units = 3) {
  const x = km.input({ shape: [STEPS, FEATURES], name: 'x' });
  const keep = km.input({ shape: [STEPS], name: 'keep' });
  const lstm = km.layers.lstm({ units, ...init });
  return { x, keep, lstm, model: km.model({ inputs: [x, keep], outputs: lstm.apply(x, { mask: keep }) }) };
}

describe('a mask given explicitly', () => {
  it('gives a model the result of applying the layer to data with that mask', () => {
    const { model, lstm } = maskedLstm();
    expectClose((model.predict([xs(), masks()]) as km.Tensor).dataSync(), lstm.apply(xs(), { mask: masks() }).dataSync());
  });

  it('keeps the state over masked steps: padding at the end gives the state after the last kept step', () => {
    const { lstm, model } = maskedLstm();
    const y = (model.predict([xs(), masks()]) as km.Tensor).dataSync();
    // Sample 0 keeps its first two steps: its result is the LSTM's over those two steps alone.
    const short = km.layers.lstm({ units: 3, ...init });
    short.apply(km.input({ shape: [2, FEATURES] }));
    short.setWeights(lstm.getWeights());
    expectClose(y.slice(0, 3), short.apply(km.tensor(xValues.slice(0, 2 * FEATURES), [1, 2, FEATURES])).dataSync());
  });

  it('replaces the mask the input carries (an Embedding with maskZero), as in Keras', () => {
    const ids = km.input({ shape: [STEPS] });
    const keep = km.input({ shape: [STEPS] });
    const embedding = km.layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true });
    const lstm = km.layers.lstm({ units: 3, ...init });
    const model = km.model({ inputs: [ids, keep], outputs: lstm.apply(embedding.apply(ids), { mask: keep }) });
    const tokens = km.tensor([1, 0, 0, 2, 3, 4, 0, 0, 1, 1, 1, 1], [BATCH, STEPS]);
    const allKept = km.tensor(new Float32Array(BATCH * STEPS).fill(1), [BATCH, STEPS]);
    const y = (model.predict([tokens, allKept]) as km.Tensor).dataSync();
    // With every step kept the zeros are data: the LSTM on the embedded ids without a mask.
    expectClose(y, lstm.apply(embedding.apply(tokens)).dataSync());
  });

  it('may be any layer\'s output; it gets no gradient, so the layer that made it does not train through it', async () => {
    const x = km.input({ shape: [STEPS, FEATURES] });
    const gate = km.layers.dense({ units: 1, activation: 'relu', name: 'gate' });
    const mask = km.layers.reshape({ targetShape: [STEPS] }).apply(gate.apply(x));
    const lstm = km.layers.lstm({ units: 2, ...init });
    const model = km.model({ inputs: x, outputs: km.layers.dense({ units: 1 }).apply(lstm.apply(x, { mask })) });
    model.compile({ optimizer: km.optimizers.sgd(0.5), loss: 'meanSquaredError' });
    const before = gate.getWeights().map((w) => Array.from(w.dataSync()));
    const lstmBefore = Array.from(lstm.getWeights()[0].dataSync());
    await model.fit(xs(), km.tensor(draw(BATCH), [BATCH, 1]), { epochs: 2, batchSize: BATCH, verbose: 0 });
    gate.getWeights().forEach((w, k) => expectClose(w.dataSync(), before[k], 0));
    expect(Array.from(lstm.getWeights()[0].dataSync())).not.toEqual(lstmBefore);
  });

  it('joins a call with initial states, and a layer shared by a masked and an unmasked call keeps them apart', () => {
    const x = km.input({ shape: [STEPS, FEATURES] });
    const keep = km.input({ shape: [STEPS] });
    const [h, c] = [km.input({ shape: [3] }), km.input({ shape: [3] })];
    const lstm = km.layers.lstm({ units: 3, ...init });
    const model = km.model({ inputs: [x, keep, h, c], outputs: [lstm.apply(x, { initialState: [h, c], mask: keep }), lstm.apply(x)] });
    const [h0, c0] = [km.tensor(draw(BATCH * 3), [BATCH, 3]), km.tensor(draw(BATCH * 3), [BATCH, 3])];
    const [masked, plain] = model.predict([xs(), masks(), h0, c0]) as km.Tensor[];
    expectClose(masked.dataSync(), lstm.apply(xs(), { initialState: [h0, c0], mask: masks() }).dataSync());
    expectClose(plain.dataSync(), lstm.apply(xs()).dataSync());
    expect(Math.abs(masked.dataSync()[0] - plain.dataSync()[0])).toBeGreaterThan(1e-4);
  });

  it('globalAveragePooling1d averages the kept steps', () => {
    const x = km.input({ shape: [STEPS, FEATURES] });
    const keep = km.input({ shape: [STEPS] });
    const model = km.model({ inputs: [x, keep], outputs: km.layers.globalAveragePooling1d().apply(x, { mask: keep }) });
    const y = (model.predict([xs(), masks()]) as km.Tensor).dataSync();
    const expected = Array.from({ length: BATCH * FEATURES }, (_, i) => {
      const [b, f] = [Math.floor(i / FEATURES), i % FEATURES];
      const kept = Array.from({ length: STEPS }, (_, t) => t).filter((t) => maskValues[b * STEPS + t] !== 0);
      return kept.reduce((sum, t) => sum + xValues[(b * STEPS + t) * FEATURES + f], 0) / kept.length;
    });
    expectClose(y, expected);
  });

  it('is read as a boolean: any value but 0 keeps a step', () => {
    const { model } = maskedLstm();
    const scaled = km.tensor(maskValues.map((v, i) => v * (1 + (i % 3))), [BATCH, STEPS]);
    expectClose((model.predict([xs(), scaled]) as km.Tensor).dataSync(), (model.predict([xs(), masks()]) as km.Tensor).dataSync());
  });

  it('is kept when the model is applied inside another and when it is cloned', () => {
    const { model } = maskedLstm();
    const expected = (model.predict([xs(), masks()]) as km.Tensor).dataSync();
    const [x, keep] = [km.input({ shape: [STEPS, FEATURES] }), km.input({ shape: [STEPS] })];
    const outer = km.model({ inputs: [x, keep], outputs: model.apply([x, keep]) as km.SymbolicTensor });
    expectClose((outer.predict([xs(), masks()]) as km.Tensor).dataSync(), expected);
    const clone = km.models.cloneModel(model);
    clone.setWeights(model.getWeights());
    expectClose((clone.predict([xs(), masks()]) as km.Tensor).dataSync(), expected);
  });

  it('is saved in the call\'s kwargs as Keras 2 writes mask=, and loads back', async () => {
    const { model } = maskedLstm();
    const artifacts = await savedArtifacts(model, false);
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; inbound_nodes: unknown }[] } }).config.layers;
    const lstmEntry = layers.find((l) => l.class_name === 'LSTM')!;
    expect(lstmEntry.inbound_nodes).toEqual([[['x', 0, 0, { mask: ['keep', 0, 0] }]]]);
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(loaded.inputNames).toEqual(['x', 'keep']);
    expectClose((loaded.predict([xs(), masks()]) as km.Tensor).dataSync(), (model.predict([xs(), masks()]) as km.Tensor).dataSync());
  });

  it('is listed among the layer\'s inputs, as in Keras 3 (layer.input, layer.inputShape)', () => {
    const { x, keep, lstm } = maskedLstm();
    expect(lstm.input).toEqual([x, keep]);
    expect(lstm.inputShape).toEqual([[STEPS, FEATURES], [STEPS]]);
  });

  it('loads from Keras 3\'s form of the kwargs', async () => {
    const { model } = maskedLstm();
    const artifacts = await savedArtifacts(model, false);
    const topology = JSON.parse(JSON.stringify(artifacts.modelTopology)) as { config: { layers: { class_name: string; inbound_nodes: unknown }[] } };
    const history = (name: string) => ({ class_name: '__keras_tensor__', config: { shape: [null], dtype: 'float32', keras_history: [name, 0, 0] } });
    topology.config.layers.find((l) => l.class_name === 'LSTM')!.inbound_nodes = [{ args: [history('x')], kwargs: { mask: history('keep') } }];
    const loaded = await km.loadLayersModel(km.io.fromMemory({ ...artifacts, modelTopology: topology }));
    expectClose((loaded.predict([xs(), masks()]) as km.Tensor).dataSync(), (model.predict([xs(), masks()]) as km.Tensor).dataSync());
  });
});

describe('masks given explicitly to attention layers', () => {
  it('Attention takes [queryMask, valueMask], which act as the masks Masking would make from zero padding', () => {
    const [TQ, TV, F] = [3, 4, 2];
    const q = draw(BATCH * TQ * F);
    const v = draw(BATCH * TV * F);
    const [qKeep, vKeep] = [Float32Array.from([1, 1, 0, 1, 0, 0, 1, 1, 1]), Float32Array.from([1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1])];
    const zeroed = (values: Float32Array, keep: Float32Array) => values.map((x, i) => (keep[Math.floor(i / F)] ? x : 0));
    const layer = km.layers.attention();
    const [qIn, vIn, qm, vm] = [km.input({ shape: [TQ, F] }), km.input({ shape: [TV, F] }), km.input({ shape: [TQ] }), km.input({ shape: [TV] })];
    const explicit = km.model({ inputs: [qIn, vIn, qm, vm], outputs: layer.apply([qIn, vIn], { mask: [qm, vm] }) });
    const [qIn2, vIn2] = [km.input({ shape: [TQ, F] }), km.input({ shape: [TV, F] })];
    const implicit = km.model({ inputs: [qIn2, vIn2], outputs: layer.apply([km.layers.masking().apply(qIn2), km.layers.masking().apply(vIn2)]) });
    const [qz, vz] = [km.tensor(zeroed(q, qKeep), [BATCH, TQ, F]), km.tensor(zeroed(v, vKeep), [BATCH, TV, F])];
    const y = (explicit.predict([qz, vz, km.tensor(qKeep, [BATCH, TQ]), km.tensor(vKeep, [BATCH, TV])]) as km.Tensor).dataSync();
    expectClose(y, (implicit.predict([qz, vz]) as km.Tensor).dataSync());
    // And on data.
    expectClose(layer.apply([qz, vz], { mask: [km.tensor(qKeep, [BATCH, TQ]), km.tensor(vKeep, [BATCH, TV])] }).dataSync(), y);
  });
});

describe('an attention layer\'s mask list with null for an input (Keras\' [None, value_mask])', () => {
  const [TQ, TV, F] = [3, 4, 2];
  const q = draw(BATCH * TQ * F);
  const v = draw(BATCH * TV * F);
  const [qKeep, vKeep] = [Float32Array.from([1, 1, 0, 1, 0, 0, 1, 1, 1]), Float32Array.from([1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1])];
  const zeroed = (values: Float32Array, keep: Float32Array) => values.map((x, i) => (keep[Math.floor(i / F)] ? x : 0));
  const [qz, vz] = [km.tensor(zeroed(q, qKeep), [BATCH, TQ, F]), km.tensor(zeroed(v, vKeep), [BATCH, TV, F])];

  /** The same layer with Masking on the query, the value, or both: the reference for explicit masks. */
  function masked(layer: km.layers.Layer, maskQuery: boolean, maskValue: boolean): km.Tensor {
    const [qIn, vIn] = [km.input({ shape: [TQ, F] }), km.input({ shape: [TV, F] })];
    const query = maskQuery ? km.layers.masking().apply(qIn) : qIn;
    const value = maskValue ? km.layers.masking().apply(vIn) : vIn;
    return km.model({ inputs: [qIn, vIn], outputs: layer.apply([query, value]) as km.SymbolicTensor }).predict([qz, vz]) as km.Tensor;
  }

  for (const [name, make] of [
    ['Attention', () => km.layers.attention()],
    ['MultiHeadAttention', () => km.layers.multiHeadAttention({ numHeads: 2, keyDim: 2 })],
  ] as const) {
    it(`${name}: [null, valueMask] masks the value only, and [queryMask, null] the query only, in a model and on data`, () => {
      const layer = make();
      const [qIn, vIn, qm, vm] = [km.input({ shape: [TQ, F] }), km.input({ shape: [TV, F] }), km.input({ shape: [TQ] }), km.input({ shape: [TV] })];
      const valueOnly = km.model({ inputs: [qIn, vIn, vm], outputs: layer.apply([qIn, vIn], { mask: [null, vm] }) });
      const queryOnly = km.model({ inputs: [qIn, vIn, qm], outputs: layer.apply([qIn, vIn], { mask: [qm, null] }) });
      const [qMask, vMask] = [km.tensor(qKeep, [BATCH, TQ]), km.tensor(vKeep, [BATCH, TV])];
      const byValue = masked(layer, false, true).dataSync();
      const byQuery = masked(layer, true, false).dataSync();
      expectClose((valueOnly.predict([qz, vz, vMask]) as km.Tensor).dataSync(), byValue);
      expectClose((queryOnly.predict([qz, vz, qMask]) as km.Tensor).dataSync(), byQuery);
      expectClose(layer.apply([qz, vz], { mask: [null, vMask] }).dataSync(), byValue);
      expectClose(layer.apply([qz, vz], { mask: [qMask, undefined as unknown as null] }).dataSync(), byQuery);
      // The two differ from each other, so each mask went to its own input.
      expect(Math.max(...Array.from(byValue, (x, i) => Math.abs(x - byQuery[i])))).toBeGreaterThan(1e-4);
    });
  }

  it('null leaves an input the mask it carries, as Keras 3\'s query_mask=None does: the query\'s Masking still applies', () => {
    const layer = km.layers.attention();
    const [qIn, vIn, vm] = [km.input({ shape: [TQ, F] }), km.input({ shape: [TV, F] }), km.input({ shape: [TV] })];
    const model = km.model({ inputs: [qIn, vIn, vm], outputs: layer.apply([km.layers.masking().apply(qIn), vIn], { mask: [null, vm] }) });
    const y = (model.predict([qz, vz, km.tensor(vKeep, [BATCH, TV])]) as km.Tensor).dataSync();
    expectClose(y, masked(layer, true, true).dataSync());
    const valueOnly = masked(layer, false, true).dataSync();
    expect(Math.max(...Array.from(valueOnly, (v, i) => Math.abs(v - y[i])))).toBeGreaterThan(1e-4);
  });

  it('is saved with null in the kwargs (as Keras 2 writes None), loads back, clones, and loads from Keras 3\'s form', async () => {
    const layer = km.layers.attention({ useScale: true, name: 'att' });
    const [qIn, vIn, vm] = [km.input({ shape: [TQ, F], name: 'q' }), km.input({ shape: [TV, F], name: 'v' }), km.input({ shape: [TV], name: 'vm' })];
    const model = km.model({ inputs: [qIn, vIn, vm], outputs: layer.apply([qIn, vIn], { mask: [null, vm] }) });
    const data = [qz, vz, km.tensor(vKeep, [BATCH, TV])];
    const expected = (model.predict(data) as km.Tensor).dataSync();
    const artifacts = await savedArtifacts(model, false);
    const layers = (artifacts.modelTopology as { config: { layers: { name: string; inbound_nodes: unknown }[] } }).config.layers;
    const saved = { mask: [null, ['vm', 0, 0]] };
    expect(layers.find((l) => l.name === 'att')!.inbound_nodes).toEqual([[['q', 0, 0, saved], ['v', 0, 0, saved]]]);
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expectClose((loaded.predict(data) as km.Tensor).dataSync(), expected);
    const clone = km.models.cloneModel(model);
    clone.setWeights(model.getWeights());
    expectClose((clone.predict(data) as km.Tensor).dataSync(), expected);
    const topology = JSON.parse(JSON.stringify(artifacts.modelTopology)) as { config: { layers: { name: string; inbound_nodes: unknown }[] } };
    const history = (name: string) => ({ class_name: '__keras_tensor__', config: { shape: [null], dtype: 'float32', keras_history: [name, 0, 0] } });
    topology.config.layers.find((l) => l.name === 'att')!.inbound_nodes = [{ args: [[history('q'), history('v')]], kwargs: { mask: [null, history('vm')] } }];
    const keras3 = await km.loadLayersModel(km.io.fromMemory({ ...artifacts, modelTopology: topology }));
    expectClose((keras3.predict(data) as km.Tensor).dataSync(), expected);
  });
});

describe('masks given explicitly to MultiHeadAttention', () => {
  it('[queryMask, valueMask] act as the masks Masking would make from zero padding', () => {
    const [TQ, TV, F] = [3, 4, 2];
    const q = draw(BATCH * TQ * F);
    const v = draw(BATCH * TV * F);
    const [qKeep, vKeep] = [Float32Array.from([1, 0, 1, 1, 1, 0, 1, 1, 1]), Float32Array.from([1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1])];
    const zeroed = (values: Float32Array, keep: Float32Array) => values.map((x, i) => (keep[Math.floor(i / F)] ? x : 0));
    const mha = km.layers.multiHeadAttention({ numHeads: 2, keyDim: 2 });
    const [qIn, vIn, qm, vm] = [km.input({ shape: [TQ, F] }), km.input({ shape: [TV, F] }), km.input({ shape: [TQ] }), km.input({ shape: [TV] })];
    const explicit = km.model({ inputs: [qIn, vIn, qm, vm], outputs: mha.apply([qIn, vIn], { mask: [qm, vm] }) });
    const [qIn2, vIn2] = [km.input({ shape: [TQ, F] }), km.input({ shape: [TV, F] })];
    const implicit = km.model({ inputs: [qIn2, vIn2], outputs: mha.apply([km.layers.masking().apply(qIn2), km.layers.masking().apply(vIn2)]) });
    const [qz, vz] = [km.tensor(zeroed(q, qKeep), [BATCH, TQ, F]), km.tensor(zeroed(v, vKeep), [BATCH, TV, F])];
    const y = (explicit.predict([qz, vz, km.tensor(qKeep, [BATCH, TQ]), km.tensor(vKeep, [BATCH, TV])]) as km.Tensor).dataSync();
    expectClose(y, (implicit.predict([qz, vz]) as km.Tensor).dataSync());
  });
});

describe('errors of masks given explicitly', () => {
  const x = () => km.input({ shape: [STEPS, FEATURES] });

  it('a layer that takes no mask names those that do', () => {
    expect(() => km.layers.conv1d({ filters: 2, kernelSize: 2, name: 'c1' }).apply(x(), { mask: km.input({ shape: [STEPS] }) })).toThrow(
      "Layer 'c1' (Conv1D).apply received a mask, but the layer takes no mask. Pass { mask } to a layer that reads one: lstm, gru, simpleRNN, bidirectional",
    );
    expect(() => km.layers.masking({ name: 'mk' }).apply(x(), { mask: km.input({ shape: [STEPS] }) })).toThrow("Layer 'mk' (Masking).apply received a mask, but the layer makes its own mask from its input.");
    expect(() => km.layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true, name: 'em' }).apply(km.input({ shape: [STEPS] }), { mask: km.input({ shape: [STEPS] }) })).toThrow(
      "Layer 'em' (Embedding).apply received a mask, but the layer makes its own mask from its input.",
    );
  });

  it('a mask without the input\'s steps', () => {
    expect(() => km.layers.lstm({ units: 2, name: 'l1' }).apply(x(), { mask: km.input({ shape: [STEPS + 1] }) })).toThrow(
      "Layer 'l1' (LSTM).apply: the mask has shape (None, 5), but input 0 has shape (None, 4, 2), so a mask needs shape (None, 4): one value per step",
    );
    expect(() => km.layers.gru({ units: 2, name: 'g1' }).apply(xs(), { mask: km.tensor(new Float32Array(BATCH * STEPS * 2), [BATCH, STEPS, 2]) })).toThrow(
      "Layer 'g1' (GRU).apply: the mask has shape (None, 4, 2), but input 0 has shape (None, 4, 2), so a mask needs shape (None, 4)",
    );
  });

  it('a mask for an input without steps', () => {
    expect(() => km.layers.dense({ units: 2, name: 'd1' }).apply(km.input({ shape: [4] }), { mask: km.input({ shape: [4] }) })).toThrow(
      "Layer 'd1' (Dense).apply: the mask is for input 0, of shape (None, 4), which has no steps to mask: a mask marks the steps of a sequence of shape [steps, features].",
    );
  });

  it('a mask with another batch size, or not a tensor, or too many', () => {
    expect(() => km.layers.simpleRNN({ units: 2 }).apply(xs(), { mask: km.tensor(new Float32Array(STEPS), [1, STEPS]) })).toThrow('The first dimension is the batch');
    expect(() => km.layers.lstm({ units: 2, name: 'l2' }).apply(x(), { mask: [1, 0] as unknown as km.Tensor })).toThrow(
      "Layer 'l2' (LSTM).apply: mask must be a tensor of one value per step (a symbolic tensor such as km.input({ shape: [steps] }), or km.Tensor data of shape [batch, steps]), or a list of them for an attention layer. Received: mask=a list whose entry 0 is number.",
    );
    const m = km.input({ shape: [STEPS] });
    expect(() => km.layers.lstm({ units: 2, name: 'l3' }).apply(x(), { mask: [m, m] })).toThrow("Layer 'l3' (LSTM).apply received 2 masks, but takes one, the mask of its input.");
  });

  it('an attention layer given a lone mask, a list of one, or only nulls', () => {
    const [q, v, m] = [km.input({ shape: [STEPS, FEATURES] }), km.input({ shape: [STEPS, FEATURES] }), km.input({ shape: [STEPS] })];
    const listForm = "an attention layer's mask is a list with an entry per input, [queryMask, valueMask, keyMask] (Keras 3's query_mask, value_mask and key_mask), null for an input given no mask, so a lone mask is not taken for one of them. To mask the value's padding only, pass { mask: [null, valueMask] }.";
    expect(() => km.layers.attention({ name: 'a1' }).apply([q, v], { mask: m })).toThrow(`Layer 'a1' (Attention).apply: ${listForm} Received: mask=SymbolicTensor.`);
    expect(() => km.layers.additiveAttention({ name: 'a2' }).apply([xs(), xs()], { mask: [masks()] })).toThrow(`Layer 'a2' (AdditiveAttention).apply: ${listForm} Received: mask=a list of 1.`);
    expect(() => km.layers.multiHeadAttention({ numHeads: 1, keyDim: 2, name: 'mha1' }).apply([q, v], { mask: m })).toThrow(
      "Layer 'mha1' (MultiHeadAttention).apply: an attention layer's mask is a list with an entry per input, [queryMask, valueMask, keyMask] (Keras 3's query_mask, value_mask and key_mask), null for an input given no mask",
    );
    expect(() => km.layers.attention({ name: 'a3' }).apply([q, v], { mask: [null, null] })).toThrow(
      "Layer 'a3' (Attention).apply: every entry of the mask list is null, so it masks nothing. Leave mask out to use the masks the inputs carry (if any), or give at least one entry. Received: mask=[null, null].",
    );
    // A third entry, the key's, is taken and ignored, as in Keras 3 (attention_key_mask.test.ts); a fourth is refused.
    expect(() => km.layers.attention({ name: 'a4' }).apply([q, v], { mask: [m, m, null, m] })).toThrow(
      "Attention layer 'a4' takes a mask list of length 2 or 3, [queryMask, valueMask] or [queryMask, valueMask, keyMask] (Keras' \"accepts mask list of length 2 or 3\"), but received a list of 4. Pass one entry per input, null for an input given no mask.",
    );
    expect(() => km.layers.lstm({ units: 2, name: 'l4' }).apply(x(), { mask: [null, m] as unknown as km.SymbolicTensor[] })).toThrow(
      "Layer 'l4' (LSTM).apply: mask must be a tensor of one value per step (a symbolic tensor such as km.input({ shape: [steps] }), or km.Tensor data of shape [batch, steps]), or a list of them for an attention layer. Received: mask=a list whose entry 0 is null.",
    );
  });

  it('a misspelt mask option', () => {
    expect(() => km.layers.lstm({ units: 2, name: 'l5' }).apply(x(), { masks: km.input({ shape: [STEPS] }) } as km.LayerApplyArgs)).toThrow(
      "Layer 'l5' (LSTM).apply has no option 'masks'; did you mean 'mask'? Its options are: mask, training, initialState.",
    );
  });

  it('an int32 mask of data', () => {
    expect(() => km.layers.gru({ units: 2, name: 'g2' }).apply(xs(), { mask: km.tensor(new Int32Array(BATCH * STEPS), [BATCH, STEPS], 'int32') })).toThrow(
      "Layer 'g2' (GRU).apply reads a mask as float32 0/1 values, but its mask is an int32 tensor of shape [3, 4]. Convert it",
    );
  });

  it('a mask of data given with symbolic inputs', () => {
    expect(() => km.layers.lstm({ units: 2 }).apply(x(), { mask: masks() })).toThrow('received concrete tensors (km.tensor) and symbolic ones');
  });
});
