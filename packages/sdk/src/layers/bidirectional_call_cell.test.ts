import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { maxAbsDiff } from '../io/testing/round_trip.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { Random } from '../utils/random.js';

// Bidirectional over an RNN whose cells are the user's km.layers.CallCell, against the built-in
// path: cells written to compute what SimpleRNN's and LSTM's cells compute, given the built-in
// layers' weights, must give the built-in Bidirectional's outputs, states and losses over SGD steps
// (so its gradients too), and tfjs-layers' Bidirectional(simpleRNN)'s outputs.
beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

/**
 * A built-in cell's weights as a CallCell declares them, in the built-in layer's order: a kernel,
 * a recurrent kernel and a bias, each `gates` blocks of `units` wide.
 */
abstract class GatedCell extends km.layers.CallCell {
  readonly units: number;
  #kernel!: km.layers.LayerWeight;
  #recurrentKernel!: km.layers.LayerWeight;
  #bias!: km.layers.LayerWeight;

  constructor({ units, name }: { units: number; name?: string }, readonly gates: number) {
    super({ name });
    this.units = units;
  }

  override build(inputShape: km.layers.Shape): void {
    const width = this.gates * this.units;
    this.#kernel = this.addWeight('kernel', [inputShape.at(-1)!, width], 'glorotUniform');
    this.#recurrentKernel = this.addWeight('recurrent_kernel', [this.units, width], 'orthogonal');
    this.#bias = this.addWeight('bias', [width], 'zeros');
  }

  /** x·W + h·U + b, every gate's pre-activation side by side. */
  protected preActivation(input: km.Tensor, h: km.Tensor): km.Tensor {
    return km.add(km.add(km.matMul(input, this.#kernel.read()), km.matMul(h, this.#recurrentKernel.read())), this.#bias.read());
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), units: this.units };
  }
}

/** SimpleRNN's cell as a CallCell: h = tanh(x·W + h·U + b). */
class SimpleCell extends GatedCell {
  readonly className: string = 'BidiSimpleCell';
  readonly stateSize: number;

  constructor(args: { units: number; name?: string }) {
    super(args, 1);
    this.stateSize = args.units;
  }

  call([input, h]: km.Tensor[]): km.Tensor[] {
    const next = km.tanh(this.preActivation(input, h));
    return [next, next];
  }
}

/** LSTM's cell as a CallCell (gates i, f, c, o; states [h, c]). */
class LstmCell extends GatedCell {
  readonly className = 'BidiLstmCell';
  readonly stateSize: [number, number];

  constructor(args: { units: number; name?: string }) {
    super(args, 4);
    this.stateSize = [args.units, args.units];
  }

