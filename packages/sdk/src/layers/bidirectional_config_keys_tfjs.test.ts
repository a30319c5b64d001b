import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { maxAbsDiff, tfjsArtifacts } from '../io/testing/round_trip.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { Random } from '../utils/random.js';

// A Bidirectional's config as tfjs-layers 4.22 writes it loads in kerasm, and so does the same config
// with the key Keras 3's Bidirectional adds to its layers: zero_output_for_mask set to
// return_sequences (keras/src/layers/rnn/bidirectional.py, force_zero_output_for_mask). Bidirectional
// itself says which inner keys it sets (Wrapper.setsInnerConfigKey); config_keys.ts only asks.
beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const [n, steps, features] = [4, 5, 3];
const random = new Random(37);
const xs = Float32Array.from({ length: n * steps * features }, () => random.uniform(-1, 1));

/** tfjs' model x → Bidirectional(LSTM) named 'bi', its saved artifacts, and its predictions. */
async function tfjsBidirectional(returnSequences: boolean) {
  const input = tfl.input({ shape: [steps, features] });
  const output = tfl.layers.bidirectional({ name: 'bi', layer: tfl.layers.lstm({ units: 2, returnSequences }) as tfl.RNN }).apply(input) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: output });
  const expected = (model.predict(tf.tensor(xs, [n, steps, features])) as tf.Tensor).dataSync();
  return { artifacts: await tfjsArtifacts(model), expected };
}

type Topology = { config: { layers: { name: string; config: { layer: { config: Record<string, unknown> } } }[] } };

/** The artifacts with Keras 3's `zero_output_for_mask: true` added to the Bidirectional's layer. */
function withZeroOutputForMask(artifacts: km.io.ModelArtifacts): km.io.ModelArtifacts {
  const topology = structuredClone(artifacts.modelTopology) as Topology;
  topology.config.layers.find((l) => l.name === 'bi')!.config.layer.config.zero_output_for_mask = true;
  return { ...artifacts, modelTopology: topology };
}

const predict = (model: km.LayersModel) => (model.predict(km.tensor(xs, [n, steps, features])) as km.Tensor).dataSync();

describe("Bidirectional's config from tfjs-layers 4.22, and Keras 3's zero_output_for_mask in it", () => {
  it('loads as tfjs wrote it, with the same outputs and no warning', async () => {
    const { artifacts, expected } = await tfjsBidirectional(true);
    const warn = vi.spyOn(console, 'warn');
    const model = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(maxAbsDiff(predict(model), expected)).toBeLessThan(1e-5);
    expect(warn).not.toHaveBeenCalled();
  });

  it('with zero_output_for_mask: true on a sequence-returning layer, loads without a warning: kerasm zeroes those steps as Keras does', async () => {
    const { artifacts, expected } = await tfjsBidirectional(true);
    const warn = vi.spyOn(console, 'warn');
    const model = await km.loadLayersModel(km.io.fromMemory(withZeroOutputForMask(artifacts)));
    expect(maxAbsDiff(predict(model), expected)).toBeLessThan(1e-5);
    expect(warn).not.toHaveBeenCalled();
  });

  it('with zero_output_for_mask: true on a layer returning its last step only, loading warns of it, naming what it asks for', async () => {
    const { artifacts } = await tfjsBidirectional(false);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await km.loadLayersModel(km.io.fromMemory(withZeroOutputForMask(artifacts)));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain("layer 'bi' (Bidirectional): layer.config.zero_output_for_mask=true asks for zeros as the output at masked steps");
  });

  it("layerFromConfig on tfjs' getConfig() of the layer: taken as written, and with the Keras 3 key only where Bidirectional sets it", () => {
    const config = (returnSequences: boolean) => tfl.layers.bidirectional({ layer: tfl.layers.lstm({ units: 2, returnSequences }) as tfl.RNN }).getConfig() as Record<string, unknown> & { layer: { config: Record<string, unknown> } };
    const written = config(true);
    expect((km.layers.layerFromConfig('Bidirectional', written) as km.layers.Bidirectional).returnSequences).toBe(true);
    written.layer.config.zeroOutputForMask = true;
    const layer = km.layers.layerFromConfig('Bidirectional', written) as km.layers.Bidirectional;
    expect(layer.setsInnerConfigKey(['layer', 'config', 'zeroOutputForMask'], true)).toBe(true);
    expect(layer.setsInnerConfigKey(['layer', 'config', 'zeroOutputForMask'], false)).toBe(false);
    expect(layer.setsInnerConfigKey(['layer', 'config', 'units'], true)).toBe(false);
    const lastStep = config(false);
    lastStep.layer.config.zeroOutputForMask = true;
    expect(() => km.layers.layerFromConfig('Bidirectional', lastStep)).toThrow("the LSTM in Bidirectional's layer.config.zeroOutputForMask=true asks for zeros as the output at masked steps");
  });
});
