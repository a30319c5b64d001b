import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff, tfjsArtifacts } from '../io/testing/round_trip.js';

// tfjs-layers 4.22 lists a functional model's layers as Keras does (deepest first, equal depths in
// the order a walk back from the outputs reaches them), and getWeights() follows that list. Each
// architecture below is built in both libraries with the same names: the layer lists, the weight
// shapes, the saved topology's layer list and a transfer of tfjs' weights by order must agree.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

/** What an architecture is built from, in either library. */
interface Api<T, M> {
  input(shape: number[], name: string): T;
  dense(units: number, name: string): { apply(x: T): T };
  add(name: string): { apply(xs: T[]): T };
  concat(name: string): { apply(xs: T[]): T };
  model(inputs: T[], outputs: T[], name: string): M & { apply(x: T | T[]): T | T[] };
}

type Build = <T, M>(api: Api<T, M>) => { inputs: T[]; outputs: T[] };

const kerasmApi: Api<km.SymbolicTensor, km.LayersModel> = {
  input: (shape, name) => km.input({ shape, name }),
  dense: (units, name) => km.layers.dense({ units, name }) as never,
  add: (name) => km.layers.add({ name }) as never,
  concat: (name) => km.layers.concatenate({ name }) as never,
  model: (inputs, outputs, name) => km.model({ inputs, outputs, name }) as never,
};

const tfjsApi: Api<tfl.SymbolicTensor, tfl.LayersModel> = {
  input: (shape, name) => tfl.input({ shape, name }),
  dense: (units, name) => tfl.layers.dense({ units, name }) as never,
  add: (name) => tfl.layers.add({ name }) as never,
  concat: (name) => tfl.layers.concatenate({ name }) as never,
  model: (inputs, outputs, name) => tfl.model({ inputs, outputs, name }) as never,
};