  call([input, h, c]: km.Tensor[]): km.Tensor[] {
    const [i, f, candidate, o] = km.split(this.preActivation(input, h), 4, 1);
    const nextC = km.add(km.mul(km.sigmoid(f), c), km.mul(km.sigmoid(i), km.tanh(candidate)));
    const nextH = km.mul(km.sigmoid(o), km.tanh(nextC));
    return [nextH, nextH, nextC];
  }
}

km.layers.registerCell('BidiSimpleCell', (config) => new SimpleCell(config as { units: number; name?: string }));
km.layers.registerCell('BidiLstmCell', (config) => new LstmCell(config as { units: number; name?: string }));

const [n, steps, features, units] = [8, 5, 3, 4];
const random = new Random(29);
const data = Float32Array.from({ length: n * steps * features }, () => random.uniform(-1, 1));
const xs = () => km.tensor(data, [n, steps, features]);

type Options = { returnSequences?: boolean; returnState?: boolean; goBackwards?: boolean; stateful?: boolean; batchSize?: number; name?: string };
type Kind = 'simple' | 'lstm';

/** The recurrent layer of `kind`, built-in or over the equivalent CallCell. */
function recurrent(kind: Kind, custom: boolean, options: Options = {}): km.layers.Layer {
  // tfjs' LSTM gates with hardSigmoid by default; the cell above with the sigmoid.
  if (!custom) return kind === 'simple' ? km.layers.simpleRNN({ units, ...options }) : km.layers.lstm({ units, recurrentActivation: 'sigmoid', ...options });
  return km.layers.rnn({ cell: kind === 'simple' ? new SimpleCell({ units }) : new LstmCell({ units }), ...options }) as km.layers.Layer;
}

function outputsOf(prediction: km.Tensor | km.Tensor[]): Float32Array[] {
  return (Array.isArray(prediction) ? prediction : [prediction]).map((t) => t.dataSync() as Float32Array);
}

function expectSameOutputs(ours: km.Tensor | km.Tensor[], reference: km.Tensor | km.Tensor[], tolerance = 1e-5): void {
  const [a, b] = [outputsOf(ours), outputsOf(reference)];
  expect(a.length).toBe(b.length);
  a.forEach((values, k) => {
    expect(values.length).toBe(b[k].length);
    expect(maxAbsDiff(values, b[k])).toBeLessThan(tolerance);
  });
}

/** A model of one Bidirectional over `kind` (custom or built-in) with its outputs listed. */
function model(kind: Kind, custom: boolean, mergeMode: km.layers.BidirectionalMergeMode | null, options: Options = {}): km.LayersModel {
  const x = km.input({ shape: [steps, features], name: 'x' });
  const bi = km.layers.bidirectional({ layer: recurrent(kind, custom, options), mergeMode, name: 'bi' });
  const out = bi.apply(x) as km.SymbolicTensor | km.SymbolicTensor[];
  return km.model({ inputs: x, outputs: out });
}

/** The custom-cell model and the built-in one, the second with the first's weights. */
function pair(kind: Kind, mergeMode: km.layers.BidirectionalMergeMode | null, options: Options = {}): [km.LayersModel, km.LayersModel] {
  km.utils.setRandomSeed(7);
  const [ours, builtin] = [model(kind, true, mergeMode, options), model(kind, false, mergeMode, options)];
  // bi/forward_rnn_3/kernel and bi/forward_simple_rnn/kernel: the same weight of the same direction.
  const names = (m: km.LayersModel) => m.getLayer('bi').weights.map((w) => w.name.replace(/_(simple_)?(rnn|lstm)(_\d+)?\//, '/'));
  expect(names(ours)).toEqual(names(builtin));
  builtin.getLayer('bi').setWeights(ours.getLayer('bi').getWeights());
  return [ours, builtin];
}

/** Targets like the model's outputs, and fits it with SGD on them; returns the losses. */
async function fitLosses(m: km.LayersModel, inputs: km.Tensor | km.Tensor[]): Promise<number[]> {
  const shapes = (m.outputs as km.SymbolicTensor[]).map((t) => [n, ...t.shape] as number[]);
  const targetRandom = new Random(5);
  const targets = shapes.map((shape) => km.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => targetRandom.uniform(-1, 1)), shape));
  m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.3 }), loss: shapes.map(() => 'meanSquaredError' as km.LossName) });
  return (await m.fit(inputs, targets, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 })).history.loss;
}

function expectSameLosses(ours: number[], reference: number[]): void {
  expect(ours.length).toBe(reference.length);
  ours.forEach((loss, i) => expect(Math.abs(loss - reference[i])).toBeLessThan(1e-5 * Math.max(1, reference[i])));
  expect(ours[ours.length - 1]).toBeLessThan(ours[0]);
}

const MERGE_MODES: (km.layers.BidirectionalMergeMode | null)[] = ['concat', 'sum', 'mul', 'ave', null];

