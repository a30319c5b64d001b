import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, tfjsArtifacts } from '../io/testing/round_trip.js';

// A functional model lists an InputLayer per input in `layers`, where tfjs-layers 4.22 and Keras 3
// put it (both sort layers by depth, deepest first, ties in the order a walk from the outputs
// reaches them), so indices into model.layers mean what they mean there.

beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

type Listed = { name: string; getClassName?: () => string; className?: string };
const kmList = (model: km.LayersModel) => model.layers.map((l) => `${l.name} (${l.className})`);
const tfList = (model: tfl.LayersModel) => model.layers.map((l: Listed) => `${l.name} (${l.getClassName!()})`);

/** The same program in both libraries: `lib` is km or tfl, whose factories take the same options here. */
interface Libraries {
  input: (args: { shape: number[]; name: string; dtype?: 'float32' | 'int32' }) => unknown;
  dense: (name: string, units?: number) => { apply: (x: unknown) => unknown };
  concatenate: (name: string) => { apply: (x: unknown[]) => unknown };
  model: (args: { inputs: unknown; outputs: unknown; name: string }) => unknown;
}
const kmLib: Libraries = {
  input: (args) => km.input(args),
  dense: (name, units = 2) => km.layers.dense({ units, name }) as never,
  concatenate: (name) => km.layers.concatenate({ name }) as never,
  model: (args) => km.model(args as km.FunctionalModelArgs),
};
const tfLib: Libraries = {
  input: (args) => tfl.input(args),
  dense: (name, units = 2) => tfl.layers.dense({ units, name }) as never,
  concatenate: (name) => tfl.layers.concatenate({ name }) as never,
  model: (args) => tfl.model(args as never),
};

/** Both libraries' models for one program. */
function both<T>(program: (lib: Libraries) => T): { ours: T; theirs: T } {
  return { ours: program(kmLib), theirs: program(tfLib) };
}

/** a feeds ha, b feeds hb; the concatenation reads hb first. */
function crossed(inputOrder: 'ab' | 'ba') {
  return (lib: Libraries) => {
    const a = lib.input({ shape: [3], name: 'a' });
    const b = lib.input({ shape: [5], name: 'b' });
    const hb = lib.dense('hb').apply(b);
    const ha = lib.dense('ha').apply(a);
    const out = lib.concatenate('cat').apply([hb, ha]);
    return lib.model({ inputs: inputOrder === 'ab' ? [a, b] : [b, a], outputs: out, name: `crossed_${inputOrder}` });
  };
}

