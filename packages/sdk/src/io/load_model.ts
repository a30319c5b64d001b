import { backend, ready } from '../backend/registry.js';
import { Functional } from '../engine/functional.js';
import type { LayersModel } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { FUNCTIONAL_CLASS_NAMES, functionalFromTopology } from './functional_topology.js';
import { layersFromTopology, modelConfigOf } from './layers_model_format.js';
import { SavedLayers } from './saved_layers.js';
import { checkLayersModelFormat } from './load_weights.js';
import { restoreOptimizerWeights } from './optimizer_weights.js';
import { describeSource, handlerFor } from './router.js';
import { compileArgsOf, withOutputKeys } from './training_config.js';
import type { IOHandler, ModelArtifacts } from './types.js';
import { weightsByName } from './match_weights.js';
import { savedWeights } from './weights.js';

/**
 * Loads a model saved in the TensorFlow.js LayersModel format, by kerasm, by tfjs or by Keras'
 * converter. A saved training config compiles the model, and saved optimizer state lets `fit`
 * resume where it stopped.
 *
 * @param source The `model.json` URL or path (a folder works too in Node), or a `km.io` handler.
 * @example
 * ```ts
 * const model = await km.loadLayersModel('file://out/mnist/model.json');
 * model.predict(x);
 * ```
 */
export async function loadLayersModel(source: string | IOHandler): Promise<LayersModel> {
  const handler = await handlerFor(source, 'load');
  return modelFromArtifacts(await handler.load!(), describeSource(source));
}

/** Builds, compiles and fills a model from loaded artifacts; `where` names the source in errors. */
export async function modelFromArtifacts(artifacts: ModelArtifacts, where: string): Promise<LayersModel> {
  checkLayersModelFormat(artifacts, where);
  if (artifacts.modelTopology === undefined || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error(`${where} has no JSON modelTopology. A LayersModel's model.json needs one; was this file saved by model.save()?`);
  }
  const model = modelFromTopology(artifacts.modelTopology, where);
  if (!model.inputShape) throw new Error(`${where}: the first layer '${model.allLayers[0]?.name}' has no batch_input_shape, so the model cannot be built. Add batch_input_shape to its config.`);
  const layers = model.allLayers;
  await ready();
  if (artifacts.trainingConfig) {
    const args = compileArgsOf(withOutputKeys(artifacts.trainingConfig, model));
    if (typeof args === 'string') console.warn(`kerasm: ${where} loads uncompiled because ${args}; call model.compile() before training.`);
    else model.compile(args);
  }
  const saved = savedWeights(artifacts, where);
  model.setWeights(weightsByName(layers, saved.layers, where));
  if (artifacts.userDefinedMetadata) model.setUserDefinedMetadata(artifacts.userDefinedMetadata);
  const optimizerWeights = saved.optimizer;
  if (optimizerWeights.length > 0 && model.optimizer) {
    restoreOptimizerWeights(model.optimizer, model.computedLayers, backend(), new Map(optimizerWeights.map((w) => [w.name, w])), where);
  }
  return model;
}

/**
 * A Sequential or functional model made from its saved topology, with fresh weights; a Sequential
 * one without an input shape is left unbuilt. Models saved inside it are made with the same
 * `layers`, so a layer they share with it is one layer.
 */
export function modelFromTopology(topology: unknown, where: string, layers = new SavedLayers()): LayersModel {
  const load = { nested: (entry: unknown, at: string) => modelFromTopology(entry, at, layers), layers };
  if (FUNCTIONAL_CLASS_NAMES.includes(String(modelConfigOf(topology, where).class_name))) {
    const { name, inputs, outputs } = functionalFromTopology(modelConfigOf(topology, where), where, load);
    try {
      return new Functional({ inputs, outputs, name });
    } catch (err) {
      throw new Error(`${where}: ${(err as Error).message}`);
    }
  }
  const stacked = layersFromTopology(topology, where, load);
  return new Sequential({ layers: stacked.layers, name: stacked.name });
}
