import type { LayersModel } from '../engine/model.js';
import { isObject } from './layers_model_format.js';
import { modelFromTopology } from './load_model.js';

/**
 * Builds a model from its topology alone, as `model.toJSON()` writes it (also Keras' `to_json()` and
 * a `model.json`'s `modelTopology`), with freshly initialised weights and uncompiled: Keras'
 * `model_from_json` and tfjs' `tf.models.modelFromJSON`. It reads no weights, so a whole
 * `model.json` that lists some is refused: load that one with `km.loadLayersModel`.
 *
 * @param json The topology as a JSON string or a parsed object, or `{ modelTopology }`.
 * @example
 * ```ts
 * const json = model.toJSON();
 * const fresh = km.models.modelFromJSON(json);
 * ```
 */
export function modelFromJSON(json: string | Record<string, unknown>): LayersModel {
  const where = 'modelFromJSON';
  let topology: unknown = json;
  if (typeof json === 'string') {
    try {
      topology = JSON.parse(json);
    } catch (err) {
      throw new Error(`${where}: the string is not valid JSON (${(err as Error).message}). Pass what model.toJSON() returns.`);
    }
  }
  if (isObject(topology) && 'modelTopology' in topology) {
    if (topology.weightsManifest !== undefined) {
      throw new Error(`${where} builds a model with fresh weights and reads none, but this model.json lists weights. Load it with its weights through km.loadLayersModel(path), or pass its modelTopology alone.`);
    }
    topology = topology.modelTopology;
  }
  return modelFromTopology(topology, where);
}
