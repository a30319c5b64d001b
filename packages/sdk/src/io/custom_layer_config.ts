import { Layer } from '../layers/layer.js';
import { constructedState } from '../layers/constructed_state.js';
import { isRegisteredLayer, layerFromConfig } from '../layers/registry.js';
import { isPlainObject } from '../utils/plain_object.js';

/** Fields every layer has, which the base getConfig saves or which are no option. */
const BASE_FIELDS = new Set(['className', 'name', 'declaredInputShape', 'declaredBatchSize', 'declaredInputDType']);

/**
 * Throws when the layer's class keeps the base `getConfig` although the layer was made with options
 * of its own: its saved config would hold none of them, and loading would rebuild it with its
 * defaults, silently (a `Scale({ factor: 3 })` that computes 3·x before saving and x after). Keras 3
 * records a layer's constructor arguments where it can and raises where it cannot; kerasm asks for
 * the getConfig override that docs/CUSTOM_LAYERS.md shows.
 */
export function checkConfigKeepsOptions(layer: Layer): void {
  if (layer.getConfig !== Layer.prototype.getConfig) return;
  const saved = layer.getConfig();
  const { options, fields } = constructedState(layer);
  const lost = new Map(Object.entries(options).filter(([key]) => !(key in saved)));
  for (const [key, value] of changedFields(layer, fields, saved)) if (!lost.has(key)) lost.set(key, value);
  if (lost.size === 0) return;
  const given = [...lost].map(([key, value]) => `${key}=${describeOption(value)}`).join(', ');
  const keys = [...lost.keys()];
  throw new Error(
    `Layer '${layer.name}' (${layer.className}) cannot be saved: it was made with ${given}, but its class keeps the base getConfig(), so the saved config would hold none of ${keys.length > 1 ? 'them' : 'it'} and loading would rebuild the layer without ${keys.length > 1 ? 'them' : 'it'}. ` +
      `Override getConfig in ${layer.className} to return ${keys.length > 1 ? 'them' : 'it'}: getConfig() { return { ...super.getConfig(), ${keys.map((k) => `${k}: ${k in layer ? `this.${k}` : '...'}`).join(', ')} }; } ` +
      `(its constructor then receives ${keys.length > 1 ? 'them' : 'it'} back when the model loads; docs/CUSTOM_LAYERS.md).`,
  );
}

/**
 * The plain-data fields the constructor set (`fields`) that a layer rebuilt from `saved` by its
 * registered factory would not have: options taken apart before `super(args)` and kept as fields.
 */
function changedFields(layer: Layer, fields: Record<string, unknown>, saved: Record<string, unknown>): [string, unknown][] {
  const candidates = Object.entries(fields).filter(([key, value]) => !BASE_FIELDS.has(key) && isPlainData(value));
  if (candidates.length === 0 || !isRegisteredLayer(layer.className)) return [];
  let rebuilt: Record<string, unknown>;
  try {
    rebuilt = { ...constructedState(layerFromConfig(layer.className, saved)).fields };
  } catch {
    return candidates; // the saved config cannot even rebuild it
  }
  return candidates.filter(([key, value]) => JSON.stringify(rebuilt[key]) !== JSON.stringify(value));
}

function isPlainData(value: unknown): boolean {
  if (value === null || ['number', 'string', 'boolean'].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isPlainData);
  return isPlainObject(value) && Object.values(value).every(isPlainData);
}

function describeOption(value: unknown): string {
  const text = typeof value === 'function' ? 'a function' : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/**
 * Why a custom layer's weights may not fit what loading rebuilt: a class that keeps the base
 * getConfig saved none of its options, so the layer came back with its defaults. Empty otherwise.
 */
export function baseConfigHint(layer: Layer): string {
  if (layer.getConfig !== Layer.prototype.getConfig) return '';
  return ` Its class ${layer.className} keeps the base getConfig(), so the file's config holds none of the options the saved layer was made with (its units, say), and it was rebuilt with its defaults: override getConfig in ${layer.className} to return its options, then save the model again (docs/CUSTOM_LAYERS.md).`;
}
