import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { tfjsArtifacts } from './testing/round_trip.js';

// loadLayersModel's refusals over input shapes carry the inputs as fields, for programs (the CLI)
// that word their own advice.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

/** tokens (None, None) and features (None, 3) -> concatenated pools -> Dense, as tfjs saves it. */
function twoInputModel(): tfl.LayersModel {
  const tokens = tfl.input({ shape: [null as unknown as number], name: 'tokens' });
  const features = tfl.input({ shape: [3], name: 'features' });
  const embedded = tfl.layers.embedding({ inputDim: 10, outputDim: 3 }).apply(tokens) as tfl.SymbolicTensor;
  const pooled = tfl.layers.globalAveragePooling1d().apply(embedded) as tfl.SymbolicTensor;
  const joined = tfl.layers.concatenate().apply([pooled, features]) as tfl.SymbolicTensor;
  return tfl.model({ inputs: [tokens, features], outputs: tfl.layers.dense({ units: 2 }).apply(joined) as tfl.SymbolicTensor });
}

async function refusal(load: Promise<unknown>): Promise<km.io.InputShapesError> {
  const err = await load.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(km.io.InputShapesError);
  return err as km.io.InputShapesError;
}

describe('InputShapesError', () => {
  it('names the problem, the inputs it is about, and every input with its saved batch shape', async () => {
    const artifacts = await tfjsArtifacts(twoInputModel());
    const load = (inputShapes?: Record<string, number[]>) => km.loadLayersModel(km.io.fromMemory(artifacts), { inputShapes });
    const inputs = [
      { name: 'tokens', batchShape: [null, null] },
      { name: 'features', batchShape: [null, 3] },
    ];

    // Without the option the unknown dimension stays unknown.
    expect((await load()).inputs.map((x) => x.shape)).toEqual([[null], [3]]);

    const stray = await refusal(load({ token: [5], feature: [3] }));
    expect({ kind: stray.kind, names: stray.names, inputs: stray.inputs }).toEqual({ kind: 'unknownInput', names: ['token', 'feature'], inputs });

    const wrong = await refusal(load({ tokens: [5], features: [4] }));
    expect({ kind: wrong.kind, names: wrong.names, inputs: wrong.inputs }).toEqual({ kind: 'shapeMismatch', names: ['features'], inputs });
    expect(wrong.message).toContain("inputShapes.features must be the sample shape of input 'features', saved as (None, 3)");

    // The shapes given are not written into the inputs reported, which are the file's.
    expect((await load({ tokens: [4], features: [3] })).inputs.map((x) => x.shape)).toEqual([[4], [3]]);
  });
});
