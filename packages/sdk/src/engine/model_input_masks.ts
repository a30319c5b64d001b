import type { Backend } from '../backend/backend.js';
import { InputMask } from '../layers/input_mask.js';
import type { Shape } from '../layers/layer.js';
import { formatShape } from '../layers/layer_shapes.js';
import { Tensor } from '../tensor.js';
import { describe } from './concrete_apply.js';
import { Graph, modelInputIndex, modelInputRef, type ApplicationEnds, type GraphNode, type TensorRef } from './graph.js';
import type { ParamStore } from './params.js';
import { BatchPlan } from './plan.js';
import { predict } from './predict.js';
import { applyLayer, SymbolicTensor, type ModelApplication } from './symbolic.js';

// `model.apply(x, { mask })` (Keras' `model(x, mask=m)`, tfjs' `apply(x, { mask })`): the mask given
// for a model input is that input's mask, as if it carried it. Each masked input passes through an
// InputMask call given the mask explicitly, so every layer reading the input sees it as a carried
// mask: passed on, merged, consumed, or refused by a layer that takes none, as any other.

/** Options of `model.apply`. */
export interface ModelApplyArgs {
  /**
   * The mode of the model's calls: on symbolic tensors fixed for this application (Keras'
   * `base(x, training=False)`), on data how this one computation runs (see `LayersModel.apply`).
   */
  training?: boolean;
  /**
   * The mask of each model input, as if the input carried it (Keras' `model(x, mask=m)`, tfjs'
   * `apply(x, { mask })`): one value per step, `[steps]` per sample for an input `[steps, features]`,
   * 1 to keep a step and 0 to mask it (an int32 mask keeps each step whose value is nonzero, as Keras
   * casts a mask to bool). The layers reading the input see it as they would a mask made
   * by `km.layers.masking()` before them: a recurrent layer skips the masked steps, a layer with
   * returnSequences passes it on to the losses and metrics, and a layer that takes no mask refuses
   * it. One tensor for a one-input model; a list with an entry per input, null for one given none,
   * for several. Symbolic masks with symbolic inputs (`km.input({ shape: [steps] })`), km.Tensor
   * data `[batch, steps]` with data.
   */
  mask?: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor | null)[];
}

/** A model's masks per input (null for one given none), or null when `mask` gives none. */
export type InputMasks<T> = (T | null)[] | null;

/**
 * Reads `apply`'s `mask` for a model with inputs `inputs`: one tensor for a one-input model, or a
 * list with an entry per input, null for an input given none. Each mask has its input's steps
 * (`[steps]` per sample for an input `[steps, features]`) and, on data, its batch; errors name the
 * model, what was received and the fix.
 */
export function modelInputMasks<T extends SymbolicTensor | Tensor>(model: string, inputNames: readonly string[], inputs: readonly T[], mask: unknown): InputMasks<T> {
  if (mask === undefined || mask === null) return null;
  const where = `Model '${model}'.apply`;
  const onData = inputs[0] instanceof Tensor;
  const kind = onData ? 'km.Tensor data of shape [batch, steps], as the inputs are' : 'a symbolic tensor (such as km.input({ shape: [steps] })), as the inputs are';
  const many = inputs.length > 1;
  if (!Array.isArray(mask) && many) {
    throw new Error(`${where}: the model has ${inputs.length} inputs (${inputNames.map((n) => `'${n}'`).join(', ')}), so mask is a list with an entry per input, null for an input given none, as Keras' model(x, mask=[...]). Received: mask=${describe(mask)}.`);
  }
  const entries: unknown[] = Array.isArray(mask) ? mask : [mask];
  if (entries.length !== inputs.length) {
    throw new Error(`${where}: mask is a list with an entry per model input (${inputs.length}: ${inputNames.map((n) => `'${n}'`).join(', ')}), null for an input given none. Received: a list of ${entries.length}.`);
  }
  const given = entries.map((m) => (m === undefined ? null : m));
  given.forEach((m, k) => {
    if (m === null) return;
    const which = many ? `mask ${k} (for input '${inputNames[k]}')` : 'mask';
    if (!(onData ? m instanceof Tensor : m instanceof SymbolicTensor)) {
      throw new Error(`${where}: ${which} must be ${kind}, one value per step (1 keeps it, 0 masks it). Received: ${describe(m)}.`);
    }
    const input = onData ? (inputs[k] as Tensor).shape.slice(1) : (inputs[k] as SymbolicTensor).shape;
    const steps = input.slice(0, -1);
    if (input.length < 2) {
      throw new Error(
        `${where}: ${which} is for input '${inputNames[k]}' of shape ${formatShape(input)}, which has no steps to mask: a mask marks the steps of a sequence of shape [steps, features]. Give no mask for it${many ? ' (null in the list)' : ''}; ` +
          'for token ids [steps], an Embedding reading them makes its own mask (maskZero: true), or give the mask to a layer after it: layer.apply(embedded, { mask }).');
    }
    const shape = onData ? (m as Tensor).shape : (m as SymbolicTensor).shape;
    const expected = onData ? [(inputs[k] as Tensor).shape[0], ...steps] : steps;
    if (shape.length !== expected.length || shape.some((d, a) => d !== expected[a])) {
      // Data shapes have their batch; symbolic ones are per sample, written as Keras writes them.
      const format = (s: readonly (number | null)[]) => (onData ? `[${s.join(', ')}]` : formatShape(s));
      throw new Error(
        `${where}: ${which} has shape ${format(shape)}, but input '${inputNames[k]}' has shape ${format(onData ? (inputs[k] as Tensor).shape : input)}, so its mask needs shape ${format(expected)}: one value per step${onData ? ' of each sample' : ''}, 1 to keep it and 0 to mask it.`,
      );
    }
  });
  return given.some((m) => m !== null) ? (given.map((m) => (m instanceof Tensor && m.dtype === 'int32' ? keptSteps(m) : m)) as (T | null)[]) : null;
}

