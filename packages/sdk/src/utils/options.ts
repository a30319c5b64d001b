import { isTfjsTensor, Tensor } from '../tensor.js';
import { tfjsOptionHint } from './tfjs_option_hints.js';

/**
 * Throws when `args` has an option `call` does not take, naming the one probably meant: the
 * camelCase form of a Keras snake_case name (`batch_size` → `batchSize`) or a near spelling
 * (`epoch` → `epochs`). Without this an unknown option is ignored: `fit(x, y, { batch_size: 64 })`
 * would train at the default batch size of 32 and say nothing.
 */
export function checkOptions(args: unknown, allowed: readonly string[], call: string): void {
  if (args === undefined) return;
  checkNotTensor(args, call);
  checkNotLayer(args, allowed, call);
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new Error(`${call} takes an options object such as { ${allowed[0]}: ... }. Received: ${args === null ? 'null' : Array.isArray(args) ? 'a list' : typeof args}.`);
  }
  for (const key of Object.keys(args)) {
    if (allowed.includes(key)) continue;
    // Keras' snake_case names (steps_per_epoch) get the hint of their camelCase form.
    const hint = tfjsOptionHint(call, key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()));
    if (hint) throw new Error(`${call} has no option '${key}': ${hint}`);
    const meant = likelyMeant(key, allowed);
    if (allowed.length === 0) throw new Error(`${call} takes no options. Received: ${key}.`);
    throw new Error(`${call} has no option '${key}'${meant ? `; did you mean '${meant}'?` : '.'} Its options are: ${allowed.join(', ')}.`);
  }
}

/**
 * Throws when a factory was given a layer where its options belong: Keras' `TimeDistributed(Dense(8))`
 * written as `km.layers.timeDistributed(dense)`. Told by a layer's methods (utils knows no layer
 * class), so the error does not list the layer's own fields as unknown options.
 */
function checkNotLayer(args: unknown, allowed: readonly string[], call: string): void {
  if (typeof args !== 'object' || args === null || Object.getPrototypeOf(args) === Object.prototype) return;
  const layer = args as { apply?: unknown; getConfig?: unknown; getClassName?: unknown; name?: unknown };
  if (typeof layer.apply !== 'function' || typeof layer.getConfig !== 'function' || typeof layer.getClassName !== 'function') return;
  const key = ['layer', 'cell'].find((k) => allowed.includes(k));
  const what = `the layer '${String(layer.name)}' (${String((layer.getClassName as () => string).call(layer))})`;
  throw new Error(key
    ? `${call} takes an options object with the ${key} in it, as in tfjs, but received ${what} itself. Pass ${call}({ ${key}: ... }).`
    : `${call} takes an options object, not a layer; received ${what}.`);
}

/** Throws when a factory that takes options (`call`) was given a tensor instead, as tfjs' functions of the same names take them. */
export function checkNotTensor(args: unknown, call: string): void {
  if (args instanceof Tensor || isTfjsTensor(args)) throw tensorForOptionsError(call);
}

/**
 * The km.metrics and km.losses functions that compute on tensors, as tfjs' functions of the same
 * names do (tfjs-layers' tf.metrics, tfjs-core's tf.losses); the other factories only make a metric
 * or loss for compile. Aliases in parentheses.
 */
export const TENSOR_FORMS: Readonly<Record<'metrics' | 'losses', readonly string[]>> = {
  metrics: [
    'binaryAccuracy', 'categoricalAccuracy', 'sparseCategoricalAccuracy', 'precision', 'recall', 'binaryCrossentropy', 'categoricalCrossentropy',
    'cosineProximity', 'meanSquaredError (mse, MSE)', 'meanAbsoluteError (mae, MAE)', 'meanAbsolutePercentageError (mape, MAPE)', 'r2Score', 'confusionMatrix',
  ],
  losses: ['absoluteDifference', 'computeWeightedLoss', 'cosineDistance', 'hingeLoss', 'huberLoss', 'logLoss', 'meanSquaredError', 'sigmoidCrossEntropy', 'softmaxCrossEntropy'],
};

/**
 * The error for a tensor where a factory with no tensor form takes options: tfjs' `tf.metrics.X(yTrue, yPred)`
 * and `tf.losses.X(labels, predictions)` compute a value, which kerasm's functions of tfjs' names do
 * too ({@link TENSOR_FORMS}); the others only make something to pass to compile.
 */
function tensorForOptionsError(call: string): Error {
  const kind = /^km\.(metrics|losses)\.(\w+)$/.exec(call);
  if (!kind) return new Error(`${call} takes an options object such as { ... }, not a tensor.`);
  const family = kind[1] as 'metrics' | 'losses';
  const use = family === 'metrics' ? `metrics: [${call}()]` : `loss: ${call}()`;
  return new Error(
    `${call} was called with a tensor, as tf.${family} functions are (yTrue, yPred), but it has no tensor form (tf.${family} has no function of that name): it makes a ${family === 'metrics' ? 'metric' : 'loss'} for compile (${use}). ` +
      `The km.${family} functions that compute on tensors, as tfjs' do, are ${TENSOR_FORMS[family].join(', ')}. ` +
      `For this one's value on data, compile a model with it and run model.evaluate(x, yTrue), which resolves to [loss, ...metrics] for the outputs model.predict(x) gives.`,
  );
}

/** Keras options that TensorFlow.js (and kerasm) name differently, by their camelCase form. */
const RENAMED: Readonly<Record<string, string>> = { stepsPerEpoch: 'batchesPerEpoch', steps: 'batches' };

/** The name in `allowed` that `key` probably meant: its camelCase form, a Keras renaming, or a near spelling; undefined if none is near. */
export function likelyMeant(key: string, allowed: readonly string[]): string | undefined {
  const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const exact = allowed.find((name) => name.toLowerCase() === camel.toLowerCase() || name === RENAMED[camel]);
  if (exact) return exact;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 4)) + 1;
  for (const name of allowed) {
    const d = editDistance(camel.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

/** The option names of an options interface; the Record type makes TypeScript reject a list that misses one, or names one the interface lacks outside a spread. */
export function optionNames<T>(names: Record<keyof Required<T>, true>): readonly string[] {
  return Object.keys(names);
}

/**
 * Returns `value` when it is a number that `ok` accepts, else throws naming the option, what was
 * received and what is expected; `where` names the layer ("LeakyReLU layer 'leaky_re_lu'").
 */
export function checkNumberOption(value: unknown, name: string, where: string, ok: (v: number) => boolean, expected: string): number {
  if (typeof value !== 'number' || !ok(value)) {
    throw new Error(`${where}: ${name} must be ${expected}. Received: ${name}=${JSON.stringify(value)}.`);
  }
  return value;
}

/** Returns `value` when it is a boolean, else throws naming the option and what was received; `where` names the layer. */
export function checkBooleanOption(value: unknown, name: string, where: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`${where}: ${name} must be true or false. Received: ${name}=${JSON.stringify(value)}.`);
  return value;
}
