import { formatShape, type Layer, type Shape } from '../layers/layer.js';

/** Index of the model input in a node's `inbound` list. */
export const MODEL_INPUT = -1;

/** One application of a layer, reading the outputs of earlier nodes (or the model input). */
export interface GraphNode {
  readonly layer: Layer;
  readonly inbound: readonly number[];
  readonly outputShape: Shape;
}

/**
 * A model's layers as a directed acyclic graph in topological order. Sequential models are the
 * chain case; the functional API builds general graphs on the same structure.
 */
export class Graph {
  readonly inputShape: Shape;
  readonly nodes: readonly GraphNode[];

  private constructor(inputShape: Shape, nodes: GraphNode[]) {
    this.inputShape = inputShape;
    this.nodes = nodes;
  }

  /** Builds each layer in order, inferring shapes; errors name the layer that rejects its input. */
  static chain(layers: readonly Layer[], inputShape: Shape): Graph {
    if (layers.length === 0) throw new Error('A model needs at least one layer. Add layers with model.add(...) or km.sequential([...]).');
    const nodes: GraphNode[] = [];
    let shape = inputShape;
    layers.forEach((layer, i) => {
      const declared = layer.declaredInputShape;
      if (i > 0 && declared) {
        throw new Error(`Layer '${layer.name}' declares an inputShape, but only the first layer of a sequential model may. Remove inputShape from it.`);
      }
      const outputShape = layer.computeOutputShape([shape]);
      layer.ensureBuilt([shape]);
      nodes.push({ layer, inbound: [i === 0 ? MODEL_INPUT : i - 1], outputShape });
      shape = outputShape;
    });
    return new Graph(inputShape, nodes);
  }

  get outputShape(): Shape {
    return this.nodes[this.nodes.length - 1].outputShape;
  }

  get outputNode(): GraphNode {
    return this.nodes[this.nodes.length - 1];
  }

  /** Checks a data tensor's per-sample shape against the model input. */
  checkInput(shape: readonly number[], what: string): void {
    const sample = shape.slice(1);
    const same = sample.length === this.inputShape.length && sample.every((d, i) => d === this.inputShape[i]);
    if (same) return;
    const first = this.nodes[0].layer;
    const flat = sample.reduce((a, b) => a * b, 1);
    const expectedFlat = this.inputShape.reduce((a, b) => a * b, 1);
    const hint =
      flat === expectedFlat && this.inputShape.length === 1
        ? ` Add km.layers.flatten({ inputShape: [${sample.join(', ')}] }) as the first layer, or reshape ${what} with ${what}.reshape([-1, ${expectedFlat}]).`
        : ` Give ${what} the shape [n, ${this.inputShape.join(', ')}].`;
    throw new Error(
      `Input of layer '${first.name}' (${first.className}) expects shape ${formatShape(this.inputShape)}, but ${what} has shape [${shape.join(', ')}].${hint}`,
    );
  }
}