/** An int32 mask as the float32 0/1 mask the model reads: any nonzero value keeps its step, as Keras' cast to bool does. */
function keptSteps(mask: Tensor): Tensor<'float32'> {
  return new Tensor(Float32Array.from(mask.dataSync(), (v) => (v !== 0 ? 1 : 0)), mask.shape, 'float32');
}

/**
 * The symbolic inputs a model's calls read when applied on `inputs` with `masks`: each masked
 * input through an InputMask call given its mask, made as part of the application `via`.
 */
export function maskedSymbolicInputs(inputs: readonly SymbolicTensor[], masks: InputMasks<SymbolicTensor>, via: ModelApplication): SymbolicTensor[] {
  if (!masks) return [...inputs];
  return inputs.map((x, k) => (masks[k] ? (applyLayer(new InputMask(), [x, masks[k]!], { via, masks: 1 }) as SymbolicTensor) : x));
}

const maskedGraphs = new WeakMap<Graph, Map<string, Graph>>();

/**
 * `graph` with the masked inputs (`masked[k]`) read through InputMask nodes given their masks,
 * which become model inputs after the graph's own, in input order; made once per graph and
 * masked inputs. A layer that cannot take the mask is an error naming the model and the layer.
 */
export function maskedGraph(graph: Graph, masked: readonly boolean[], model: string): Graph {
  const key = masked.map(Number).join('');
  let known = maskedGraphs.get(graph);
  if (!known) maskedGraphs.set(graph, (known = new Map()));
  let made = known.get(key);
  if (!made) {
    try {
      made = withInputMasks(graph, masked);
    } catch (error) {
      throw new Error(`Model '${model}'.apply received a mask for its input, which its layers cannot take: ${(error as Error).message}`, { cause: error });
    }
    known.set(key, made);
  }
  return made;
}

function withInputMasks(graph: Graph, masked: readonly boolean[]): Graph {
  const given = masked.flatMap((m, k) => (m ? [k] : []));
  const first = given.length;
  const moved = (ref: number) => (ref >= 0 ? ref + first : given.includes(modelInputIndex(ref)) ? given.indexOf(modelInputIndex(ref)) : ref);
  const movedRef = ([ref, tensor]: TensorRef): TensorRef => [moved(ref), tensor];
  const inputCount = graph.inputShapes.length;
  const maskNodes: GraphNode[] = given.map((k, j) => {
    const layer = new InputMask();
    layer.ensureBuilt([graph.inputShapes[k]]);
    return { layer, inbound: [modelInputRef(k), modelInputRef(inputCount + j)], outputShape: graph.inputShapes[k], masks: 1 };
  });
  const nodes = [...maskNodes, ...graph.nodes.map((node) => ({ ...node, inbound: node.inbound.map(moved) }))];
  const applications = new Map<ModelApplication, ApplicationEnds>(
    [...graph.applications].map(([via, ends]) => [via, { ...ends, inputs: ends.inputs.map(movedRef), outputs: ends.outputs.map((o) => ({ ...o, ref: o.ref && movedRef(o.ref) })), ...(ends.masks ? { masks: ends.masks.map((m) => m && movedRef(m)) } : {}) }]),
  );
  const maskShapes: Shape[] = given.map((k) => graph.inputShapes[k].slice(0, -1));
  return Graph.fromNodes(
    [...graph.inputShapes, ...maskShapes], [...graph.inputNames, ...given.map((k) => `${graph.inputNames[k]}_mask`)],
    nodes, graph.outputs.map((o) => o + first), graph.outputTensors, applications, graph.outputKeys,
  );
}

/**
 * The model's outputs for `inputs` with `masks`, the whole input as one batch (`apply` on data):
 * its graph with the masks as inputs, on the model's weights in place, with batch buffers made for
 * this call only.
 */
export function predictWithMasks(
  runtime: { backend: Backend; params: ParamStore }, graph: Graph, model: string, inputs: readonly Tensor[], masks: readonly (Tensor | null)[], training: boolean | undefined,
): Tensor<'float32'>[] {
  const masked = maskedGraph(graph, masks.map((m) => m !== null), model);
  const { backend } = runtime;
  const batch = Math.max(1, inputs[0].shape[0]);
  const targets = masked.outputs.map(() => 1);
  let plan: BatchPlan | null = null;
  try {
    const planFor = (b: number) => (plan ??= new BatchPlan(backend, masked, b, targets, targets.map(() => false)));
    return predict({ backend, graph: masked, params: runtime.params, plan: planFor }, [...inputs, ...masks.filter((m): m is Tensor => m !== null)], { batchSize: batch }, training);
  } finally {
    (plan as BatchPlan | null)?.release(backend);
  }
}