describe("a functional model's InputLayers, side by side with tfjs-layers", () => {
  it('one input: listed first, found by name and by index, with tfjs\' config and no weights', () => {
    const { ours, theirs } = both((lib) => {
      const title = lib.input({ shape: [4], name: 'title' });
      return lib.model({ inputs: title, outputs: lib.dense('dense').apply(title), name: 'one' });
    }) as { ours: km.LayersModel; theirs: tfl.LayersModel };
    expect(kmList(ours)).toEqual(['title (InputLayer)', 'dense (Dense)']);
    expect(kmList(ours)).toEqual(tfList(theirs));
    const layer = ours.getLayer('title') as km.layers.InputLayer;
    const theirLayer = theirs.getLayer('title') as tfl.layers.Layer & { batchInputShape: unknown; dtype: unknown; sparse: unknown };
    expect(layer).toBeInstanceOf(km.layers.InputLayer);
    expect(ours.getLayer(undefined, 0)).toBe(layer);
    expect(ours.getLayer(undefined, 1).name).toBe(theirs.getLayer(undefined as unknown as string, 1).name);
    expect(layer.getConfig()).toEqual(theirLayer.getConfig());
    expect(Object.keys(layer.getConfig())).toEqual(Object.keys(theirLayer.getConfig()));
    expect([layer.className, layer.batchInputShape, layer.dtype, layer.sparse, layer.trainable]).toEqual([theirLayer.getClassName(), theirLayer.batchInputShape, theirLayer.dtype, theirLayer.sparse, theirLayer.trainable]);
    expect([layer.countParams(), layer.getWeights(), layer.weights]).toEqual([0, [], []]);
    expect(layer.output).toBe(ours.inputs[0]);
    expect(layer.input).toBe(ours.inputs[0]);
    // allLayers lists what carries weights, as before.
    expect(ours.allLayers.map((l) => l.name)).toEqual(['dense']);
  });

  it('several inputs: where tfjs lists them, whatever order the model declares them in', () => {
    for (const order of ['ab', 'ba'] as const) {
      const { ours, theirs } = both(crossed(order)) as { ours: km.LayersModel; theirs: tfl.LayersModel };
      expect(kmList(ours)).toEqual(['b (InputLayer)', 'a (InputLayer)', 'hb (Dense)', 'ha (Dense)', 'cat (Concatenate)']);
      expect(kmList(ours)).toEqual(tfList(theirs));
      expect(ours.layers.map((_, i) => ours.getLayer(undefined, i).name)).toEqual(theirs.layers.map((_, i) => theirs.getLayer(undefined as unknown as string, i).name));
    }
  });

  it('an input read only near the output comes after the layers of the longer path, as in tfjs', () => {
    const { ours, theirs } = both((lib) => {
      const a = lib.input({ shape: [3], name: 'a' });
      const b = lib.input({ shape: [5], name: 'b' });
      const out = lib.concatenate('cat').apply([lib.dense('hb').apply(b), a]);
      return lib.model({ inputs: [b, a], outputs: out, name: 'late' });
    }) as { ours: km.LayersModel; theirs: tfl.LayersModel };
    expect(kmList(ours)).toEqual(['b (InputLayer)', 'hb (Dense)', 'a (InputLayer)', 'cat (Concatenate)']);
    expect(kmList(ours)).toEqual(tfList(theirs));
  });

  it('a nested model is one entry after the outer inputs, and lists its own InputLayers', () => {
    const { ours, theirs } = both((lib) => {
      const inner = crossed('ab')(lib) as { apply: (x: unknown[]) => unknown };
      const i = lib.input({ shape: [3], name: 'oi' });
      const j = lib.input({ shape: [5], name: 'oj' });
      return lib.model({ inputs: [i, j], outputs: lib.dense('top', 1).apply(inner.apply([i, j])), name: 'nest' });
    }) as { ours: km.LayersModel; theirs: tfl.LayersModel };
    expect(kmList(ours)).toEqual(['oi (InputLayer)', 'oj (InputLayer)', 'crossed_ab (Functional)', 'top (Dense)']);
    expect(kmList(ours).map((row) => row.replace('(Functional)', '(Model)'))).toEqual(tfList(theirs));
    const inner = ours.getLayer('crossed_ab') as km.LayersModel;
    expect(kmList(inner)).toEqual(tfList(theirs.getLayer('crossed_ab') as tfl.LayersModel));
    // An inner model's input is reached through it, as its layers are.
    expect(() => ours.getLayer('a')).toThrow("reach it with model.getLayer('crossed_ab').getLayer('a')");
  });

  it("summary() lists the rows tfjs' summary lists, InputLayers where they fall, a chain's input included", () => {
    const rowNames = (print: (printFn: (line: string) => void) => void) => {
      const lines: string[] = [];
      print((line) => lines.push(line));
      return lines.flatMap((line) => /^ ?(\S+) \((\w+)\)\s/.exec(line)?.slice(1, 3).join(' ') ?? []).filter((row) => row !== 'Layer type').map((row) => row.replace(' Functional', ' Model'));
    };
    const chain = (lib: Libraries) => {
      const x = lib.input({ shape: [4], name: 'x' });
      return lib.model({ inputs: x, outputs: lib.dense('y').apply(lib.dense('h').apply(x)), name: 'chain' });
    };
    for (const program of [chain, crossed('ab'), crossed('ba')]) {
      const { ours, theirs } = both(program) as { ours: km.LayersModel; theirs: tfl.LayersModel };
      const mine = rowNames((printFn) => ours.summary({ printFn }));
      expect(mine).toEqual(rowNames((printFn) => theirs.summary(undefined, undefined, printFn)));
      expect(mine[0]).toMatch(/InputLayer$/);
    }
  });

  it("int32 inputs and km.layers.inputLayer give tfjs' getConfig; a model on its output lists that same layer", () => {
    const ids = km.input({ shape: [6], name: 'ids', dtype: 'int32' });
    const theirIds = tfl.input({ shape: [6], name: 'ids', dtype: 'int32' });
    expect(km.model({ inputs: ids, outputs: km.layers.dense({ units: 1 }).apply(ids) }).layers[0].getConfig()).toEqual(theirIds.sourceLayer.getConfig());
    for (const args of [{ inputShape: [3], name: 'x3' }, { batchInputShape: [null, 3], dtype: 'int32' as const, name: 'x4' }]) {
      const layer = km.layers.inputLayer(args);
      expect(layer.getConfig()).toEqual(tfl.layers.inputLayer(args).getConfig());
      const model = km.model({ inputs: layer.output, outputs: km.layers.dense({ units: 2 }).apply(layer.output) });
      expect(model.layers[0]).toBe(layer);
      expect(model.getLayer(args.name)).toBe(layer);
    }
  });

  it('a Sequential model leaves its input out of layers, as Keras 3 does (tfjs lists an explicit inputLayer)', () => {
    const ours = km.sequential([km.layers.inputLayer({ inputShape: [3], name: 'x3' }), km.layers.dense({ units: 2, name: 'd' })]);
    expect(kmList(ours)).toEqual(['d (Dense)']);
    const auto = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3], name: 'd' })] });
    expect(tfList(auto)).toEqual(['d (Dense)']);
    expect(ours.inputs[0].name).toBe('x3');
  });

  it('freezing every entry of model.layers freezes the model; the InputLayers change no weight list', async () => {
    const { ours } = both(crossed('ab')) as { ours: km.LayersModel };
    const names = (ws: km.layers.LayerWeight[]) => ws.map((w) => w.name);
    const [weights, count, values] = [names(ours.weights), ours.countParams(), ours.getWeights().map((w) => w.shape)];
    for (const layer of ours.layers) layer.trainable = false;
    expect(ours.trainableWeights).toEqual([]);
    expect([names(ours.weights), ours.countParams(), ours.getWeights().map((w) => w.shape)]).toEqual([weights, count, values]);
    for (const layer of ours.layers) layer.trainable = true;
    expect(names(ours.trainableWeights)).toEqual(weights);
    expect(ours.getLayer('a').trainable).toBe(true);
    ours.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const history = await ours.fit([km.ones([4, 3]), km.ones([4, 5])], km.ones([4, 4]), { epochs: 1, verbose: 0 });
    expect(history.history.loss).toHaveLength(1);
  });

  it("Keras' feature extractor, outputs: model.layers.map((l) => l.output), gives the input too, as tfjs does", async () => {
    const { ours, theirs } = both((lib) => {
      const x = lib.input({ shape: [4], name: 'x' });
      const h = lib.dense('h', 3).apply(x);
      return lib.model({ inputs: x, outputs: lib.dense('y', 2).apply(h), name: 'mlp' });
    }) as { ours: km.LayersModel; theirs: tfl.LayersModel };
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const features = km.model({ inputs: ours.inputs, outputs: ours.layers.map((l) => l.output) });
    const theirFeatures = tfl.model({ inputs: theirs.inputs, outputs: theirs.layers.map((l) => l.output as tfl.SymbolicTensor) });
    expect(features.outputNames).toEqual(theirFeatures.outputNames);
    expect(kmList(features)).toEqual(tfList(theirFeatures));
    const data = Float32Array.from({ length: 8 }, (_, i) => Math.sin(i));
    const ourValues = features.predict<km.Tensor[]>(km.tensor(data, [2, 4])).map((t) => Array.from(t.dataSync()));
    const theirValues = (theirFeatures.predict(tf.tensor(data, [2, 4])) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
    expect(ourValues[0]).toEqual(Array.from(data));
    ourValues.forEach((v, k) => v.forEach((value, i) => expect(value).toBeCloseTo(theirValues[k][i], 5)));
    // Saved as tfjs saves it: the input is named among output_layers, with no layer for it.
    const topology = (artifacts: km.io.ModelArtifacts) => (artifacts.modelTopology as { config: { output_layers: unknown; layers: { name: string }[] } }).config;
    const [mine, yours] = [topology(await kerasmArtifacts(features)), topology(await tfjsArtifacts(theirFeatures))];
    expect(mine.output_layers).toEqual(yours.output_layers);
    expect(mine.layers.map((l) => l.name)).toEqual(yours.layers.map((l) => l.name));
    const reloaded = await km.loadLayersModel(km.io.fromMemory(await kerasmArtifacts(features)));
    expect(Array.from(reloaded.predict<km.Tensor[]>(km.tensor(data, [2, 4]))[0].dataSync())).toEqual(Array.from(data));
  });
});
