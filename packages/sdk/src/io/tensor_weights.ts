import type { NamedTensor } from '../optimizers/named_state.js';
import { tensor, type Tensor } from '../tensor.js';
import { CompositeArrayBuffer } from './composite_array_buffer.js';
import type { WeightData, WeightSpec } from './types.js';
import { decodeWeights as decodeNamedWeights, packWeights, type NamedWeight } from './weights.js';

// tfjs' io.encodeWeights / decodeWeights / decodeWeightsStream over kerasm's weight codec, for
// those who write their own handlers or weight loaders. kerasm's tensors are float32 or int32, so
// bool, string and complex64 weights, which tfjs also encodes, are refused, naming the dtype.

/** Tensors by name (tfjs' `NamedTensorMap`). */
export type NamedTensorMap = Record<string, Tensor>;

const DECODE_SOURCE = "km.io.decodeWeights' weight data";

/**
 * The tensors' values, little-endian and back to back, with a manifest entry for each (tfjs'
 * `io.encodeWeights`: the same bytes and specs). float32 and int32 tensors only; `group` is set on
 * every spec when given (`'optimizer'` marks optimizer state).
 *
 * @example
 * ```ts
 * const { data, specs } = await km.io.encodeWeights({ kernel: km.ones([2, 3]), step: km.scalar(3, 'int32') });
 * const back = km.io.decodeWeights(data, specs); // { kernel, step }
 * ```
 */
export async function encodeWeights(tensors: NamedTensorMap | NamedTensor[], group?: string): Promise<{ data: ArrayBuffer; specs: WeightSpec[] }> {
  const named = namedTensors(tensors);
  if (group != null && typeof group !== 'string') throw new Error(`km.io.encodeWeights: group must be a string such as 'model' or 'optimizer'. Received: group=${JSON.stringify(group)}.`);
  const weights = await Promise.all(named.map(async ({ name, tensor: t }): Promise<NamedWeight> => ({ name, shape: [...t.shape], values: await t.data(), ...(group != null ? { group } : {}) })));
  const { specs, data } = packWeights(weights);
  return { data, specs };
}

function namedTensors(tensors: NamedTensorMap | NamedTensor[]): NamedTensor[] {
  if (typeof tensors !== 'object' || tensors === null) {
    throw new Error(`km.io.encodeWeights takes tensors by name, { name: tensor }, or an array of { name, tensor }. Received: ${tensors === null ? 'null' : typeof tensors}.`);
  }
  const named = Array.isArray(tensors) ? tensors : Object.entries(tensors).map(([name, t]) => ({ name, tensor: t }));
  named.forEach((entry, i) => {
    if (typeof entry?.name !== 'string') throw new Error(`km.io.encodeWeights: entry ${i} has no name; each entry is { name, tensor }. Received: ${JSON.stringify(entry)?.slice(0, 80)}.`);
    const t = entry.tensor as Partial<Tensor> | undefined;
    if (typeof t !== 'object' || t === null || !Array.isArray(t.shape) || typeof t.data !== 'function') {
      throw new Error(`km.io.encodeWeights: weight '${entry.name}' is not a tensor. Received: ${t === null ? 'null' : typeof t}.`);
    }
    if (t.dtype !== 'float32' && t.dtype !== 'int32') {
      throw new Error(
        `km.io.encodeWeights: weight '${entry.name}' has dtype '${String(t.dtype)}'; kerasm stores float32 and int32 weights (its tensors are never bool, string or complex64). ` +
          `Cast it first, e.g. tf.cast(t, 'int32') for a TensorFlow.js tensor. Received: dtype='${String(t.dtype)}'.`,
      );
    }
  });
  return named;
}

/**
 * Tensors from weight bytes and the specs that describe them (tfjs' `io.decodeWeights`), in the
 * specs' order; uint8, uint16 and float16 quantized weights are dequantized as tfjs does. As in
 * tfjs, bytes after the last weight are ignored and a later name replaces an earlier one. Weights
 * stored as bool, string or complex64 are refused: kerasm's tensors are float32 or int32.
 *
 * @example
 * ```ts
 * const tensors = km.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
 * tensors['dense/kernel'].shape; // [784, 10]
 * ```
 */
export function decodeWeights(weightData: WeightData, specs: WeightSpec[]): NamedTensorMap {
  checkWeightData(weightData);
  return tensorsFrom(new CompositeArrayBuffer(weightData), specs);
}

function checkWeightData(weightData: unknown): void {
  const isBuffer = (b: unknown) => b instanceof ArrayBuffer;
  if (!(isBuffer(weightData) || (Array.isArray(weightData) && weightData.every(isBuffer)))) {
    const what = weightData === null ? 'null' : Array.isArray(weightData) ? 'an array holding something else' : ArrayBuffer.isView(weightData) ? `a ${weightData.constructor.name} (pass its .buffer)` : typeof weightData;
    throw new Error(`km.io.decodeWeights takes the weight data as an ArrayBuffer or an array of ArrayBuffers. Received: ${what}.`);
  }
}

function tensorsFrom(bytes: CompositeArrayBuffer, specs: WeightSpec[]): NamedTensorMap {
  if (!Array.isArray(specs)) throw new Error(`km.io.decodeWeights takes the weight specs as an array of { name, shape, dtype }. Received: specs=${JSON.stringify(specs)?.slice(0, 80)}.`);
  return toTensorMap(decodeNamedWeights(specs, bytes, DECODE_SOURCE, 'ignore'));
}

/** Decoded weights as tensors by name; a later name replaces an earlier one, as in tfjs. */
export function toTensorMap(weights: readonly NamedWeight[]): NamedTensorMap {
  const out: NamedTensorMap = {};
  for (const w of weights) out[w.name] = tensor(w.values, w.shape);
  return out;
}

/**
 * {@link decodeWeights} for weight bytes that arrive as a stream (tfjs' `io.decodeWeightsStream`),
 * such as a `fetch` response's body. kerasm reads the stream to its end before decoding.
 *
 * @example
 * ```ts
 * const response = await fetch('https://example.com/model/group1-shard1of1.bin');
 * const tensors = await km.io.decodeWeightsStream(response.body!, specs);
 * ```
 */
export async function decodeWeightsStream(weightStream: ReadableStream<ArrayBuffer | Uint8Array>, specs: WeightSpec[]): Promise<NamedTensorMap> {
  if (typeof (weightStream as Partial<ReadableStream>)?.getReader !== 'function') {
    throw new Error(`km.io.decodeWeightsStream takes a ReadableStream of bytes, such as a fetch response's body. Received: ${weightStream === null ? 'null' : typeof weightStream}.`);
  }
  const chunks: (ArrayBuffer | Uint8Array)[] = [];
  const reader = weightStream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return tensorsFrom(new CompositeArrayBuffer(chunks), specs);
}
