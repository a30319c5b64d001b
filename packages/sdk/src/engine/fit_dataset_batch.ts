import { isText } from '../data/stack.js';
import { sameShape, Tensor } from '../tensor.js';
import { formatShape } from '../layers/layer_shapes.js';
import type { ClassWeightSpec } from './sample_weights.js';
import { prepare, type Dataset as HostData } from './prepare_data.js';
import type { TrainingTarget } from './training_target.js';
import type { TensorsSpec } from './outputs.js';
import { inputSampleOf } from './input_sample.js';

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Tensor) return `a tensor of shape [${value.shape.join(', ')}]`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value;
}

/** The tensors of a batch's xs or ys: one tensor, or (several inputs/outputs) a list of them in order or an object of them keyed by name. */
function batchParts(value: unknown): Tensor[] | null {
  if (value instanceof Tensor) return [value];
  if (typeof value !== 'object' || value === null) return null;
  const parts = Object.values(value);
  return parts.length > 0 && parts.every((t) => t instanceof Tensor) ? parts : null;
}

const BATCH_KEYS = ['xs', 'ys', 'sampleWeight'];

/** Where a batch's xs or ys holds text (a csv text column batched into a string[]): its path, such as `xs.thal`, and the text; null if nowhere. */
function findText(value: unknown, path: string): { path: string; text: unknown } | null {
  if (isText(value)) return { path, text: value };
  if (typeof value !== 'object' || value === null || value instanceof Tensor || ArrayBuffer.isView(value)) return null;
  for (const [key, part] of Object.entries(value)) {
    const found = findText(part, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

/** The error for text reaching a model, which reads numbers: encode it with a StringLookup first. */
function textError(found: { path: string; text: unknown }, index: number, what: string): Error {
  const shown = JSON.stringify(found.text);
  const pick = found.path.replace(/^(xs|ys)/, 'e.$1');
  return new Error(
    `${what}: batch ${index} ${found.path} is text (${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}), and a model reads numbers (kerasm's tensors hold no strings), e.g. a km.data.csv column read with dtype 'string'. ` +
      `Encode it in a map before .batch: const lookup = km.layers.stringLookup({ outputMode: 'one_hot' }); await lookup.adapt(texts); then lookup.apply(${pick}) gives its one-hot row ` +
      `(or class indices, with the default outputMode 'int'), to put in xs beside the numbers; or apply the lookup to each batch's list of strings.`,
  );
}

/** The `{ xs, ys, sampleWeight? }` tensors of one batch, with errors that say how to build a dataset fit can read. */
export function batchTensors(element: unknown, index: number, what: string): { xs: TensorsSpec; ys: TensorsSpec; sampleWeight?: Tensor; first: Tensor } {
  const fix = 'Build it as km.data.zip({ xs, ys }).batch(batchSize) (or map elements to { xs, ys } before .batch).';
  if (typeof element !== 'object' || element === null || !('xs' in element) || !('ys' in element)) {
    const keys = typeof element === 'object' && element !== null ? `an object with keys [${Object.keys(element).join(', ')}]` : describe(element);
    throw new Error(`${what}: batch ${index} is ${keys}; expected { xs, ys }. ${fix}`);
  }
  const unread = Object.keys(element).filter((key) => !BATCH_KEYS.includes(key));
  if (unread.length > 0) {
    throw new Error(`${what}: batch ${index} has ${unread.map((k) => `'${k}'`).join(', ')}, which fit does not read: a batch is { xs, ys }, or { xs, ys, sampleWeight } with one weight per sample. Map the elements to those keys before .batch.`);
  }
  const { xs, ys, sampleWeight } = element as { xs: unknown; ys: unknown; sampleWeight?: unknown };
  const text = findText(xs, 'xs') ?? findText(ys, 'ys');
  if (text) throw textError(text, index, what);
  const notBatched = (name: string, value: unknown) =>
    new Error(`${what}: batch ${index} has ${name} = ${describe(value)}, not a batch tensor. Call .batch(batchSize) on the dataset so elements are stacked into tensors (for several inputs or outputs, lists of them in order or objects keyed by name).`);
  for (const [name, value] of [['xs', xs], ['ys', ys]] as const) if (!batchParts(value)) throw notBatched(name, value);
  if (sampleWeight !== undefined && !(sampleWeight instanceof Tensor)) throw notBatched('sampleWeight', sampleWeight);
  return { xs: xs as TensorsSpec, ys: ys as TensorsSpec, sampleWeight: sampleWeight as Tensor | undefined, first: batchParts(xs)![0] };
}

/**
 * The batch's inputs with int32 tensors made float32. `batch()` gives int32 for Uint8Array and
 * Int32Array rows, as tfjs does, and tfjs' fitDataset feeds those to float layers; the engine reads
 * every input as float32 anyway (indices included), so nothing is lost.
 */
function floatInputs(xs: TensorsSpec): TensorsSpec {
  const float = (t: Tensor) => (t.dtype === 'int32' ? new Tensor(Float32Array.from(t.dataSync()), t.shape, 'float32') : t);
  if (xs instanceof Tensor) return float(xs);
  if (Array.isArray(xs)) return xs.map(float);
  return Object.fromEntries(Object.entries(xs).map(([name, t]) => [name, float(t)]));
}

/**
 * Refuses a batch whose xs is one sample (a dataset of samples never given `.batch(n)`) with the
 * fix for datasets; the shape check that follows would say to reshape the tensor. An input of
 * shape [1] is left alone: there a sample [1] is also a batch of one.
 */
function checkBatched(target: TrainingTarget, xs: TensorsSpec, index: number, what: string): void {
  const { inputShapes } = target.graph;
  if (!(xs instanceof Tensor) || inputShapes.length !== 1 || sameShape(inputShapes[0], [1]) || !sameShape(xs.shape, inputShapes[0])) return;
  throw new Error(
    `${what}: batch ${index} xs has shape [${xs.shape.join(', ')}], one sample of the model's input ${formatShape(inputShapes[0])}, so the dataset yields samples, not batches. ` +
      'Call .batch(batchSize) on the dataset (tfjs\' fitDataset needs batches too).',
  );
}

/**
 * One batch as host arrays for the training loop, with the target it runs on (`target`, or the one
 * for its sizes of unknown dimensions); `classWeight` weighs its samples as `fit(x, y)` does.
 */
export async function hostBatch(target: TrainingTarget, element: unknown, index: number, what: string, classWeight?: ClassWeightSpec): Promise<{ target: TrainingTarget; data: HostData }> {
  const { xs, ys, sampleWeight } = batchTensors(element, index, what);
  const batchTarget = target.forInputs?.(inputSampleOf(xs)) ?? target;
  checkBatched(batchTarget, xs, index, what);
  return { target: batchTarget, data: await prepare(batchTarget, floatInputs(xs), ys, `${what} batch ${index} xs`, `${what} batch ${index} ys`, sampleWeight, classWeight) };
}

export async function firstBatch(iterator: AsyncIterator<unknown>, what: string): Promise<IteratorResult<unknown>> {
  const first = await iterator.next();
  if (first.done) throw new Error(`${what}: the dataset is empty. Check its source, and that take()/skip()/batch(n, false) leave at least one batch.`);
  return first;
}
