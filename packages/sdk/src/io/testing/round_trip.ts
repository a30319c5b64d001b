import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import * as km from '../../index.js';
import { Random } from '../../utils/random.js';

/** One layer type's round trip: the same model built in kerasm and in tfjs-layers. */
export interface RoundTripCase {
  /** kerasm layers; the first declares `inputShape`. */
  kerasm: () => km.layers.Layer[];
  /** The same layers in tfjs-layers (names may differ). */
  tfjs: () => tfl.layers.Layer[];
  /** Shape of one input sample. */
  inputShape: number[];
}

const TOLERANCE = 1e-5;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

async function tfjsArtifacts(model: tfl.LayersModel): Promise<km.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved as km.io.ModelArtifacts;
}

async function kerasmArtifacts(model: km.LayersModel): Promise<km.io.ModelArtifacts> {
  let saved: km.io.ModelArtifacts | undefined;
  await model.save(km.io.withSaveHandler(async (artifacts) => void (saved = artifacts)));
  return saved!;
}

function layerConfigs(artifacts: km.io.ModelArtifacts): unknown[] {
  const topology = artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  // Layer names are generated differently by the two libraries; everything else must agree,
  // except that tfjs writes Reshape's inferred dimension as null where kerasm and Keras write -1.
  return topology.config.layers.map(({ class_name, config }) => {
    const targetShape = Array.isArray(config.target_shape) ? config.target_shape.map((d: unknown) => d ?? -1) : undefined;
    return { class_name, config: { ...config, name: undefined, ...(targetShape ? { target_shape: targetShape } : {}) } };
  });
}

/**
 * Checks a layer type against TensorFlow.js 4.22 in both directions: a kerasm model saved to the
 * LayersModel format loads in tfjs (and in kerasm) with the same weights and predictions, tfjs
 * writes the same layer configs for it, and a randomly initialised tfjs model loads in kerasm with
 * the same predictions (max abs difference ≤ 1e-5). Call it from each layer's tests.
 */
export async function checkLayersModelRoundTrip(c: RoundTripCase, seed = 1): Promise<void> {
  await tf.setBackend('cpu');
  await km.ready();
  const random = new Random(seed);
  const batch = 5;
  const xValues = Float32Array.from({ length: batch * c.inputShape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1, 1));
  const x = km.tensor(xValues, [batch, ...c.inputShape]);
  const tfX = tf.tensor(xValues, [batch, ...c.inputShape]);

  km.utils.setRandomSeed(seed);
  const ours = km.sequential(c.kerasm());
  const expected = ours.predict(x).dataSync();
  const artifacts = await kerasmArtifacts(ours);

  const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
  expect(reloaded.layers.map((l) => l.getConfig())).toEqual(ours.layers.map((l) => l.getConfig()));
  expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(expected));

  const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
  ours.getWeights().forEach((w, i) => expect(Array.from(inTfjs.getWeights()[i].dataSync())).toEqual(Array.from(w.dataSync())));
  expect(maxAbsDiff((inTfjs.predict(tfX) as tf.Tensor).dataSync(), expected)).toBeLessThanOrEqual(TOLERANCE);
  expect(layerConfigs(await tfjsArtifacts(inTfjs))).toEqual(layerConfigs(artifacts));

  const theirs = tfl.sequential({ layers: c.tfjs() });
  const fromTfjs = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(theirs)));
  expect(maxAbsDiff(fromTfjs.predict(x).dataSync(), (theirs.predict(tfX) as tf.Tensor).dataSync())).toBeLessThanOrEqual(TOLERANCE);
}