describe('Bidirectional over an RNN of custom cells, against the built-in layers', () => {
  it('makes each direction a copy over a new cell from the registered class, the backward one with goBackwards flipped', () => {
    const layer = km.layers.rnn({ cell: new SimpleCell({ units }), name: 'r' });
    const bi = km.layers.bidirectional({ layer });
    const [f, b] = [bi.forwardLayer, bi.backwardLayer] as km.layers.CallCellRNN[];
    expect([f.name, b.name]).toEqual(['forward_r', 'backward_r']);
    expect([f.goBackwards, b.goBackwards]).toEqual([false, true]);
    expect(f.cell).toBeInstanceOf(SimpleCell);
    expect(new Set([layer.cell, f.cell, b.cell]).size).toBe(3);
  });

  for (const mergeMode of MERGE_MODES) {
    for (const returnSequences of [false, true]) {
      it(`mergeMode ${mergeMode}, returnSequences ${returnSequences}: the same predictions and losses over SGD steps as Bidirectional(simpleRNN)`, async () => {
        const [ours, builtin] = pair('simple', mergeMode, { returnSequences });
        expectSameOutputs(ours.predict(xs()) as km.Tensor, builtin.predict(xs()) as km.Tensor);
        // The losses fell, so the steps trained both directions, the same way.
        expectSameLosses(await fitLosses(ours, xs()), await fitLosses(builtin, xs()));
        expectSameOutputs(ours.getLayer('bi').getWeights(), builtin.getLayer('bi').getWeights());
      });
    }
  }
});

describe('Bidirectional over custom cells with two states: returnState, initialState, and the input gradient', () => {
  // A Dense before the layer trains only through the Bidirectional's input gradient; the initial
  // states are inputs, so each direction starts from its own.
  const build = (custom: boolean, mergeMode: km.layers.BidirectionalMergeMode | null) => {
    const x = km.input({ shape: [steps, features], name: 'x' });
    const initial = ['hF', 'cF', 'hB', 'cB'].map((name) => km.input({ shape: [units], name }));
    const projected = km.layers.dense({ units: features, name: 'd' }).apply(x) as km.SymbolicTensor;
    const bi = km.layers.bidirectional({ layer: recurrent('lstm', custom, { returnSequences: true, returnState: true }), mergeMode, name: 'bi' });
    const outputs = bi.apply(projected, { initialState: initial }) as unknown as km.SymbolicTensor[];
    return km.model({ inputs: [x, ...initial], outputs });
  };
  const stateRandom = new Random(41);
  const initialStates = () => Array.from({ length: 4 }, () => km.tensor(Float32Array.from({ length: n * units }, () => stateRandom.uniform(-1, 1)), [n, units]));

  it.each(['concat', null] as const)('mergeMode %s: the same outputs, states and losses over SGD steps as Bidirectional(lstm), and the same trained weights', async (mergeMode) => {
    km.utils.setRandomSeed(3);
    const [ours, builtin] = [build(true, mergeMode), build(false, mergeMode)];
    builtin.setWeights(ours.getWeights());
    const inputs = [xs(), ...initialStates()];
    const predicted = ours.predict(inputs) as km.Tensor[];
    // [merged, hF, cF, hB, cB], or [forward, backward, hF, cF, hB, cB]
    expect(predicted.length).toBe(mergeMode === null ? 6 : 5);
    expectSameOutputs(predicted, builtin.predict(inputs) as km.Tensor[]);
    expectSameLosses(await fitLosses(ours, inputs), await fitLosses(builtin, inputs));
    expectSameOutputs(ours.getWeights(), builtin.getWeights());
  });
});

