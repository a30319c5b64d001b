import { uniqueName } from '../layers/layer_names.js';
import { Layer, type Shape } from '../layers/layer.js';
import type { Graph } from './graph.js';
import { LayersModel } from './model.js';
import { input, layerOutput, type SymbolicTensor } from './symbolic.js';
import { checkOptions, optionNames } from '../utils/options.js';

/** Options of {@link sequential}. */
export interface SequentialArgs {
  layers?: Layer[];
  name?: string;
}

/** A linear stack of layers, each feeding the next. */
export class Sequential extends LayersModel {
  /** The symbolic input, then each layer's output, once the input shape is known (what `inputs`/`outputs` and `layer.output` give). */
  readonly #symbolic: SymbolicTensor[] = [];

  constructor(args: SequentialArgs = {}) {
    const name = args.name ?? uniqueName('sequential');
    super([], name);
    for (const layer of args.layers ?? []) this.add(layer);
  }

  /** Appends a layer. */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) {
      throw new Error(`Sequential.add expects a layer such as km.layers.dense({ units: 10 }); received ${layer === null ? 'null' : typeof layer}.`);
    }
    if (this.graphLayers.some((l) => l.name === layer.name)) {
      throw new Error(`Model '${this.name}' already has a layer named '${layer.name}'; layer names must be unique.`);
    }
    this.invalidate();
    this.graphLayers.push(layer);
    // As in Keras, a model whose input shape is known builds each layer as it is added, so
    // `model.layers[i].setWeights(...)` and `countParams()` work before the first fit or predict.
    this.buildIfShapeKnown();
  }

  protected override buildGraph(sampleShape: Shape | null): Graph | null {
    const graph = super.buildGraph(sampleShape);
    if (graph) this.#traceSymbolic(graph);
    return graph;
  }

  protected override symbolicEnds(): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } | null {
    const symbolic = this.#symbolic;
    return symbolic.length > 1 ? { inputs: [symbolic[0]], outputs: [symbolic[symbolic.length - 1]] } : null;
  }

  /** Extends the symbolic chain over layers added since it was last traced; each layer records the call. */
  #traceSymbolic(graph: Graph): void {
    const symbolic = this.#symbolic;
    if (symbolic.length === 0) symbolic.push(input({ shape: graph.inputShape, name: `${this.graphLayers[0].name}_input` }));
    for (let i = symbolic.length - 1; i < graph.nodes.length; i++) symbolic.push(layerOutput(graph.nodes[i].layer, [symbolic[i]], graph.nodes[i].outputShape));
  }
}

/**
 * Makes a {@link Sequential} model from a list of layers (or `{ layers, name }`).
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.flatten({ inputShape: [28, 28] }),
 *   km.layers.dense({ units: 64, activation: 'relu' }),
 *   km.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * ```
 */
export function sequential(layersOrArgs: Layer[] | SequentialArgs = {}): Sequential {
  if (!Array.isArray(layersOrArgs)) checkOptions(layersOrArgs, optionNames<SequentialArgs>({ layers: true, name: true }), 'km.sequential');
  return new Sequential(Array.isArray(layersOrArgs) ? { layers: layersOrArgs } : layersOrArgs);
}
