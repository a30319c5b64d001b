import { backend, ready } from '../backend/registry.js';
import { Functional } from '../engine/functional.js';
import type { LayersModel } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { weightOrder } from '../engine/params.js';
import type { Layer } from '../layers/layer.js';
import { Tensor } from '../tensor.js';
import { FUNCTIONAL_CLASS_NAMES, functionalFromTopology } from './functional_topology.js';
import { layersFromTopology, modelConfigOf } from './layers_model_format.js';
import { restoreOptimizerWeights } from './optimizer_weights.js';
import { describeSource, handlerFor } from './router.js';
import { compileArgsOf } from './training_config.js';
import type { IOHandler, ModelArtifacts } from './types.js';
import { concatWeightData, decodeWeights, type NamedWeight } from './weights.js';

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
  if (artifacts.format !== undefined && artifacts.format !== 'layers-model') {
    throw new Error(`${where} is a '${artifacts.format}', not a 'layers-model'. kerasm loads LayersModels; load graph models with tf.loadGraphModel from TensorFlow.js.`);
  }
  if (artifacts.modelTopology === undefined || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error(`${where} has no JSON modelTopology. A LayersModel's model.json needs one; was this file saved by model.save()?`);
  }
  const model = modelFromTopology(artifacts.modelTopology, where);
  const layers = model.layers;
  await ready();
  if (artifacts.trainingConfig) {
    const args = compileArgsOf(artifacts.trainingConfig);
    if (typeof args === 'string') console.warn(`kerasm: ${where} loads uncompiled because ${args}; call model.compile() before training.`);
    else model.compile(args);
  }
  const saved = decodeWeights(artifacts.weightSpecs ?? [], concatWeightData(artifacts.weightData), where);
  const modelWeights = [...saved.values()].filter((w) => w.group !== 'optimizer');
  model.setWeights(matchWeights(layers, modelWeights, where));
  const optimizerWeights = [...saved.values()].filter((w) => w.group === 'optimizer');
  if (optimizerWeights.length > 0 && model.optimizer) {
    restoreOptimizerWeights(model.optimizer, layers, backend(), new Map(optimizerWeights.map((w) => [w.name, w])), where);
  }
  return model;
}

/** A Sequential or functional model, built from its saved topology. */
function modelFromTopology(topology: unknown, where: string): LayersModel {
  if (FUNCTIONAL_CLASS_NAMES.includes(String(modelConfigOf(topology, where).class_name))) {
    const { name, inputs, outputs } = functionalFromTopology(modelConfigOf(topology, where), where);
    try {
      return new Functional({ inputs, outputs, name });
    } catch (err) {
      throw new Error(`${where}: ${(err as Error).message}`);
    }
  }
  const { name, layers } = layersFromTopology(topology, where);
  const model = new Sequential({ layers, name });
  if (!model.inputShape) throw new Error(`${where}: the first layer '${layers[0].name}' has no batch_input_shape, so the model cannot be built. Add batch_input_shape to its config.`);
  return model;
}

/** Pairs each layer weight with its saved tensor by name, checking shapes; every saved weight must be used. */
function matchWeights(layers: readonly Layer[], saved: readonly NamedWeight[], where: string): Tensor[] {
  const unused = new Set(saved.map((w) => w.name));
  const tensors = weightOrder(layers).map(({ layer, spec }) => {
      // Keras' converter may prefix names with the model's (`sequential/dense/kernel`).
      const found = saved.find((w) => w.name === spec.name) ?? onlyOne(saved.filter((w) => w.name.endsWith(`/${spec.name}`)));
      if (!found) {
        throw new Error(`${where}: weight '${spec.name}' of layer '${layer.name}' (${layer.className}) is missing from the weights manifest. Found: ${saved.map((w) => w.name).join(', ') || 'none'}.`);
      }
      const same = found.shape.length === spec.shape.length && found.shape.every((d, i) => d === spec.shape[i]);
      if (!same) {
        throw new Error(`${where}: weight '${found.name}' has shape [${found.shape.join(', ')}] in the manifest, but layer '${layer.name}' (${layer.className}) expects [${spec.shape.join(', ')}]. The weights do not belong to this topology.`);
      }
      if (!(found.values instanceof Float32Array)) {
        throw new Error(`${where}: weight '${found.name}' is stored as int32, but layer '${layer.name}' expects float32 weights.`);
      }
      unused.delete(found.name);
      return new Tensor(found.values, spec.shape, 'float32');
  });
  if (unused.size > 0) {
    throw new Error(`${where}: the weights manifest has weights no layer uses: ${[...unused].join(', ')}. The weights do not belong to this topology.`);
  }
  return tensors;
}

function onlyOne<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}
