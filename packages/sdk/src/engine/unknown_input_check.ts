import { formatShape } from '../layers/layer_shapes.js';
import type { Shape } from '../layers/layer.js';
import { sameShape } from '../tensor.js';
import type { Graph } from './graph.js';
import { fitsUnknown } from './unknown_dims.js';

/**
 * Graph.checkInput for model input `k` with unknown dimensions: the data must have the graph's
 * size on them, which is the size of the data the call (or the dataset batch) reshaped the graph for.
 */
export function checkUnknownInput(graph: Graph, sample: Shape, shape: readonly number[], what: string, k: number): void {
  const expected = graph.inputShapes[k];
  if (sameShape(sample, expected)) return;
  const declared = formatShape(graph.shownInputShape(k));
  const name = graph.inputNames[k];
  if (fitsUnknown(sample, expected, graph.inputUnknownAxes[k])) {
    throw new Error(
      `Model input '${name}' has shape ${declared} (None: any size), and this run of the model is reshaped to ${formatShape(expected)}, the size of its data, but ${what} has shape [${shape.join(', ')}]. ` +
        `Pass data of another size in a call of its own, or pad ${what} to ${formatShape(expected)} (km.utils.padSequences).`,
    );
  }
  throw new Error(`Model input '${name}' expects samples of shape ${declared} (None: any size), but ${what} has shape [${shape.join(', ')}]. Give ${what} that rank and those sizes on the other dimensions.`);
}
