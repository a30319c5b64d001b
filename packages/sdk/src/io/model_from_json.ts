import type { LayersModel } from '../engine/model.js';
import { isObject } from './layers_model_format.js';
import { modelFromTopology } from './load_model.js';

/**
 * Builds a model from its topology alone, as `model.toJSON()` writes it (also Keras' `to_json()` and
 * a `model.json`'s `modelTopology`), with freshly initialised weights and uncompiled: Keras'
 * `model_from_json` and tfjs' `tf.models.modelFromJSON`. It reads no weights, so a whole
 * `model.json` that lists some is refused: load that one with `km.loadLayersModel`.
 *
 * @param json The topology as a JSON string or a parsed object, or `{ modelTopology }`, or the
 *   bare config `model.getConfig()` returns (Keras' `Model.from_config(model.get_config())`).
 * @example
 * ```ts
 * const json = model.toJSON();
 * const fresh = km.models.modelFromJSON(json);
 * const same = km.models.modelFromJSON(model.getConfig());
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
  return modelFromTopology(withClassName(topology, where), where);
}

/**
 * The topology of a bare model config (what `model.getConfig()` returns, Keras'
 * `Model.from_config(model.get_config())`): a functional model's names its input and output
 * layers, a Sequential model's has only its layers.
 */
function withClassName(topology: unknown, where: string): unknown {
  if (!isObject(topology) || 'class_name' in topology || 'model_config' in topology) return topology;
  if (Array.isArray(topology.input_layers) && Array.isArray(topology.output_layers)) return { class_name: 'Model', config: topology };
  if (Array.isArray(topology.layers) && topology.input_layers === undefined && topology.output_layers === undefined) return { class_name: 'Sequential', config: topology };
  throw new Error(
    `${where}: the topology has no class_name, and is not a model config either (a functional model's lists layers, input_layers and output_layers; a Sequential model's, layers). ` +
      `Received keys: ${Object.keys(topology).join(', ') || 'none'}. Pass model.toJSON() or { class_name, config }, or model.getConfig() itself.`,
  );
}
