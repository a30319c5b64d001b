import type { Layer, Shape } from '../layers/layer.js';
import { formatShape } from '../layers/layer_shapes.js';
import { sameShape } from '../tensor.js';
import { inboundShape, inboundTensor, inputCount, modelInputIndex, outputShapesOf, type ApplicationEnds, type Graph, type GraphNode } from './graph.js';
import type { ModelApplication } from './symbolic.js';

/**
 * The nodes of `graph` for model inputs of `inputShapes` (other sizes on the unknown axes): in
 * topological order, each layer is rebound to the shapes its call now gets and its output shapes
 * are inferred again; the applications' ends follow.
 */
export function reshapedNodes(graph: Graph, inputShapes: readonly Shape[]): { nodes: GraphNode[]; applications: Map<ModelApplication, ApplicationEnds> } {
  const nodes: GraphNode[] = [];
  const shapeOf = (ref: number, tensor: number) => (ref < 0 ? inputShapes[modelInputIndex(ref)] : outputShapesOf(nodes[ref])[tensor]);
  const boundTo = new Map<Layer, readonly Shape[]>();
  graph.nodes.forEach((node) => {
    const callShapes = node.inbound.slice(0, inputCount(node)).map((ref, slot) => shapeOf(ref, inboundTensor(node, slot)));
    const bound = boundTo.get(node.layer);
    if (bound && !bound.every((shape, k) => sameShape(shape, callShapes[k]))) throw sharedLayerSizesError(node.layer, bound, callShapes);
    boundTo.set(node.layer, callShapes);
    node.layer.rebind(callShapes);
    const outputShapes = node.layer.computeOutputShapes(callShapes);
    nodes.push({ ...node, outputShape: outputShapes[0], ...(node.outputShapes ? { outputShapes } : {}) });
  });
  const applications = new Map([...graph.applications].map(([via, ends]) => [
    via,
    { ...ends, outputs: ends.outputs.map(({ ref, shape }) => ({ ref, shape: ref && ref[0] >= 0 ? outputShapesOf(nodes[ref[0]])[ref[1]] : shape })) },
  ]));
  return { nodes, applications };
}

/** Rebinds every layer of `graph` to the shapes its calls get there, which the graph holds already (no shape is inferred again). */
export function bindLayers(graph: Graph): void {
  for (const node of graph.nodes) node.layer.rebind(Array.from({ length: inputCount(node) }, (_, slot) => inboundShape(graph, node, slot)));
}

function sharedLayerSizesError(layer: Layer, first: readonly Shape[], then: readonly Shape[]): Error {
  const list = (shapes: readonly Shape[]) => shapes.map(formatShape).join(' and ');
  return new Error(
    `Layer '${layer.name}' (${layer.className}) is applied more than once in this model, and this batch gives its calls inputs of different sizes on unknown dimensions: ${list(first)}, then ${list(then)}. ` +
      `kerasm runs a layer at one size per batch. Give each call its own ${layer.className} layer, or bring the inputs to one size (pad them).`,
  );
}
