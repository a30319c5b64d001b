import type { Layer } from '../layers/layer.js';
import type { Tensor } from '../tensor.js';
import { modelInputRef, type Graph } from './graph.js';
import { featureValues } from './validate_data.js';

/** The layers that read model input `k` directly. */
function readersOf(graph: Graph, k: number): Layer[] {
  const ref = modelInputRef(k);
  return graph.nodes.filter((node) => node.inbound.includes(ref)).map((node) => node.layer);
}

/**
 * The host values of model input `k` as the float32 its batch buffers hold, after each layer that
 * reads it directly has checked them (Embedding: every index a whole number inside its table), so a
 * bad value fails fit, evaluate or predict before any batch runs. An int32 input is accepted where
 * every such layer reads indices.
 */
export function modelInputValues(graph: Graph, x: Tensor, k: number, what: string): Float32Array {
  const readers = readersOf(graph, k);
  const indices = x.dtype === 'int32' && readers.length > 0 && readers.every((layer) => layer.readsIndices);
  const raw = indices ? (x.dataSync() as Int32Array) : featureValues(x, what);
  const perSample = x.size / x.shape[0];
  for (const layer of readers) layer.checkModelInput(raw, perSample, what);
  return raw instanceof Float32Array ? raw : Float32Array.from(raw);
}