/** Units differ from layer to layer, so a permuted weight list has other shapes. */
const cases: Record<string, Build> = {
  'parallel branches of different lengths': (api) => {
    const a = api.input([3], 'a');
    const b = api.input([4], 'b');
    const longer = api.dense(7, 'a3').apply(api.dense(6, 'a2').apply(api.dense(5, 'a1').apply(a)));
    const shorter = api.dense(8, 'b1').apply(b);
    return { inputs: [a, b], outputs: [api.dense(2, 'head').apply(api.concat('joined').apply([longer, shorter]))] };
  },
  'the two-branch sum of the report (a, b, a1, b1, a2, b2, sum)': (api) => {
    const a = api.input([8], 'a');
    const b = api.input([8], 'b');
    const a2 = api.dense(8, 'a2').apply(api.dense(8, 'a1').apply(a));
    const b2 = api.dense(8, 'b2').apply(api.dense(8, 'b1').apply(b));
    return { inputs: [a, b], outputs: [api.add('sum').apply([a2, b2])] };
  },
  'ResNet-style skip connections': (api) => {
    const x = api.input([5], 'x');
    const stem = api.dense(6, 'stem').apply(x);
    const block1 = api.add('add1').apply([stem, api.dense(6, 'conv1b').apply(api.dense(3, 'conv1a').apply(stem))]);
    const block2 = api.add('add2').apply([api.dense(6, 'conv2b').apply(api.dense(4, 'conv2a').apply(block1)), block1]);
    return { inputs: [x], outputs: [api.dense(2, 'logits').apply(block2)] };
  },
  'outputs at different depths': (api) => {
    const x = api.input([4], 'x');
    const h1 = api.dense(5, 'h1').apply(x);
    const early = api.dense(2, 'early').apply(h1);
    const late = api.dense(3, 'late').apply(api.dense(7, 'h3').apply(api.dense(6, 'h2').apply(h1)));
    return { inputs: [x], outputs: [early, late] };
  },
  'outputs at different depths, the shallow one listed last': (api) => {
    const x = api.input([4], 'x');
    const h1 = api.dense(5, 'h1').apply(x);
    const late = api.dense(3, 'late').apply(api.dense(7, 'h3').apply(api.dense(6, 'h2').apply(h1)));
    return { inputs: [x], outputs: [late, api.dense(2, 'early').apply(h1)] };
  },
  'a layer shared at two depths': (api) => {
    const x = api.input([4], 'x');
    const shared = api.dense(4, 'shared');
    const once = shared.apply(x);
    const twice = shared.apply(api.dense(4, 'between').apply(once));
    return { inputs: [x], outputs: [api.dense(3, 'out').apply(api.concat('both').apply([twice, api.dense(2, 'side').apply(x)]))] };
  },
  'a layer shared by branches of different depths': (api) => {
    const a = api.input([4], 'a');
    const b = api.input([3], 'b');
    const shared = api.dense(5, 'shared');
    const fromA = shared.apply(a);
    const fromB = shared.apply(api.dense(4, 'lift').apply(api.dense(6, 'pre').apply(b)));
    return { inputs: [a, b], outputs: [api.add('sum').apply([fromA, fromB])] };
  },
  'a model nested as a layer, beside a skip connection': (api) => {
    const innerInput = api.input([6], 'inner_in');
    const inner = api.model([innerInput], [api.dense(4, 'i2').apply(api.dense(5, 'i1').apply(innerInput))], 'inner');
    const x = api.input([3], 'x');
    const pre = api.dense(6, 'pre').apply(x);
    const encoded = inner.apply(pre) as never;
    return { inputs: [x], outputs: [api.dense(2, 'post').apply(api.concat('joined').apply([encoded, api.dense(7, 'skip').apply(x)]))] };
  },
  'a model nested as a layer, applied to two inputs (siamese)': (api) => {
    const innerInput = api.input([3], 'tower_in');
    const tower = api.model([innerInput], [api.dense(4, 't2').apply(api.dense(5, 't1').apply(innerInput))], 'tower');
    const left = api.input([3], 'left');
    const right = api.input([3], 'right');
    const r = tower.apply(api.dense(3, 'right_pre').apply(right)) as never;
    const l = tower.apply(left) as never;
    return { inputs: [left, right], outputs: [api.dense(2, 'head').apply(api.concat('pair').apply([l, r]))] };
  },
  'inputs declared in an order other than their use': (api) => {
    const a = api.input([3], 'a');
    const b = api.input([4], 'b');
    const c = api.input([2], 'c');
    const fromB = api.dense(6, 'b2').apply(api.dense(5, 'b1').apply(b));
    const joined = api.concat('joined').apply([api.dense(7, 'a1').apply(a), fromB, c]);
    return { inputs: [c, a, b], outputs: [api.dense(2, 'out').apply(joined)] };
  },
  'a layer built and read first that sits near the output': (api) => {
    const x = api.input([4], 'x');
    const first = api.dense(3, 'first').apply(x);
    const chain = api.dense(7, 'c3').apply(api.dense(6, 'c2').apply(api.dense(5, 'c1').apply(x)));
    return { inputs: [x], outputs: [api.dense(2, 'out').apply(api.concat('joined').apply([first, chain]))] };
  },
  'an input read only near the output': (api) => {
    const x = api.input([4], 'x');
    const extra = api.input([2], 'extra');
    const deep = api.dense(6, 'd2').apply(api.dense(5, 'd1').apply(x));
    return { inputs: [x, extra], outputs: [api.dense(3, 'out').apply(api.concat('joined').apply([deep, extra]))] };
  },
};

const names = (model: { layers: readonly { name: string }[] }) => model.layers.map((l) => l.name);
const savedNames = (artifacts: km.io.ModelArtifacts) => (artifacts.modelTopology as { config: { layers: { name: string }[] } }).config.layers.map((l) => l.name);

describe("a functional model's layers and weights follow tfjs-layers 4.22's order", () => {
  for (const [name, build] of Object.entries(cases)) {
    it(name, async () => {
      const ourEnds = build(kerasmApi);
      const ours = kerasmApi.model(ourEnds.inputs, ourEnds.outputs, 'm');
      const theirEnds = build(tfjsApi);
      const theirs = tfjsApi.model(theirEnds.inputs, theirEnds.outputs, 'm');
      expect(names(ours)).toEqual(names(theirs));
      expect(ours.getWeights().map((w) => w.shape)).toEqual(theirs.getWeights().map((w) => w.shape));
      expect(ours.weights.map((w) => w.shape)).toEqual(theirs.getWeights().map((w) => w.shape));
      expect(savedNames(await kerasmArtifacts(ours))).toEqual(savedNames(await tfjsArtifacts(theirs)));

      // Keras' "transfer weights by order": tfjs' getWeights() into kerasm gives tfjs' predictions.
      ours.setWeights(theirs.getWeights().map((w) => km.tensor(w.dataSync() as Float32Array, w.shape)));
      const xs = ours.inputs.map((t, k) => Float32Array.from({ length: 3 * t.shape[0]! }, (_, i) => Math.sin(i * 0.7 + k)));
      const predict = <T>(model: { predict(x: T[]): unknown }, tensor: (v: Float32Array, s: number[]) => T) => [model.predict(xs.map((v, k) => tensor(v, [3, ours.inputs[k].shape[0]!])))].flat() as { dataSync(): ArrayLike<number> }[];
      const ourOutputs = predict(ours, (v, s) => km.tensor(v, s));
      const theirOutputs = predict(theirs as never, (v, s) => tf.tensor(v, s));
      ourOutputs.forEach((y, k) => expect(maxAbsDiff(y.dataSync(), theirOutputs[k].dataSync())).toBeLessThan(1e-5));

      // The order is the architecture's: a clone, the JSON round trip and a reloaded file keep it.
      expect(names(km.models.cloneModel(ours))).toEqual(names(ours));
      expect(names(km.models.modelFromJSON(ours.toJSON()))).toEqual(names(ours));
      expect(names(await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(theirs))))).toEqual(names(ours));
    });
  }
});

