import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import * as km from '../../index.js';
import { weightOrder } from '../../engine/params.js';
import { Random } from '../../utils/random.js';

/** One layer type's round trip: the same model built in kerasm and in tfjs-layers. */
export interface RoundTripCase {
  /** kerasm layers; the first declares `inputShape`. */
  kerasm: () => km.layers.Layer[];
  /** The same layers in tfjs-layers (names may differ). */
  tfjs: () => tfl.layers.Layer[];
  /** Shape of one input sample. */
  inputShape: number[];
  /** Draws one input value (default uniform in [-1, 1]); token ids for an Embedding. */
  inputValue?: (random: Random) => number;
  /** Layer config fields (snake_case) that tfjs-layers 4.22 leaves out when it saves, ignored when the topologies are compared. */
  tfjsOmits?: string[];
}

const TOLERANCE = 1e-5;

/** Largest |a[i] − b[i]|, after checking the lengths agree. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** What tfjs-layers saves for `model`, captured in memory. */
export async function tfjsArtifacts(model: tfl.LayersModel): Promise<km.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved as km.io.ModelArtifacts;
}

/** What kerasm saves for `model`, captured in memory. */
export async function kerasmArtifacts(model: km.LayersModel): Promise<km.io.ModelArtifacts> {
  let saved: km.io.ModelArtifacts | undefined;
  await model.save(km.io.withSaveHandler(async (artifacts) => void (saved = artifacts)));
  return saved!;
}

/** Each layer's entry as saved; tfjs writes Reshape's inferred dimension as null where kerasm and Keras write -1. */
function layerEntries(artifacts: km.io.ModelArtifacts): Record<string, unknown>[] {
  const topology = artifacts.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } };
  return topology.config.layers.map((entry) => {
    const { config } = entry;
    const targetShape = Array.isArray(config.target_shape) ? config.target_shape.map((d: unknown) => d ?? -1) : undefined;
    return { ...entry, config: { ...config, ...(targetShape ? { target_shape: targetShape } : {}) } };
  });
}

async function checkBothDirections(c: FunctionalRoundTripCase, seed: number, sameTopology: (tfjsSaved: km.io.ModelArtifacts, ours: km.io.ModelArtifacts) => void): Promise<void> {
  await tf.setBackend('cpu');
  await km.ready();
  const random = new Random(seed);
  const batch = 5;
  const draw = c.inputValue ?? ((r: Random) => r.uniform(-1, 1));
  const xValues = Float32Array.from({ length: batch * c.inputShape.reduce((a, b) => a * b, 1) }, () => draw(random));
  const x = km.tensor(xValues, [batch, ...c.inputShape]);
  const tfX = tf.tensor(xValues, [batch, ...c.inputShape]);

  km.utils.setRandomSeed(seed);
  const ours = c.kerasm();
  const expected = ours.predict(x).dataSync();
  const artifacts = await kerasmArtifacts(ours);

  const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
  expect(reloaded.layers.map((l) => l.getConfig())).toEqual(ours.layers.map((l) => l.getConfig()));
  expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(expected));

  const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
  // By name: the two libraries may order the layers of a graph differently.
  const tfjsWeights = new Map(inTfjs.weights.map((w) => [w.originalName, w.read()]));
  // In getWeights() order: trainable weights first, as Keras and tfjs list them.
  const ourNames = weightOrder(ours.allLayers).map(({ spec }) => spec.name);
  expect([...tfjsWeights.keys()].sort()).toEqual([...ourNames].sort());
  ours.getWeights().forEach((w, i) => expect(Array.from(tfjsWeights.get(ourNames[i])!.dataSync())).toEqual(Array.from(w.dataSync())));
  expect(maxAbsDiff((inTfjs.predict(tfX) as tf.Tensor).dataSync(), expected)).toBeLessThanOrEqual(TOLERANCE);
  sameTopology(await tfjsArtifacts(inTfjs), artifacts);

  const theirs = c.tfjs();
  const fromTfjs = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(theirs)));
  expect(maxAbsDiff(fromTfjs.predict(x).dataSync(), (theirs.predict(tfX) as tf.Tensor).dataSync())).toBeLessThanOrEqual(TOLERANCE);
}

/**
 * Checks a layer type against TensorFlow.js 4.22 in both directions: a kerasm model saved to the
 * LayersModel format loads in tfjs (and in kerasm) with the same weights and predictions, tfjs
 * writes the same layer configs for it, and a randomly initialised tfjs model loads in kerasm with
 * the same predictions (max abs difference ≤ 1e-5). Call it from each layer's tests.
 */
export async function checkLayersModelRoundTrip(c: RoundTripCase, seed = 1): Promise<void> {
  await checkBothDirections(
    { kerasm: () => km.sequential(c.kerasm()), tfjs: () => tfl.sequential({ layers: c.tfjs() }), inputShape: c.inputShape, inputValue: c.inputValue },
    seed,
    // Layer names are generated differently by the two libraries; everything else must agree.
    (tfjsSaved, ours) => {
      const omitted = Object.fromEntries((c.tfjsOmits ?? []).map((key) => [key, undefined]));
      // tfjs names a loaded StackedRNNCells anew, so an RNN's nested cell name is left out too.
      const unnamedCell = (cell: unknown) => (cell && typeof cell === 'object' ? { ...cell, config: { ...(cell as { config: object }).config, name: undefined } } : cell);
      const unnamed = (a: km.io.ModelArtifacts) => layerEntries(a).map((e) => ({ ...e, config: { ...(e.config as object), name: undefined, ...omitted, ...('cell' in (e.config as object) ? { cell: unnamedCell((e.config as { cell: unknown }).cell) } : {}) } }));
      expect(unnamed(tfjsSaved)).toEqual(unnamed(ours));
    },
  );
}

/** A functional model built the same way in kerasm and in tfjs-layers. */
export interface FunctionalRoundTripCase {
  /** Builds the model with `km.input`, `layer.apply` and `km.model`. */
  kerasm: () => km.LayersModel;
  /** Builds the same graph with `tfl.input`, `apply` and `tfl.model` (names may differ). */
  tfjs: () => tfl.LayersModel;
  /** Shape of one input sample. */
  inputShape: number[];
  /** Draws one input value (default uniform in [-1, 1]). */
  inputValue?: (random: Random) => number;
}

/**
 * {@link checkLayersModelRoundTrip} for functional models: the saved topology (InputLayers,
 * `inbound_nodes`, `input_layers`, `output_layers`) must be what tfjs writes for the same model,
 * and predictions must agree in both directions.
 */
export async function checkFunctionalRoundTrip(c: FunctionalRoundTripCase, seed = 1): Promise<void> {
  await checkBothDirections(c, seed, (tfjsSaved, ours) => {
    // tfjs keeps the names it loaded, so here the whole topology must agree, in any layer order.
    const byName = (a: km.io.ModelArtifacts) => new Map(layerEntries(a).map((e) => [e.name, e]));
    expect(byName(tfjsSaved)).toEqual(byName(ours));
    const endpoints = (a: km.io.ModelArtifacts) => {
      const { config } = a.modelTopology as { config: Record<string, unknown> };
      return { name: config.name, input_layers: config.input_layers, output_layers: config.output_layers };
    };
    expect(endpoints(tfjsSaved)).toEqual(endpoints(ours));
    expect((tfjsSaved.modelTopology as { class_name: string }).class_name).toBe((ours.modelTopology as { class_name: string }).class_name);
  });
}
