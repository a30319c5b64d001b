// The key check of km.layers.layerFromConfig for kerasm's own layer classes.
import { isObject, normalizeConfig, type Json } from '../io/layers_model_format.js';
import { toCamelCase } from '../io/keras_names.js';
import { likelyMeant } from '../utils/options.js';
import { isPlainObject } from '../utils/plain_object.js';
import type { Layer } from './layer.js';
import { LAYER_OPTIONS } from './layer_options.js';

// Their fromConfig refuse unknown keys themselves, and skip the keys Keras derives (vocabulary_size).
const CHECKS_OWN_KEYS: ReadonlySet<string> = new Set(['StringLookup', 'TextVectorization']);
// Keys Keras saves that IntegerLookup.fromConfig reads and drops by design (vocabulary_size is derived).
const KERAS_DERIVED_KEYS: Readonly<Record<string, readonly string[]>> = { IntegerLookup: ['vocabularySize', 'vocabularyDtype', 'oovMethod', 'salt'] };

/**
 * A built-in layer from a config in kerasm's form (what `getConfig()` returns) or Keras' and tfjs'
 * snake_case form, read as loading a model.json reads it. Throws on a key the layer does not use,
 * rather than dropping it (`usebias`, or Keras' `use_bias` misspelt).
 *
 * A key is used when the layer's `getConfig()` gives it back, or when leaving it out changes that
 * config (LeakyReLU reads Keras 3's `negativeSlope` as `alpha`). Keys inside nested configs (a
 * wrapper's layer, an RNN's cell) are checked the same way.
 */
export function checkedLayerFromConfig(className: string, config: Record<string, unknown>, factory: (config: Json) => Layer): Layer {
  if (!isObject(config) || CHECKS_OWN_KEYS.has(className)) return factory(config);
  const call = `km.layers.layerFromConfig('${className}')`;
  const options = normalizeConfig(config, call);
  const layer = factory(options);
  const kept = layer.getConfig();
  const derived = KERAS_DERIVED_KEYS[className] ?? [];
  for (const path of unechoedPaths(options, kept, [])) {
    if (path.length === 1 && derived.includes(String(path[0]))) continue;
    if (changesConfig(() => factory(withoutPath(options, path)).getConfig(), kept)) continue;
    throw unusedKeyError(call, className, config, path, kept);
  }
  return layer;
}

/** The paths of keys in `given` that `kept` lacks, through objects and arrays; every layer's options are accepted wherever they are. */
function* unechoedPaths(given: unknown, kept: unknown, path: (string | number)[]): Generator<(string | number)[]> {
  if (Array.isArray(given) && Array.isArray(kept)) {
    for (let i = 0; i < given.length; i++) yield* unechoedPaths(given[i], kept[i], [...path, i]);
    return;
  }
  if (!isPlainObject(given) || !isPlainObject(kept)) return;
  for (const [key, value] of Object.entries(given)) {
    if (LAYER_OPTIONS.includes(key)) continue;
    if (key in kept) yield* unechoedPaths(value, kept[key], [...path, key]);
    else yield [...path, key];
  }
}

/** A copy of `value` without the key at `path`. */
function withoutPath(value: unknown, path: readonly (string | number)[]): Json {
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, i) => (i === head ? withoutPath(item, rest) : item)) as unknown as Json;
  const copy: Json = { ...(value as Json) };
  if (rest.length === 0) delete copy[head];
  else copy[head] = withoutPath(copy[head], rest);
  return copy;
}

/** Whether the config made without a key differs from `kept` (names aside: a layer made without one takes a fresh one), or cannot be made. */
function changesConfig(configWithout: () => Record<string, unknown>, kept: Record<string, unknown>): boolean {
  const withoutNames = (config: Record<string, unknown>) => JSON.stringify(config, (key, value: unknown) => (key === 'name' ? undefined : value));
  try {
    return withoutNames(configWithout()) !== withoutNames(kept);
  } catch {
    return true;
  }
}

function unusedKeyError(call: string, className: string, given: Record<string, unknown>, path: readonly (string | number)[], kept: Record<string, unknown>): Error {
  const key = String(path[path.length - 1]);
  // The key as written: a top-level snake_case key is named as given, not as read.
  const written = path.length === 1 ? (Object.keys(given).find((k) => toCamelCase(k) === key) ?? key) : [...path.slice(0, -1), key].join('.');
  const parent = path.slice(0, -1).reduce<unknown>((value, step) => (value as Record<string | number, unknown>)?.[step], kept);
  const known = Object.keys(isObject(parent) ? parent : {});
  const candidates = path.length === 1 ? [...new Set([...known, ...LAYER_OPTIONS])] : known;
  const meant = likelyMeant(key, candidates);
  return new Error(
    `${call}: ${className} has no use for the config key '${written}'${meant ? `; did you mean '${meant}'?` : '.'} ` +
      `Rather than drop it, kerasm refuses it: fix or remove the key. ${path.length === 1 ? `${className}'s keys are: ${candidates.join(', ')}.` : `Its keys there are: ${known.join(', ')}.`}`,
  );
}
