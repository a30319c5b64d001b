import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, tfjsArtifacts } from './testing/round_trip.js';

beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

afterEach(() => vi.restoreAllMocks());

const small = () => km.sequential([km.layers.dense({ units: 2, inputShape: [3] })]);

describe("user-defined metadata (tfjs' setUserDefinedMetadata)", () => {
  it('is saved in model.json and given back by loadLayersModel, in kerasm and in tfjs', async () => {
    const model = small();
    expect(model.getUserDefinedMetadata()).toBeUndefined();
    const metadata = { labels: ['cat', 'dog'], version: 3, scale: { mean: 0.5 } };
    model.setUserDefinedMetadata(metadata);
    metadata.labels.push('changed later');
    const artifacts = await kerasmArtifacts(model);
    expect(artifacts.userDefinedMetadata).toEqual({ labels: ['cat', 'dog'], version: 3, scale: { mean: 0.5 } });
    expect((await km.loadLayersModel(km.io.fromMemory(artifacts))).getUserDefinedMetadata()).toEqual(artifacts.userDefinedMetadata);
    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(inTfjs.getUserDefinedMetadata()).toEqual(artifacts.userDefinedMetadata);

    const theirs = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3] })] });
    theirs.setUserDefinedMetadata({ from: 'tfjs' });
    expect((await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(theirs)))).getUserDefinedMetadata()).toEqual({ from: 'tfjs' });
    // saveWeights writes weights alone, and undefined clears the metadata.
    let weightsOnly: km.io.ModelArtifacts | undefined;
    await model.saveWeights(km.io.withSaveHandler(async (a) => void (weightsOnly = a)));
    expect(weightsOnly!.userDefinedMetadata).toBeUndefined();
    model.setUserDefinedMetadata(undefined);
    expect((await kerasmArtifacts(model)).userDefinedMetadata).toBeUndefined();
  });

  it('refuses what is not a plain JSON object, and warns above 1 MB as tfjs does', () => {
    const model = small();
    const where = `Model '${model.name}'.setUserDefinedMetadata`;
    expect(() => model.setUserDefinedMetadata(['a'] as never)).toThrow(`${where} expects a plain object of JSON values, e.g. { labels: ['cat', 'dog'] }. Received: an array.`);
    expect(() => model.setUserDefinedMetadata(new Map() as never)).toThrow(/Received: Map\./);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => model.setUserDefinedMetadata(cyclic)).toThrow(new RegExp(`${where}: the metadata cannot be written as JSON \\(.*\\)\\. Keep to objects`));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    model.setUserDefinedMetadata({ big: 'x'.repeat(1024 * 1024) });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/the metadata is 1048\d{3} bytes as JSON, over 1 MB/));
  });
});
