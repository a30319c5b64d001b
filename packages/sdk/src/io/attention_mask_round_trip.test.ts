import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { kerasmArtifacts } from './testing/round_trip.js';

// MultiHeadAttention's attention mask and scores in the LayersModel format. tfjs-layers has no
// MultiHeadAttention, so the round trip is kerasm to kerasm, in the form Keras 2 writes a tensor
// passed by keyword ([source, call, tensor] in the call's kwargs) and in Keras 3's.
beforeAll(() => km.ready());

const [batch, steps, features] = [3, 4, 5];
const random = new Random(61);
const xs = Float32Array.from({ length: batch * steps * features }, () => random.uniform(-1, 1));
const mask = Float32Array.from({ length: batch * steps * steps }, (_, i) => (i % steps === 0 || random.next() < 0.5 ? 1 : 0));
const data = () => [km.tensor(xs, [batch, steps, features]), km.tensor(mask, [batch, steps, steps])];

function maskedAttention(): km.LayersModel {
  const x = km.input({ shape: [steps, features], name: 'tokens' });
  const m = km.input({ shape: [steps, steps], name: 'mask' });
  const mha = km.layers.multiHeadAttention({ numHeads: 2, keyDim: 3, returnAttentionScores: true, biasInitializer: 'glorotUniform', name: 'attention' });
  const [out, scores] = mha.apply([x, x], { attentionMask: m }) as unknown as km.SymbolicTensor[];
  return km.model({ inputs: [x, m], outputs: [km.layers.dense({ units: 2, name: 'head' }).apply(out), scores], name: 'masked' });
}

type Topology = { config: { layers: { name: string; config: Record<string, unknown>; inbound_nodes: unknown[] }[]; output_layers: unknown[] } };

describe('MultiHeadAttention with attentionMask and returnAttentionScores in the LayersModel format', () => {
  it('writes the mask in the call kwargs as attention_mask and loads back with the same predictions', async () => {
    km.utils.setRandomSeed(12);
    const model = maskedAttention();
    const expected = (model.predict(data()) as km.Tensor[]).map((t) => Array.from(t.dataSync()));
    const artifacts = await kerasmArtifacts(model);
    const topology = artifacts.modelTopology as Topology;
    const attention = topology.config.layers.find((l) => l.name === 'attention')!;
    const kwargs = { attention_mask: ['mask', 0, 0] };
    expect(attention.inbound_nodes).toEqual([[['tokens', 0, 0, kwargs], ['tokens', 0, 0, kwargs], ['tokens', 0, 0, kwargs]]]);
    expect(attention.config.return_attention_scores).toBe(true);
    expect(topology.config.output_layers).toEqual([['head', 0, 0], ['attention', 0, 1]]);
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    (loaded.predict(data()) as km.Tensor[]).forEach((t, k) => expect(Array.from(t.dataSync())).toEqual(expected[k]));
  });

  it('reads Keras 3 inbound nodes, whose attention_mask is a keyword argument, and Keras 2 ones whose value is one too', async () => {
    km.utils.setRandomSeed(13);
    const model = maskedAttention();
    const expected = (model.predict(data()) as km.Tensor[]).map((t) => Array.from(t.dataSync()));
    const artifacts = await kerasmArtifacts(model);
    const tensor = (history: unknown[]) => ({ class_name: '__keras_tensor__', config: { shape: null, dtype: 'float32', keras_history: history } });
    const keras3 = JSON.parse(JSON.stringify(artifacts.modelTopology)) as Topology;
    keras3.config.layers.find((l) => l.name === 'attention')!.inbound_nodes = [{ args: [tensor(['tokens', 0, 0]), tensor(['tokens', 0, 0])], kwargs: { attention_mask: tensor(['mask', 0, 0]), training: false } }];
    const keras2 = JSON.parse(JSON.stringify(artifacts.modelTopology)) as Topology;
    keras2.config.layers.find((l) => l.name === 'attention')!.inbound_nodes = [[['tokens', 0, 0, { value: ['tokens', 0, 0], attention_mask: ['mask', 0, 0] }]]];
    for (const modelTopology of [keras3, keras2]) {
      const loaded = await km.loadLayersModel(km.io.fromMemory({ ...artifacts, modelTopology }));
      (loaded.predict(data()) as km.Tensor[]).forEach((t, k) => expect(Array.from(t.dataSync())).toEqual(expected[k]));
    }
  });
});
