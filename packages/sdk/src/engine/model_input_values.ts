import type { Layer } from '../layers/layer.js';
import type { DType, Tensor } from '../tensor.js';
import { modelInputRef, type Graph } from './graph.js';
import { featureValues } from './validate_data.js';

/** The layers that read model input `k` directly. */
function readersOf(graph: Graph, k: number): Layer[] {
  const ref = modelInputRef(k);
  return graph.nodes.filter((node) => node.inbound.includes(ref)).map((node) => node.layer);
}

/**
 * The dtype each input of `model` declares (`km.input({ dtype })`, a first layer's `inputDType`,
 * an int32 `inputLayer`), from its symbolic inputs; empty where there are none to read (no model,
 * as for a layer's own call, or a subclassed model, whose `inputs` getter throws), which reads as float32.
 */
export function declaredInputDTypes(model: unknown): readonly DType[] {
  if (typeof model !== 'object' || model === null || !('inputs' in model)) return [];
  try {
    return ((model as { inputs: readonly { dtype?: DType }[] }).inputs ?? []).map((t) => t.dtype ?? 'float32');
  } catch {
    return [];
  }
}

/** Refuses a float value that is no whole number for an input declared int32, as an Embedding refuses one for its ids. */
function checkWholeNumbers(values: Float32Array, perSample: number, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isInteger(v)) continue;
    throw new Error(
      `${what} holds ${v} at sample ${Math.floor(i / perSample)} (position ${i % perSample} of the sample), but the model declares this input int32, which takes whole numbers. ` +
        "Round the values (or pass an int32 tensor), or declare the input float32: km.input({ shape, dtype: 'float32' }), or no inputDType on the first layer.",
    );
  }
}

/**
 * The host values of model input `k` as the float32 its batch buffers hold, after each layer that
 * reads it directly has checked them (Embedding: every index a whole number inside its table), so a
 * bad value fails fit, evaluate or predict before any batch runs. An int32 tensor is accepted for an
 * input the model declares int32 (`declared`), whatever layer reads it, as tfjs casts it, and where
 * every such layer reads indices; a float32 one for an int32 input must hold whole numbers.
 */
export function modelInputValues(graph: Graph, x: Tensor, k: number, what: string, declared: DType = 'float32'): Float32Array {
  const readers = readersOf(graph, k);
  const ids = declared === 'int32' || (readers.length > 0 && readers.every((layer) => layer.readsIndices));
  const raw = x.dtype === 'int32' && ids ? (x.dataSync() as Int32Array) : featureValues(x, what);
  const perSample = x.size / x.shape[0];
  if (declared === 'int32' && raw instanceof Float32Array) checkWholeNumbers(raw, perSample, what);
  for (const layer of readers) layer.checkModelInput(raw, perSample, what);
  return raw instanceof Float32Array ? raw : Float32Array.from(raw);
}
