import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { kerasmArtifacts } from './testing/round_trip.js';

// Attention and AdditiveAttention in the LayersModel format with Keras 3's config and weight names.
// tfjs-layers 4.22 has neither layer, so the round trip is kerasm to kerasm, and tfjs refuses the file.
beforeAll(() => km.ready());

const [batch, steps, features] = [3, 4, 5];
const random = new Random(67);
const tokens = () => km.tensor(Int32Array.from({ length: batch * steps }, (_, i) => (i % steps < 1 + (i % 3) ? 1 + Math.floor(random.next() * 8) : 0)), [batch, steps], 'int32');

type Topology = { config: { layers: { class_name: string; name: string; config: Record<string, unknown> }[]; output_layers: unknown[] } };

function encoderDecoder(): km.LayersModel {
  const [q, v] = [km.input({ shape: [steps], name: 'decoder_ids' }), km.input({ shape: [steps], name: 'encoder_ids' })];
  const embed = (x: km.SymbolicTensor) => km.layers.embedding({ inputDim: 9, outputDim: features, maskZero: true }).apply(x);
  const [query, value] = [embed(q), embed(v)];
  const luong = km.layers.attention({ useScale: true, scoreMode: 'concat', useCausalMask: true, dropout: 0.1, seed: 3, name: 'luong' }).apply([query, value]);
  const [bahdanau, scores] = km.layers.additiveAttention({ returnAttentionScores: true, name: 'bahdanau' }).apply([luong, value, query]) as unknown as km.SymbolicTensor[];
  return km.model({ inputs: [q, v], outputs: [km.layers.dense({ units: 2, name: 'head' }).apply(km.layers.globalAveragePooling1d().apply(bahdanau)), scores] });
}

describe('Attention and AdditiveAttention in the LayersModel format', () => {
  it("saves Keras 3's config and weight names, and loads back with the same predictions", async () => {
    km.utils.setRandomSeed(12);
    const model = encoderDecoder();
    const x = [tokens(), tokens()];
    const expected = (model.predict(x) as km.Tensor[]).map((t) => Array.from(t.dataSync()));
    const artifacts = await kerasmArtifacts(model);
    const layers = (artifacts.modelTopology as Topology).config.layers;
    const luong = layers.find((l) => l.name === 'luong')!;
    expect(luong.class_name).toBe('Attention');
    expect(luong.config).toMatchObject({ use_scale: true, score_mode: 'concat', dropout: 0.1, seed: 3, use_causal_mask: true, return_attention_scores: false });
    const bahdanau = layers.find((l) => l.name === 'bahdanau')!;
    expect(bahdanau.class_name).toBe('AdditiveAttention');
    expect(bahdanau.config).toMatchObject({ use_scale: true, dropout: 0, seed: null, use_causal_mask: false, return_attention_scores: true });
    expect(bahdanau.config).not.toHaveProperty('score_mode');
    expect(artifacts.weightSpecs!.filter((w) => /luong|bahdanau/.test(w.name)).map((w) => [w.name, w.shape])).toEqual([
      ['luong/scale', []], ['luong/concat_score_weight', []], ['bahdanau/scale', [features]],
    ]);
    expect((artifacts.modelTopology as Topology).config.output_layers).toEqual([['head', 0, 0], ['bahdanau', 0, 1]]);

    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    (loaded.predict(x) as km.Tensor[]).forEach((t, k) => expect(Array.from(t.dataSync())).toEqual(expected[k]));

    await tf.setBackend('cpu');
    await expect(tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).rejects.toThrow(/Unknown layer: (Attention|AdditiveAttention)/);
  });

  it('loads a config as Keras 3 writes it, without the options Keras takes at call time', async () => {
    km.utils.setRandomSeed(14);
    const model = encoderDecoder();
    const artifacts = await kerasmArtifacts(model);
    const topology = JSON.parse(JSON.stringify(artifacts.modelTopology)) as Topology;
    const luong = topology.config.layers.find((l) => l.name === 'luong')!;
    for (const key of ['seed', 'use_causal_mask', 'return_attention_scores']) delete luong.config[key];
    const loaded = await km.loadLayersModel(km.io.fromMemory({ ...artifacts, modelTopology: topology }));
    const layer = loaded.getLayer('luong') as km.layers.Attention;
    expect([layer.useScale, layer.scoreMode, layer.dropout, layer.useCausalMask, layer.returnAttentionScores]).toEqual([true, 'concat', 0.1, false, false]);
  });
});
