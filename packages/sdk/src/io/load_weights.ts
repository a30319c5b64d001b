import type { LayersModel } from '../engine/model.js';
import { weightsByNameOrPosition, weightsByNameSkipping } from './match_weights.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { describeSource, handlerFor } from './router.js';
import type { IOHandler, ModelArtifacts } from './types.js';
import { savedWeights } from './weights.js';

/** Throws unless the artifacts are a LayersModel's (a graph model's weights fit no layers). */
export function checkLayersModelFormat(artifacts: ModelArtifacts, where: string): void {
  if (artifacts.format !== undefined && artifacts.format !== 'layers-model') {
    throw new Error(`${where} is a '${artifacts.format}', not a 'layers-model'. Load a graph model with km.loadGraphModel (inference only), or convert the Keras model with tensorflowjs_converter --output_format tfjs_layers_model to train it.`);
  }
}

/** Options of `model.loadWeights`. */
export interface LoadWeightsOptions {
  /**
   * Load what fits and leave the rest (Keras' `skip_mismatch`): weights pair by name only, and a
   * weight the file lacks, or holds in another shape (a new classifier head), keeps its value,
   * with a warning that lists each one. Default false: everything must fit.
   */
  skipMismatch?: boolean;
}

/**
 * `model.loadWeights`: replaces the model's weights with a saved model's, once all of them are
 * read and found to fit; on any error the model keeps the weights it had. Optimizer state in the
 * file is not read.
 */
export async function loadWeightsInto(model: LayersModel, source: string | IOHandler, options: LoadWeightsOptions = {}): Promise<void> {
  checkOptions(options, optionNames<LoadWeightsOptions>({ skipMismatch: true }), 'loadWeights');
  if (options.skipMismatch !== undefined && typeof options.skipMismatch !== 'boolean') {
    throw new Error(`loadWeights skipMismatch must be true or false. Received: skipMismatch=${JSON.stringify(options.skipMismatch)}.`);
  }
  if (isTensorMap(source)) {
    throw new Error(`loadWeights reads a saved model (a path, a URL or a km.io handler), not a map of tensors as tfjs' model.loadWeights does. To set weights from tensors, call model.setWeights([...]) with them in model.getWeights() order (${model.getWeights().length} tensors).`);
  }
  const where = describeSource(source);
  const artifacts = await (await handlerFor(source, 'load')).load!();
  checkLayersModelFormat(artifacts, where);
  const modelWeights = savedWeights(artifacts, where).layers;
  if (!options.skipMismatch) {
    model.setWeights(weightsByNameOrPosition(model.allLayers, modelWeights, where));
    return;
  }
  const { tensors, skipped } = weightsByNameSkipping(model.allLayers, modelWeights, where);
  if (skipped.length === tensors.length) {
    throw new Error(`${where}: no weight of the file fits this model by name, so skipMismatch would load nothing (${skipped[0]}). Load weights saved from layers of these names, or without skipMismatch to pair them by position.`);
  }
  if (skipped.length > 0) console.warn(`kerasm: loadWeights from ${where} kept ${skipped.length} of the model's weights as they were: ${skipped.join('; ')}.`);
  const current = model.getWeights();
  model.setWeights(tensors.map((t, i) => t ?? current[i]));
}

/** tfjs' `loadWeights` takes `{ name: tensor }`, which is no handler: every value has a shape. */
function isTensorMap(source: unknown): boolean {
  if (typeof source !== 'object' || source === null || 'load' in source || 'save' in source) return false;
  const values = Object.values(source);
  return values.length > 0 && values.every((v) => typeof v === 'object' && v !== null && 'shape' in v);
}
