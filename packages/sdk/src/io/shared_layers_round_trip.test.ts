import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { checkFunctionalRoundTrip, kerasmArtifacts, maxAbsDiff, tfjsArtifacts } from './testing/round_trip.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

type Entry = { name: string; inbound_nodes: unknown[] };
const entry = (artifacts: km.io.ModelArtifacts, name: string) =>
  (artifacts.modelTopology as { config: { layers: Entry[] } }).config.layers.filter((e) => e.name === name);

describe('shared layers in the LayersModel format, with tfjs-layers 4.22', () => {
  // One Dense called three times: twice in series and once more on the same tensor as its first
  // call. tfjs must write back exactly the topology kerasm saved (node indices included).
  it('a layer called three times round-trips through kerasm and tfjs with the same topology', async () => {
    await checkFunctionalRoundTrip({
      inputShape: [5],
      kerasm: () => {
        const x = km.input({ shape: [5], name: 'x' });
        const h = km.layers.dense({ units: 4, activation: 'tanh', name: 'pre' }).apply(x);
        const shared = km.layers.dense({ units: 4, activation: 'relu', biasInitializer: 'glorotUniform', name: 'shared' });
        const first = shared.apply(h);
        const joined = km.layers.concatenate({ name: 'joined' }).apply([shared.apply(first), shared.apply(h)]);
        return km.model({ inputs: x, outputs: km.layers.dense({ units: 2, name: 'head' }).apply(joined), name: 'thrice' });
      },
      tfjs: () => {
        const x = tfl.input({ shape: [5] });
        const h = tfl.layers.dense({ units: 4, activation: 'tanh' }).apply(x) as tfl.SymbolicTensor;
        const shared = tfl.layers.dense({ units: 4, activation: 'relu', biasInitializer: 'randomNormal' });
        const first = shared.apply(h) as tfl.SymbolicTensor;
        const joined = tfl.layers.concatenate().apply([shared.apply(first) as tfl.SymbolicTensor, shared.apply(h) as tfl.SymbolicTensor]) as tfl.SymbolicTensor;
        return tfl.model({ inputs: x, outputs: tfl.layers.dense({ units: 2 }).apply(joined) as tfl.SymbolicTensor });
      },
    });
  });

  it('a siamese model (shared Conv2D and Dense over two inputs) saved by kerasm loads in kerasm and tfjs; one saved by tfjs loads in kerasm', async () => {
    const random = new Random(2);
    const n = 4;
    const pixels = () => Float32Array.from({ length: n * 36 }, () => random.uniform(-1, 1));
    const [left, right] = [pixels(), pixels()];
    const ours = [km.tensor(left, [n, 6, 6, 1]), km.tensor(right, [n, 6, 6, 1])];
    const theirs = [tf.tensor(left, [n, 6, 6, 1]), tf.tensor(right, [n, 6, 6, 1])];

    km.utils.setRandomSeed(3);
    const a = km.input({ shape: [6, 6, 1], name: 'left' });
    const b = km.input({ shape: [6, 6, 1], name: 'right' });
    const conv = km.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu', biasInitializer: 'glorotUniform', name: 'conv' });
    const flatten = km.layers.flatten({ name: 'flatten' });
    const embed = km.layers.dense({ units: 3, name: 'embed' });
    const tower = (x: km.SymbolicTensor) => embed.apply(flatten.apply(conv.apply(x)));
    const model = km.model({ inputs: [a, b], outputs: km.layers.add({ name: 'sum' }).apply([tower(a), tower(b)]), name: 'siamese' });
    const expected = model.predict(ours).dataSync();

    const saved = await kerasmArtifacts(model);
    expect(entry(saved, 'conv')).toHaveLength(1);
    expect(entry(saved, 'conv')[0].inbound_nodes).toEqual([[['left', 0, 0, {}]], [['right', 0, 0, {}]]]);
    expect(entry(saved, 'sum')[0].inbound_nodes).toEqual([[['embed', 0, 0, {}], ['embed', 1, 0, {}]]]);
    expect(saved.weightSpecs?.map((w) => w.name).sort()).toEqual(['conv/bias', 'conv/kernel', 'embed/bias', 'embed/kernel']);

    const reloaded = await km.loadLayersModel(km.io.fromMemory(saved));
    expect(reloaded.countParams()).toBe(model.countParams());
    expect(Array.from(reloaded.predict(ours).dataSync())).toEqual(Array.from(expected));
    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(inTfjs.getLayer('conv').inboundNodes).toHaveLength(2);
    expect(maxAbsDiff((inTfjs.predict(theirs) as tf.Tensor).dataSync(), expected)).toBeLessThanOrEqual(1e-5);

    // The same model as tfjs-layers builds and saves it (its own names, initialisation and layer order).
    const ta = tfl.input({ shape: [6, 6, 1] });
    const tb = tfl.input({ shape: [6, 6, 1] });
    const tConv = tfl.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu', biasInitializer: 'randomNormal' });
    const tFlatten = tfl.layers.flatten();
    const tEmbed = tfl.layers.dense({ units: 3, biasInitializer: 'randomNormal' });
    const tTower = (x: tfl.SymbolicTensor) => tEmbed.apply(tFlatten.apply(tConv.apply(x))) as tfl.SymbolicTensor;
    const reference = tfl.model({ inputs: [ta, tb], outputs: tfl.layers.add().apply([tTower(ta), tTower(tb)]) as tfl.SymbolicTensor });
    const fromTfjs = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(reference)));
    expect(fromTfjs.layers.filter((l) => l.className === 'Conv2D')).toHaveLength(1);
    expect(maxAbsDiff(fromTfjs.predict(ours).dataSync(), (reference.predict(theirs) as tf.Tensor).dataSync())).toBeLessThanOrEqual(1e-5);
  });
});
