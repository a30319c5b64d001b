// The base of the layers that read strings (StringLookup, TextVectorization): they run on the data, never in a model's graph.
import type { LayerApplyArgs } from '../engine/concrete_apply.js';
import { SymbolicTensor } from '../engine/symbolic.js';
import { toCamelCase } from '../io/keras_names.js';
import type { Tensor } from '../tensor.js';
import { checkOptions } from '../utils/options.js';
import { Layer, type Shape } from './layer.js';
import { checkOovHashing } from './vocabulary.js';

/** Nested string data: one string, a list of them, or a list of lists. */
export type StringData = string | readonly string[] | readonly (readonly string[])[];

/**
 * A preprocessing layer over strings. kerasm's tensors hold float32 or int32 numbers only, so such a
 * layer cannot sit in a model's graph: as Keras recommends for text, it runs in the input pipeline
 * (on the string arrays before `fit`, or in a dataset's `map`) and gives the model the tensors it
 * makes. Putting it in a model, or applying it to a symbolic tensor, is refused with that advice.
 */
export abstract class StringLayer<Output = Tensor> extends Layer {
  /** Who the errors name, e.g. `TextVectorization layer 'text_vectorization'`. */
  protected get where(): string {
    return `${this.className} layer '${this.name}'`;
  }

  /** @internal The error for a place in a model (a Sequential refuses the layer with it when it is added). */
  graphError(): Error {
    return new Error(
      `${this.where} reads strings, and kerasm's tensors hold only float32 or int32 numbers, so it cannot run inside a model (km.sequential, km.model or a symbolic km.input). ` +
        `Apply it to the data instead, as Keras recommends for text preprocessing: const xs = layer.apply(texts) before fit, or in a dataset, ds.map((e) => ({ xs: layer.apply(e.text), ys: e.label })). ` +
        `Then start the model at what it outputs, e.g. km.layers.embedding({ inputDim: layer.vocabularySize(), outputDim: 16 }).`,
    );
  }

  /** Refused on symbolic tensors (see the class). */
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: LayerApplyArgs): never;
  /** Refused on numeric km.Tensors, except by an inverting StringLookup (see its `apply`). */
  override apply(inputs: Tensor | readonly Tensor[], options?: LayerApplyArgs): never;
  override apply(inputs: unknown): unknown {
    if (isStringData(inputs)) return this.run(inputs);
    return this.runOther(inputs);
  }

  /** Keras' `layer(x)` on strings: the same as `apply(strings)`. */
  call(inputs: StringData): Output {
    return isStringData(inputs) ? this.run(inputs) : (this.runOther(inputs) as Output);
  }

  /** Computes the output of string data. */
  protected abstract run(inputs: StringData): Output;

  /** What the layer does with anything but strings: refuses it (symbolic tensors with the advice above). */
  protected runOther(inputs: unknown): unknown {
    if ((Array.isArray(inputs) ? inputs : [inputs]).some((x) => x instanceof SymbolicTensor)) throw this.graphError();
    throw new Error(`${this.where} reads strings: a string, a list of strings or a list of lists of strings. Received: ${describeReceived(inputs)}. Pass the text itself (not numbers or a km.Tensor).`);
  }

  computeOutputShape(_inputShapes: readonly Shape[]): Shape {
    throw this.graphError();
  }

  forward(): void {
    throw this.graphError();
  }

  backward(): void {
    throw this.graphError();
  }
}

/** Whether `value` is a string, or a (possibly empty) list of strings or of lists of strings. */
export function isStringData(value: unknown): value is StringData {
  if (typeof value === 'string') return true;
  if (!Array.isArray(value)) return false;
  return value.every((v) => typeof v === 'string' || (Array.isArray(v) && v.every((s) => typeof s === 'string')));
}

/** A short description of a received value for an error. */
export function describeReceived(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object' && 'shape' in value && 'dtype' in value) return `a km.Tensor (${String(value.dtype)}, shape [${(value.shape as number[]).join(', ')}])`;
  if (Array.isArray(value)) {
    const bad = value.flat().find((v) => typeof v !== 'string');
    return `a list holding ${bad === undefined ? 'nested lists deeper than two levels' : `${typeof bad} ${(JSON.stringify(bad) ?? String(bad)).slice(0, 60)}`}`;
  }
  return `${typeof value} ${(JSON.stringify(value) ?? String(value)).slice(0, 60)}`;
}

/**
 * Keys of Keras 3's get_config that carry no kerasm option, dropped by {@link optionsFromConfig}
 * (by their camelCase names, which a model file's configs arrive in):
 * - `dtype`: the layer's dtype policy; kerasm's string layers hold no weights and output int32 or float32 by mode;
 * - `vocabularySize`: the vocabulary's size, which the vocabulary itself gives;
 * - `hasInputVocabulary`: Keras' hidden flag that the vocabulary was given; a config's vocabulary is given here;
 * - `oovMethod`, `salt`: newer Keras' choice of hash for several OOV indices, refused unless it is
 *   the default kerasm follows (see {@link checkOovHashing}).
 */
const KERAS_ONLY_KEYS: ReadonlySet<string> = new Set(['dtype', 'vocabularySize', 'hasInputVocabulary', 'oovMethod', 'salt']);

/**
 * The options of a saved config, for a string layer's `fromConfig`: kerasm's `getConfig()` output
 * as it is, or Keras 3's `get_config()` (snake_case keys, `max_tokens` → `maxTokens`) with its
 * Keras-only keys dropped. Any other key is refused with `checkOptions`' "did you mean" message,
 * so that a misspelt option does not give a default layer; `call` names the reader in it.
 */
export function optionsFromConfig(config: unknown, allowed: readonly string[], call: string): Record<string, unknown> {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new Error(`${call} takes the object getConfig() returns (or Keras 3's get_config()). Received: ${describeReceived(config)}.`);
  }
  checkOovHashing(config as Record<string, unknown>, false, call);
  const options: Record<string, unknown> = {};
  const spelledAs = new Map<string, string>();
  const unknown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const name = toCamelCase(key);
    if (KERAS_ONLY_KEYS.has(name)) continue;
    if (!allowed.includes(name)) {
      unknown[key] = value;
      continue;
    }
    const earlier = spelledAs.get(name);
    if (earlier !== undefined) throw new Error(`${call}: the config gives ${name} twice, as '${earlier}' and as '${key}'. Keep one.`);
    spelledAs.set(name, key);
    options[name] = value;
  }
  checkOptions(unknown, allowed, call);
  return options;
}
