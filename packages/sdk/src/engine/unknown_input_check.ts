import { formatShape } from '../layers/layer_shapes.js';
import type { Shape } from '../layers/layer.js';
import { sameShape } from '../tensor.js';
import type { Graph } from './graph.js';
import { fitsUnknown } from './unknown_dims.js';

/**
 * Graph.checkInput for model input `k` with unknown dimensions: the data must have the graph's
 * size on them, which is the size of the data the call reshaped the graph for.
 */
export function checkUnknownInput(graph: Graph, sample: Shape, shape: readonly number[], what: string, k: number): void {
  const expected = graph.inputShapes[k];
  if (sameShape(sample, expected)) return;
  const declared = formatShape(graph.shownInputShape(k));
  const name = graph.inputNames[k];
  if (fitsUnknown(sample, expected, graph.inputUnknownAxes[k])) {
    throw new Error(
      `Model input '${name}' has shape ${declared} (None: any size), and this call runs the model at ${formatShape(expected)}, the size of its first data, but ${what} has shape [${shape.join(', ')}]. ` +
        `Within one fit, evaluate or predict call (validation data included) every batch must have one size on the unknown dimensions: pad ${what} to ${formatShape(expected)} (km.utils.padSequences), or pass it in a call of its own.`,
    );
  }
  throw new Error(`Model input '${name}' expects samples of shape ${declared} (None: any size), but ${what} has shape [${shape.join(', ')}]. Give ${what} that rank and those sizes on the other dimensions.`);
}
