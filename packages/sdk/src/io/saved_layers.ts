import type { Layer } from '../layers/layer.js';
import { layerFromSavedConfig } from '../layers/registry.js';
import type { Json } from './layers_model_format.js';

// The first layer of a stacked model records an input shape that the same layer saved in the model around it need not.
const INPUT_SHAPE_KEYS = new Set(['batchInputShape', 'inputShape', 'batchSize']);

const comparable = (config: Json) => JSON.stringify(Object.entries(config).filter(([key]) => !INPUT_SHAPE_KEYS.has(key)));

/**
 * The layers one load makes, by name. A layer saved both in a nested model and in the model around
 * it (or in two nested models) was one layer with one set of weights: the file holds its config once
 * per place and its weights once, under its name. It loads as one layer again, so training still
 * shares it.
 */
export class SavedLayers {
  readonly #made = new Map<string, { layer: Layer; className: string; config: string }>();

  /** The layer a saved entry describes: the one this load already made under its name when class and config agree, else a new one. */
  layer(className: string, saved: Json): Layer {
    const config = withInputDType(saved);
    const name = typeof config.name === 'string' ? config.name : undefined;
    const made = name === undefined ? undefined : this.#made.get(name);
    if (made && made.className === className && made.config === comparable(config)) return made.layer;
    const layer = layerFromSavedConfig(className, config);
    if (name !== undefined && !made) this.#made.set(name, { layer, className, config: comparable(config) });
    return layer;
  }
}

/**
 * tfjs 4.22 saves a first layer's `inputDType` as its own `dtype` (beside its `batch_input_shape`),
 * since tfjs gives the layer that dtype too. kerasm keeps layers float32: an int32 dtype where a
 * layer declares the model's input is read back as `inputDType`.
 */
function withInputDType(config: Json): Json {
  const declaresInput = config.batchInputShape !== undefined || config.inputShape !== undefined;
  if (config.dtype !== 'int32' || !declaresInput || config.inputDType !== undefined) return config;
  return { ...config, dtype: 'float32', inputDType: 'int32' };
}
