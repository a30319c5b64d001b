import type { UnusedKey } from '../layers/config_keys.js';
import type { Layer } from '../layers/layer.js';
import { savedLayerAndUnusedKeys } from '../layers/registry.js';
import { toSnakeCase } from './keras_names.js';
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
  /** The keys kerasm had no use for, one entry per layer that had some. */
  readonly #unused: string[] = [];

  /** The layer a saved entry describes: the one this load already made under its name when class and config agree, else a new one. */
  layer(className: string, saved: Json): Layer {
    const config = withInputDType(saved);
    const name = typeof config.name === 'string' ? config.name : undefined;
    const made = name === undefined ? undefined : this.#made.get(name);
    if (made && made.className === className && made.config === comparable(config)) return made.layer;
    const { layer, unused } = savedLayerAndUnusedKeys(className, config);
    if (unused.length > 0) this.#unused.push(`layer '${layer.name}' (${className}): ${unused.map(describeUnused).join('; ')}`);
    if (name !== undefined && !made) this.#made.set(name, { layer, className, config: comparable(config) });
    return layer;
  }

  /**
   * Warns once, for the whole load, of the config keys its layers had no use for: a misspelt key
   * (`use_bais`) would otherwise load as if it were absent. Keys that Keras and tfjs write with
   * values kerasm's layers match are no such keys.
   */
  warnUnusedKeys(where: string): void {
    if (this.#unused.length === 0) return;
    console.warn(`kerasm: ${where} holds layer config keys that kerasm has no use for, and loaded without them: ${this.#unused.join('; ')}. Fix or remove these keys in the file.`);
  }
}

/** One unused key as the file spells it, with the key probably meant or what its value asks for. */
function describeUnused(unused: UnusedKey): string {
  const key = unused.path.map((step) => (typeof step === 'string' ? toSnakeCase(step) : step)).join('.');
  if (unused.refusal !== undefined) return `${key}=${JSON.stringify(unused.value)} asks for ${unused.refusal}`;
  return `'${key}'${unused.meant ? ` (did you mean '${toSnakeCase(unused.meant)}'?)` : ''}`;
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