describe('Bidirectional over custom cells on padded sequences, stateful, and with a given backwardLayer', () => {
  it.each([false, true])('masked steps (returnSequences %s): the same predictions and losses as the built-in, both directions skipping the padding', async (returnSequences) => {
    // Each sample's padded steps (all features 0) at the end, at the start, or none.
    const padded = data.map((v, i) => {
      const [sample, step] = [Math.floor(i / (steps * features)), Math.floor(i / features) % steps];
      return (sample % 3 === 0 && step >= 3) || (sample % 3 === 1 && step < 2) ? 0 : v;
    });
    const build = (custom: boolean) => km.sequential([
      km.layers.masking({ maskValue: 0, inputShape: [steps, features] }),
      km.layers.bidirectional({ layer: recurrent('simple', custom, { returnSequences }), name: 'bi' }),
    ]);
    km.utils.setRandomSeed(9);
    const [ours, builtin] = [build(true), build(false)];
    builtin.setWeights(ours.getWeights());
    const x = () => km.tensor(padded, [n, steps, features]);
    const predicted = ours.predict(x()) as km.Tensor;
    expectSameOutputs(predicted, builtin.predict(x()) as km.Tensor);
    // The mask changed the outputs: the same layer without it differs.
    const unmasked = km.sequential([km.layers.bidirectional({ layer: recurrent('simple', true, { returnSequences }), inputShape: [steps, features] })]);
    unmasked.setWeights(ours.getWeights());
    expect(maxAbsDiff(predicted.dataSync(), (unmasked.predict(x()) as km.Tensor).dataSync())).toBeGreaterThan(1e-3);
    expectSameLosses(await fitLosses(ours, x()), await fitLosses(builtin, x()));
    expectSameOutputs(ours.getWeights(), builtin.getWeights());
  });

  it('stateful: consecutive batches continue from each direction\'s kept states, as the built-in Bidirectional does', () => {
    const batchInputShape = [n, steps, features];
    const build = (custom: boolean) => km.sequential([
      km.layers.bidirectional({ layer: recurrent('simple', custom, { stateful: true, returnSequences: true, batchSize: n }), batchInputShape, name: 'bi' }),
    ]);
    km.utils.setRandomSeed(11);
    const [ours, builtin] = [build(true), build(false)];
    builtin.setWeights(ours.getWeights());
    const bi = ours.getLayer('bi') as km.layers.Bidirectional;
    expect([bi.forwardLayer.stateful, bi.backwardLayer.stateful]).toEqual([true, true]);
    const first = ours.predict(xs(), { batchSize: n }) as km.Tensor;
    expectSameOutputs(first, builtin.predict(xs(), { batchSize: n }) as km.Tensor);
    const second = ours.predict(xs(), { batchSize: n }) as km.Tensor;
    expectSameOutputs(second, builtin.predict(xs(), { batchSize: n }) as km.Tensor);
    // The second batch started from the first one's final states, not from zeros.
    expect(maxAbsDiff(first.dataSync(), second.dataSync())).toBeGreaterThan(1e-3);
  });

  it('a backwardLayer over custom cells, behind a custom or a built-in forward layer, as the built-in pair computes', async () => {
    const build = (forwardCustom: boolean, backwardCustom: boolean) => km.sequential([
      km.layers.bidirectional({
        layer: recurrent('simple', forwardCustom, { returnSequences: true }),
        backwardLayer: recurrent('simple', backwardCustom, { returnSequences: true, goBackwards: true }),
        mergeMode: 'sum', inputShape: [steps, features], name: 'bi',
      }),
    ]);
    km.utils.setRandomSeed(13);
    const builtin = build(false, false);
    for (const [f, b] of [[true, true], [false, true], [true, false]]) {
      const ours = build(f, b);
      ours.setWeights(builtin.getWeights());
      expectSameOutputs(ours.predict(xs()) as km.Tensor, builtin.predict(xs()) as km.Tensor);
    }
    const ours = build(true, true);
    ours.setWeights(builtin.getWeights());
    expectSameLosses(await fitLosses(ours, xs()), await fitLosses(builtin, xs()));
  });
});

