import type { LayersModel } from '../engine/model.js';
import { weightsByNameOrPosition } from './match_weights.js';
import { describeSource, handlerFor } from './router.js';
import type { IOHandler, ModelArtifacts } from './types.js';
import { concatWeightData, decodeWeights } from './weights.js';

/** Throws unless the artifacts are a LayersModel's (a graph model's weights fit no layers). */
export function checkLayersModelFormat(artifacts: ModelArtifacts, where: string): void {
  if (artifacts.format !== undefined && artifacts.format !== 'layers-model') {
    throw new Error(`${where} is a '${artifacts.format}', not a 'layers-model'. kerasm loads LayersModels; load graph models with tf.loadGraphModel from TensorFlow.js.`);
  }
}

/**
 * `model.loadWeights`: replaces the model's weights with a saved model's, once all of them are
 * read and found to fit; on any error the model keeps the weights it had. Optimizer state in the
 * file is not read.
 */
export async function loadWeightsInto(model: LayersModel, source: string | IOHandler): Promise<void> {
  if (isTensorMap(source)) {
    throw new Error(`loadWeights reads a saved model (a path, a URL or a km.io handler), not a map of tensors as tfjs' model.loadWeights does. To set weights from tensors, call model.setWeights([...]) with them in model.getWeights() order (${model.getWeights().length} tensors).`);
  }
  const where = describeSource(source);
  const artifacts = await (await handlerFor(source, 'load')).load!();
  checkLayersModelFormat(artifacts, where);
  const saved = decodeWeights(artifacts.weightSpecs ?? [], concatWeightData(artifacts.weightData), where);
  const modelWeights = [...saved.values()].filter((w) => w.group !== 'optimizer');
  model.setWeights(weightsByNameOrPosition(model.layers, modelWeights, where));
}

/** tfjs' `loadWeights` takes `{ name: tensor }`, which is no handler: every value has a shape. */
function isTensorMap(source: unknown): boolean {
  if (typeof source !== 'object' || source === null || 'load' in source || 'save' in source) return false;
  const values = Object.values(source);
  return values.length > 0 && values.every((v) => typeof v === 'object' && v !== null && 'shape' in v);
}
