import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

let saved: Promise<km.io.ModelArtifacts> | undefined;

/** A saved two-layer functional model (one, so its weights stay the same), for editing into bad or Keras 3 variants. */
function savedFunctional(): Promise<km.io.ModelArtifacts> {
  saved ??= saveFunctional();
  return saved;
}

async function saveFunctional(): Promise<km.io.ModelArtifacts> {
  const x = km.input({ shape: [3], name: 'features' });
  const h = km.layers.dense({ units: 2, name: 'hidden' }).apply(x);
  const y = km.layers.dense({ units: 1, name: 'head' }).apply(h);
  let artifacts: km.io.ModelArtifacts | undefined;
  await km.model({ inputs: x, outputs: y }).save(km.io.withSaveHandler(async (a) => void (artifacts = a)));
  return artifacts!;
}

type Entry = { name: string; class_name: string; config: Record<string, unknown>; inbound_nodes: unknown[] };

async function loadEdited(edit: (layers: Entry[], config: Record<string, unknown>) => void): Promise<km.LayersModel> {
  const artifacts = structuredClone(await savedFunctional());
  const config = (artifacts.modelTopology as { config: Record<string, unknown> }).config;
  edit(config.layers as Entry[], config);
  return km.loadLayersModel(km.io.fromMemory(artifacts));
}

describe('loading functional topologies', () => {
  it('reads layers listed before the layers they read, and Keras 3 keras_history inbound nodes', async () => {
    const reference = await km.loadLayersModel(km.io.fromMemory(await savedFunctional()));
    const x = km.tensor([[0.5, -1, 2]]);
    const reordered = await loadEdited((layers) => layers.reverse());
    expect(Array.from(reordered.predict(x).dataSync())).toEqual(Array.from(reference.predict(x).dataSync()));
    const keras3 = await loadEdited((layers) => {
      for (const entry of layers) {
        entry.inbound_nodes = (entry.inbound_nodes as [string, number, number][][]).map((node) => ({
          args: node.map(([name, n, t]) => ({ class_name: '__keras_tensor__', config: { shape: null, dtype: 'float32', keras_history: [name, n, t] } })),
          kwargs: {},
        }));
      }
    });
    expect(Array.from(keras3.predict(x).dataSync())).toEqual(Array.from(reference.predict(x).dataSync()));
  });

  it('names the file and the layer for what kerasm cannot load', async () => {
    await expect(loadEdited((layers) => (layers[2].inbound_nodes = [[['hidden', 1, 0, {}]]]))).rejects.toThrow(/layer 2 'head' \(Dense\) reads 'hidden\[1\]', which no layer call of the model produces/);
    await expect(loadEdited((layers) => (layers[2].inbound_nodes = [[['hidden', 0, 1, {}]]]))).rejects.toThrow(/layer 2 'head' \(Dense\) reads output 1 of 'hidden\[0\]', which has 1 output \(tensor index 0\)/);
    await expect(loadEdited((layers) => (layers[2].inbound_nodes = [[['nowhere', 0, 0, {}]]]))).rejects.toThrow(/layer 2 'head' \(Dense\) reads 'nowhere\[0\]', which no layer call of the model produces/);
    await expect(loadEdited((layers) => (layers[2].inbound_nodes = [[['hidden', 0, 0, {}]], [['features', 0, 0, {}]]]))).rejects.toThrow(
      /layer 2 'head' \(Dense\), call 1: Layer 'head' \(Dense\) was built for input shape \(None, 2\), but this call gives it \(None, 3\)/,
    );
    await expect(loadEdited((layers) => (layers[1].inbound_nodes = []))).rejects.toThrow(/layer 1 'hidden' \(Dense\) has no inbound_nodes, so nothing feeds it/);
    await expect(loadEdited((_, config) => (config.output_layers = [['tail', 0, 0]]))).rejects.toThrow(/output_layers lists \["tail",0,0\], which is not an output of a layer call of the model\. Expected \[layer_name, call, tensor\] naming one of: features\[0\], hidden\[0\], head\[0\]/);
    await expect(loadEdited((layers) => (layers[0].config.batch_input_shape = [null, null]))).rejects.toThrow(
      /layer 1 'hidden' \(Dense\): Layer 'hidden' \(Dense\) has weight 'hidden\/kernel' of shape \[240, 2\] .* its weights depend on a dimension that the model input leaves unknown/,
    );
    await expect(loadEdited((layers) => (layers[1].config.units = 0))).rejects.toThrow(/layer 1 'hidden' \(Dense\): .*units must be a positive integer\. Received: units=0/);
  });
});