describe('weights saved in another order', () => {
  const twoBranches = cases['the two-branch sum of the report (a, b, a1, b1, a2, b2, sum)'];
  /** The report's model in kerasm, its layers renamed so no saved weight name fits it. */
  const renamed = () => {
    const a = km.input({ shape: [8], name: 'a' });
    const b = km.input({ shape: [8], name: 'b' });
    const a2 = km.layers.dense({ units: 8, name: 'p2' }).apply(km.layers.dense({ units: 8, name: 'p1' }).apply(a) as km.SymbolicTensor) as km.SymbolicTensor;
    const b2 = km.layers.dense({ units: 8, name: 'q2' }).apply(km.layers.dense({ units: 8, name: 'q1' }).apply(b) as km.SymbolicTensor) as km.SymbolicTensor;
    return km.model({ inputs: [a, b], outputs: km.layers.add({ name: 'sum' }).apply([a2, b2]) as km.SymbolicTensor });
  };
  const xs = [0, 1].map((k) => Float32Array.from({ length: 24 }, (_, i) => Math.cos(i * 0.3 + k)));
  const ourPrediction = (model: km.LayersModel) => (model.predict(xs.map((v) => km.tensor(v, [3, 8]))) as km.Tensor).dataSync();

  it("loadWeights pairs tfjs' file by position when the names differ, in tfjs' order", async () => {
    const { inputs, outputs } = twoBranches(tfjsApi);
    const theirs = tfjsApi.model(inputs, outputs, 'm');
    const ours = renamed();
    await ours.loadWeights(km.io.fromMemory(await tfjsArtifacts(theirs)));
    const expected = (theirs.predict(xs.map((v) => tf.tensor(v, [3, 8]))) as tf.Tensor).dataSync();
    expect(maxAbsDiff(ourPrediction(ours), expected)).toBeLessThan(1e-5);
  });

  it('a file whose layers and weights are listed in another order (older kerasm wrote node order) still loads by name', async () => {
    const { inputs, outputs } = twoBranches(kerasmApi);
    const saved = kerasmApi.model(inputs, outputs, 'm');
    const artifacts = await kerasmArtifacts(saved);
    // Reverse the topology's layer list and the weights (specs and bytes alike).
    const topology = artifacts.modelTopology as { config: { layers: unknown[] } };
    const specs = artifacts.weightSpecs!;
    const data = new Float32Array(artifacts.weightData as ArrayBuffer);
    const offsets = specs.map((_, i) => specs.slice(0, i).reduce((n, s) => n + s.shape.reduce((p, d) => p * d, 1), 0));
    const chunks = specs.map((s, i) => data.slice(offsets[i], offsets[i] + s.shape.reduce((p, d) => p * d, 1)));
    const reordered: km.io.ModelArtifacts = {
      ...artifacts,
      modelTopology: { ...topology, config: { ...topology.config, layers: [...topology.config.layers].reverse() } },
      weightSpecs: [...specs].reverse(),
      weightData: Float32Array.from(chunks.reverse().flatMap((c) => Array.from(c))).buffer,
    };
    const loaded = await km.loadLayersModel(km.io.fromMemory(reordered));
    expect(names(loaded)).toEqual(['a', 'b', 'a1', 'b1', 'a2', 'b2', 'sum']);
    expect(Array.from(ourPrediction(loaded))).toEqual(Array.from(ourPrediction(saved)));
    const ends = twoBranches(kerasmApi);
    const twin = kerasmApi.model(ends.inputs, ends.outputs, 'm');
    await twin.loadWeights(km.io.fromMemory(reordered));
    expect(Array.from(ourPrediction(twin))).toEqual(Array.from(ourPrediction(saved)));
  });
});
