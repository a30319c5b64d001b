// The keys of a built-in layer's config that kerasm has no use for: refused by km.layers.layerFromConfig, warned of by loading.
import { isObject, normalizeConfig, type Json } from '../io/layers_model_format.js';
import { toCamelCase } from '../io/keras_names.js';
import { likelyMeant } from '../utils/options.js';
import { isPlainObject } from '../utils/plain_object.js';
import { ENVELOPE_KEYS, writtenKey } from './keras_written_keys.js';
import type { Layer } from './layer.js';
import { LAYER_OPTIONS } from './layer_options.js';
import type { Wrapper } from './wrapper.js';

// Their fromConfig refuse unknown keys themselves, and skip the keys Keras derives (vocabulary_size).
const CHECKS_OWN_KEYS: ReadonlySet<string> = new Set(['StringLookup', 'TextVectorization']);
// Keys Keras saves that IntegerLookup.fromConfig reads and drops by design (vocabulary_size is derived).
const KERAS_DERIVED_KEYS: Readonly<Record<string, readonly string[]>> = { IntegerLookup: ['vocabularySize', 'vocabularyDtype', 'oovMethod', 'salt'] };

/** A key of a layer's config that kerasm has no use for. */
export interface UnusedKey {
  /** Where it is: its name, or the path to it through nested configs (`['layer', 'config', 'useBais']`), in camelCase. */
  readonly path: readonly (string | number)[];
  /** The class whose config holds it (a wrapper's layer's, an RNN's cell's). */
  readonly className: string;
  readonly value: unknown;
  /** For a key Keras or tfjs writes whose value asks for what kerasm does not implement: what, and the fix. */
  readonly refusal?: string;
  /** For a key no writer puts there: the key kerasm reads that it probably meant, if one is near. */
  readonly meant?: string;
  /** The keys kerasm reads where it is. */
  readonly known: readonly string[];
}

/**
 * A built-in layer from a config in kerasm's form (what `getConfig()` returns) or Keras' and tfjs'
 * snake_case form, read as loading a model.json reads it. Throws on a key the layer does not use,
 * rather than dropping it (`usebias`, or Keras' `use_bias` misspelt), and on a key Keras writes
 * whose value asks for what kerasm does not implement (`lora_rank: 4`); a key Keras or tfjs writes
 * with a value kerasm's behaviour matches (`synchronized: false`) is accepted.
 */
export function checkedLayerFromConfig(className: string, config: Record<string, unknown>, factory: (config: Json) => Layer): Layer {
  if (!isObject(config) || CHECKS_OWN_KEYS.has(className)) return factory(config);
  const call = `km.layers.layerFromConfig('${className}')`;
  const { layer, unused } = layerAndUnusedKeys(className, normalizeConfig(config, call), factory);
  if (unused.length > 0) throw unusedKeyError(call, className, config, unused[0]);
  return layer;
}

/**
 * The layer a built-in class's config (normalized: camelCase keys) makes, and the keys of that
 * config kerasm has no use for. A key is used when the layer's `getConfig()` gives it back, or when
 * leaving it out or giving it another value changes that config (LeakyReLU reads Keras 3's
 * `negativeSlope` as `alpha`; a seed of null is not given back). Of the others, a key Keras or tfjs
 * writes is unused only when its value asks for what kerasm lacks (`keras_written_keys.ts`). Keys
 * inside nested configs (a wrapper's layer, an RNN's cell) are checked the same way, but for those the
 * wrapper sets itself (Keras 3's Bidirectional: its layers' `zero_output_for_mask`).
 */
export function layerAndUnusedKeys(className: string, options: Json, factory: (config: Json) => Layer): { layer: Layer; unused: UnusedKey[] } {
  const layer = factory(options);
  if (CHECKS_OWN_KEYS.has(className)) return { layer, unused: [] };
  const kept = layer.getConfig();
  const derived = KERAS_DERIVED_KEYS[className] ?? [];
  const unused: UnusedKey[] = [];
  for (const { path, owner } of unechoedPaths(options, kept, [], className)) {
    if (path.length === 1 && derived.includes(String(path[0]))) continue;
    const configWith = (value: unknown) => () => factory(withPath(options, path, value)).getConfig();
    if (changesConfig(configWith(undefined), kept)) continue;
    const value = valueAt(options, path);
    const other = otherValue(value);
    if (other !== undefined && changesConfig(configWith(other), kept)) continue;
    const key = String(path[path.length - 1]);
    const known = keysAt(kept, path);
    if (setByWrapper(layer, path, value)) continue;
    const written = writtenKey(owner, key, value);
    if (written && written.refusal === undefined) continue;
    unused.push(written ? { path, className: owner, value, refusal: written.refusal, known } : { path, className: owner, value, meant: likelyMeant(key, path.length === 1 ? [...new Set([...known, ...LAYER_OPTIONS])] : known), known });
  }
  return { layer, unused };
}

