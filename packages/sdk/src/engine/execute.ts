import type { Backend } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';
import { Graph, type TensorRef } from './graph.js';
import type { ParamStore } from './params.js';
import { BatchPlan, cachedPlan } from './plan.js';
import { predict } from './predict.js';
import type { ModelPredictArgs } from './training_args.js';

/**
 * The node of `graph` whose output tfjs' `model.execute` names `tensorName`: tfjs names a symbolic
 * tensor after the layer that made it, scoped (`hidden/hidden`); the layer's one call in the model.
 * An output's key (Keras 3's dict outputs) names that output, as it does in predict's object; it
 * comes first, so the key means the same tensor everywhere, and `layer/layer` still reaches a layer.
 */
function namedOutput(graph: Graph, tensorName: string, model: string): TensorRef {
  const key = graph.outputKeys?.indexOf(tensorName) ?? -1;
  if (key >= 0) return [graph.outputs[key], graph.outputTensors[key]];
  const name = tensorName.split('/')[0];
  const calls = graph.nodes.flatMap((node, i) => (node.layer.name === name ? [i] : []));
  if (calls.length === 1) return [calls[0], 0];
  if (calls.length > 1) throw new Error(`Model '${model}'.execute: layer '${name}' is called ${calls.length} times in the model, so its name does not say which output; tfjs refuses it too. Build km.model({ inputs: model.inputs, outputs: [layer.getOutputAt(i)] }) instead.`);
  const names = graph.layers.map((l) => `'${l.name}'`).join(', ');
  const keys = graph.outputKeys ? ` Its named outputs: ${graph.outputKeys.map((k) => `'${k}'`).join(', ')}.` : '';
  throw new Error(`Model '${model}'.execute: no layer of the model is named '${name}', so no tensor '${tensorName}' is. Its layers: ${names}.${keys}`);
}

/**
 * tfjs' `model.execute(inputs, names)`: a forward pass of the model's graph that returns the named
 * inner tensors rather than the model's outputs. It reads the model's weights in place and makes
 * its batch buffers for the call only.
 */
export function executeNamed(runtime: { backend: Backend; params: ParamStore }, graph: Graph, model: string, x: unknown, names: readonly string[], args: ModelPredictArgs): Tensor<'float32'>[] {
  if (names.length === 0) throw new Error(`Model '${model}'.execute needs at least one tensor name, e.g. model.execute(x, '${graph.layers[0]?.name ?? 'dense'}').`);
  const refs = names.map((name) => namedOutput(graph, name, model));
  const inner = Graph.fromNodes(graph.inputShapes, graph.inputNames, graph.nodes, refs.map(([node]) => node), refs.map(([, tensor]) => tensor), graph.applications);
  const { backend } = runtime;
  const plans = new Map<number, BatchPlan>();
  const targets = refs.map(() => 1);
  try {
    return predict({ backend, graph: inner, params: runtime.params, plan: (b) => cachedPlan(plans, b, backend, 2, () => new BatchPlan(backend, inner, b, targets, targets.map(() => false))) }, x, args, false);
  } finally {
    for (const plan of plans.values()) plan.release(backend);
  }
}