describe('Bidirectional over custom cells: saving, tfjs-layers, and the errors', () => {
  it('saves as tfjs writes it (the RNN config with its cell) and loads, predicting the same', async () => {
    km.utils.setRandomSeed(15);
    const model = km.sequential([km.layers.bidirectional({ layer: recurrent('lstm', true, { returnSequences: true }), mergeMode: 'ave', inputShape: [steps, features], name: 'bi' })]);
    let saved: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const layer = (saved!.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    expect(layer.class_name).toBe('Bidirectional');
    const inner = layer.config.layer as { class_name: string; config: { cell: { class_name: string; config: { units: number } } } };
    expect(inner.class_name).toBe('RNN');
    expect(inner.config.cell.class_name).toBe('BidiLstmCell');
    expect(inner.config.cell.config.units).toBe(units);
    const loaded = await km.loadLayersModel(km.io.fromMemory(saved!));
    const bi = loaded.getLayer('bi') as km.layers.Bidirectional;
    expect(bi.backwardLayer.goBackwards).toBe(true);
    expect((bi.backwardLayer as km.layers.CallCellRNN).cell).toBeInstanceOf(LstmCell);
    expectSameOutputs(loaded.predict(xs()) as km.Tensor, model.predict(xs()) as km.Tensor, 1e-7);
  });

  it.each([false, true])('gives tfjs-layers\' Bidirectional(simpleRNN) outputs for its weights (returnSequences %s)', async (returnSequences) => {
    km.utils.setRandomSeed(17);
    const ours = km.sequential([km.layers.bidirectional({ layer: recurrent('simple', true, { returnSequences }), inputShape: [steps, features] })]);
    const theirs = tfl.sequential({ layers: [tfl.layers.bidirectional({ layer: tfl.layers.simpleRNN({ units, returnSequences }) as tfl.RNN, inputShape: [steps, features] })] });
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const theirOutput = (theirs.predict(tf.tensor(data, [n, steps, features])) as tf.Tensor).dataSync();
    expect(maxAbsDiff((ours.predict(xs()) as km.Tensor).dataSync(), theirOutput)).toBeLessThan(1e-5);
  });

  it('refuses a cell whose class is not registered, which it could not copy, saying how to register it', () => {
    class Unregistered extends SimpleCell {
      override readonly className = 'UnregisteredBidiCell';
    }
    const layer = km.layers.rnn({ cell: new Unregistered({ units, name: 'c' }), name: 'r' });
    expect(() => km.layers.bidirectional({ layer, name: 'b' })).toThrow(
      "Layer 'r' (RNN) runs Cell 'c' (UnregisteredBidiCell), whose class is not registered, so Bidirectional layer 'b' could not make its copies of layer, each over a new cell made from the cell's config. " +
        "Return the cell's options from its getConfig() and register the class before making the Bidirectional layer (and before loading it): km.layers.registerCell('UnregisteredBidiCell', (config) => new UnregisteredBidiCell(config)).",
    );
    const backwardLayer = km.layers.rnn({ cell: new Unregistered({ units, name: 'c2' }), goBackwards: true, name: 'rb' });
    expect(() => km.layers.bidirectional({ layer: recurrent('simple', true), backwardLayer, name: 'b' })).toThrow(/could not make its copies of backwardLayer/);
  });

  it('keeps the backwardLayer checks for custom cells', () => {
    // Both run forwards.
    const backwardLayer = recurrent('simple', true, { name: 'rb' });
    expect(() => km.layers.bidirectional({ layer: recurrent('simple', true, { name: 'rf' }), backwardLayer, name: 'b' })).toThrow(
      "Bidirectional layer 'b': backwardLayer 'rb' does not match layer 'rf': both have goBackwards: false; backwardLayer needs goBackwards: true.",
    );
    const sequences = km.layers.rnn({ cell: new SimpleCell({ units }), goBackwards: true, returnSequences: true, name: 'rs' });
    expect(() => km.layers.bidirectional({ layer: recurrent('simple', true), backwardLayer: sequences })).toThrow('returnSequences is true on it and false on layer; they must agree');
  });
});