/**
 * Whether `layer` is a wrapper that sets the key at `path` of an inner layer's config itself
 * ({@link Wrapper.setsInnerConfigKey}). Asked by name: importing the Wrapper class here would make
 * a cycle through the registry, which imports this file.
 */
function setByWrapper(layer: Layer, path: readonly (string | number)[], value: unknown): boolean {
  const hook = (layer as Partial<Pick<Wrapper, 'setsInnerConfigKey'>>).setsInnerConfigKey;
  return path.length > 1 && typeof hook === 'function' && hook.call(layer, path, value);
}

/**
 * The paths of keys in `given` that `kept` lacks, through objects and arrays, each with the class
 * whose config holds it; every layer's options are accepted wherever they are, and so are the
 * keys Keras 3 writes beside a nested object's `config` (`module`, `registered_name`).
 */
function* unechoedPaths(given: unknown, kept: unknown, path: (string | number)[], owner: string): Generator<{ path: (string | number)[]; owner: string }> {
  if (Array.isArray(given) && Array.isArray(kept)) {
    for (let i = 0; i < given.length; i++) yield* unechoedPaths(given[i], kept[i], [...path, i], owner);
    return;
  }
  if (!isPlainObject(given) || !isPlainObject(kept)) return;
  const envelope = typeof given.className === 'string' && 'config' in given;
  for (const [key, value] of Object.entries(given)) {
    if (LAYER_OPTIONS.includes(key) || (envelope && ENVELOPE_KEYS.includes(key))) continue;
    const inner = envelope && key === 'config' ? String(given.className) : owner;
    if (key in kept) yield* unechoedPaths(value, kept[key], [...path, key], inner);
    else yield { path: [...path, key], owner };
  }
}

/** A copy of `value` with the key at `path` set to `replacement`, or left out when that is undefined. */
function withPath(value: unknown, path: readonly (string | number)[], replacement: unknown): Json {
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, i) => (i === head ? withPath(item, rest, replacement) : item)) as unknown as Json;
  const copy: Json = { ...(value as Json) };
  if (rest.length > 0) copy[head] = withPath(copy[head], rest, replacement);
  else if (replacement === undefined) delete copy[head];
  else copy[head] = replacement;
  return copy;
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((at, step) => (at as Record<string | number, unknown>)?.[step], value);
}

/** The keys of the object in `kept` that holds the key at `path`. */
function keysAt(kept: Record<string, unknown>, path: readonly (string | number)[]): string[] {
  const parent = valueAt(kept, path.slice(0, -1));
  return Object.keys(isObject(parent) ? parent : {});
}

/** Another value of the kind of `value`, to see whether the layer reads it; undefined where there is no telling (a string). */
function otherValue(value: unknown): unknown {
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'number') return value + 1;
  if (value === null) return 1;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number')) return value.map((v) => v + 1);
  return undefined;
}

/** Whether the config made without a key, or with another value, differs from `kept` (names aside: a layer made without one takes a fresh one), or cannot be made. */
function changesConfig(configWith: () => Record<string, unknown>, kept: Record<string, unknown>): boolean {
  const withoutNames = (config: Record<string, unknown>) => JSON.stringify(config, (key, value: unknown) => (key === 'name' ? undefined : value));
  try {
    return withoutNames(configWith()) !== withoutNames(kept);
  } catch {
    return true;
  }
}

function unusedKeyError(call: string, className: string, given: Record<string, unknown>, unused: UnusedKey): Error {
  const { path, known } = unused;
  const key = String(path[path.length - 1]);
  // The key as written: a top-level snake_case key is named as given, not as read.
  const written = path.length === 1 ? (Object.keys(given).find((k) => toCamelCase(k) === key) ?? key) : path.join('.');
  if (unused.refusal !== undefined) {
    return new Error(`${call}: ${unused.className === className ? '' : `the ${unused.className} in `}${className}'s ${written}=${JSON.stringify(unused.value)} asks for ${unused.refusal}.`);
  }
  const candidates = path.length === 1 ? [...new Set([...known, ...LAYER_OPTIONS])] : known;
  return new Error(
    `${call}: ${className} has no use for the config key '${written}'${unused.meant ? `; did you mean '${unused.meant}'?` : '.'} ` +
      `Rather than drop it, kerasm refuses it: fix or remove the key. ${path.length === 1 ? `${className}'s keys are: ${candidates.join(', ')}.` : `Its keys there are: ${known.join(', ')}.`}`,
  );
}
