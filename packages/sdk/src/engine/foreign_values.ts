// Values from TensorFlow.js code that kerasm cannot take as they are: its tensors, optimizers,
// layers, initializers, regularizers and constraints. Each is told by its shape, not its class,
// since kerasm loads no tfjs module unless a tfjs backend is chosen. The messages name kerasm's
// counterpart.
import { Dataset } from '../data/dataset.js';
import { isTfjsTensor } from '../tensor.js';
import { firstString } from '../utils/nested_text.js';

/** Numbers where tensors belong: a Keras user's list, or tfjs' arraySync() output (not a list of tensors). */
export function isNumberArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.some((v) => typeof v === 'number' || Array.isArray(v));
}

/** The class name of a TensorFlow.js object (its layers, initializers, regularizers, constraints and optimizers have `getClassName`), or null. */
export function tfjsClassName(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const getClassName = (value as { getClassName?: unknown }).getClassName;
  return typeof getClassName === 'function' ? String(getClassName.call(value)) : null;
}

/** A tf.data dataset (tfjs-data's Dataset), told by the methods every one has. */
function isTfjsDataset(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || value instanceof Dataset) return false;
  const d = value as Record<string, unknown>;
  return typeof d.iterator === 'function' && typeof d.batch === 'function' && typeof d.forEachAsync === 'function';
}

/** What a data argument that is not a km.Tensor is, and how to make one of it. */
export function describeNonTensor(value: unknown): string {
  if (isTfjsTensor(value)) return `a TensorFlow.js tensor of shape [${value.shape.join(', ')}]. Make a km.Tensor of it: km.tensor(t.arraySync()), or km.tensor(await t.data(), t.shape)`;
  if (isTfjsDataset(value)) {
    return 'a TensorFlow.js dataset (tf.data), which kerasm cannot read. Build it with km.data instead (generator, array, csv, zip, batch: tf.data\'s names), and pass it as model.fit(dataset, { epochs }) or model.evaluate(dataset)';
  }
  if (typeof value === 'function') return 'a function. For batches made by a generator function, make a dataset of it, km.data.generator(fn), and pass that: model.fit(dataset, { epochs })';
  if (typeof value === 'string' || (Array.isArray(value) && firstString(value) !== undefined)) {
    return `${typeof value === 'string' ? 'a string' : 'a list of strings'}, but kerasm's tensors hold no strings. Turn text into numbers before the model: vectorize.apply(texts) with a km.layers.textVectorization (or stringLookup) layer, and pass the tensor it returns`;
  }
  if (Array.isArray(value)) return 'a nested array. Make a tensor of it: km.tensor(values)';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}. Make a tensor of it: km.tensor(values, shape)`;
  return `${value === null ? 'null' : typeof value}. Make one with km.tensor(values, shape)`;
}

/** The error for a TensorFlow.js object where kerasm takes its own, or null for anything else; `instead` says what to pass for its class. */
export function tfjsObjectError(what: string, value: unknown, kind: string, instead: (className: string) => string): Error | null {
  const className = tfjsClassName(value);
  return className === null ? null : new Error(`${what} is TensorFlow.js' ${className} ${kind}, which kerasm cannot use. Pass ${instead(className)} instead.`);
}

/** 'HeNormal' → 'heNormal': a tfjs class name as kerasm's factory or preset name. */
export function factoryName(className: string): string {
  return className.charAt(0).toLowerCase() + className.slice(1);
}

/** A TensorFlow.js optimizer given to compile: the error names kerasm's, with its learning rate. */
export function tfjsOptimizerError(value: unknown, names: readonly string[]): Error | null {
  return tfjsObjectError("compile's optimizer", value, 'optimizer (tf.train.*)', (className) => {
    // tfjs' Momentum optimizer is kerasm's SGD with momentum.
    const name = className === 'Momentum' ? 'sgd' : names.find((n) => n === className.toLowerCase());
    const { learningRate, momentum } = value as { learningRate?: unknown; momentum?: unknown };
    const options = [typeof learningRate === 'number' ? `learningRate: ${learningRate}` : '', className === 'Momentum' && typeof momentum === 'number' ? `momentum: ${momentum}` : ''].filter(Boolean).join(', ');
    return name ? `km.optimizers.${name}(${options ? `{ ${options} }` : ''})` : `one of ${names.map((n) => `'${n}'`).join(', ')} or its km.optimizers factory`;
  });
}
