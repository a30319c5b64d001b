import type { Backend, Scalar } from '../backend/backend.js';
import { activityPenalty } from './regularization.js';
import type { NodeTerm } from './last_call_losses.js';
import { AddedLosses, type AddedTerms, type KnownBuffer } from './added_losses.js';
import { explicitMaskInputs, inboundShape, inboundTensor, inputCount, outputShapesOf, type Graph } from './graph.js';
import type { ParamStore } from './params.js';
import type { BatchPlan } from './plan.js';
import type { BackwardContext, ForwardContext, WeightSpec } from '../layers/layer.js';
import type { Regularizer } from '../regularizers/regularizers.js';
import { shapeSize } from '../tensor.js';
import type { OutputSpec } from './outputs.js';

/** Everything one forward or backward pass needs. */
export interface PassContext {
  readonly backend: Backend;
  readonly graph: Graph;
  readonly params: ParamStore;
  readonly plan: BatchPlan;
  /**
   * The mode the layers run in; undefined for a call on data that gave none (`layer.apply(x)`),
   * where each runs in its own default mode (`Layer.trainingByDefault`), as Keras 3's calls do.
   */
  readonly training: boolean | undefined;
  /** Per model output: whether its layer leaves its softmax to a fused softmax-cross-entropy loss. */
  readonly deferSoftmax: readonly boolean[];
}

function nodeContext(ctx: PassContext, index: number): ForwardContext {
  const node = ctx.graph.nodes[index];
  const { losses } = nodeContexts(ctx);
  // The masks given explicitly come after the inputs, and replace the own masks of the inputs they are for.
  const inbound = node.inbound.slice(0, inputCount(node));
  const explicit = ctx.plan.explicitMasks[index];
  // A node's extra outputs (an RNN's states) carry no mask.
  const inputMasks = inbound.map((i, slot) => explicit[slot] ?? (i >= 0 && inboundTensor(node, slot) === 0 ? ctx.plan.masks[i] : 0));
  return {
    backend: ctx.backend,
    batch: ctx.plan.batch,
    // Every node has an inbound tensor (an InputLayer's is the model input).
    inputs: inbound.map((i, slot) => ctx.plan.inputOf(i, inboundTensor(node, slot))) as [number, ...number[]],
    output: ctx.plan.outputs[index],
    outputs: ctx.plan.nodeOutputs[index],
    workspace: ctx.plan.workspaces[index],
    inputMask: inputMasks[0] ?? 0,
    inputMasks,
    outputMask: ctx.graph.maskSources[index] === index && node.layer.producesMask ? ctx.plan.masks[index] : 0,
    weights: ctx.params.weightsOf(node.layer),
    training: node.training ?? ctx.training ?? node.layer.trainingByDefault,
    deferSoftmax: ctx.graph.outputs.some((node, k) => node === index && ctx.graph.outputTensors[k] === 0 && ctx.deferSoftmax[k]),
    addLoss: losses.adder(index, node.layer.name, () => knownBuffers(ctx, index)),
  };
}

/** Node `index`'s inputs, outputs and weights, with their lengths: what `addLoss` can tell is not one float. */
function knownBuffers(ctx: PassContext, index: number): KnownBuffer[] {
  const { graph, plan, params } = ctx;
  const node = graph.nodes[index];
  const inputs = node.inbound.slice(0, inputCount(node)).map((i, slot) => ({
    name: `ctx.inputs[${slot}]`, id: plan.inputOf(i, inboundTensor(node, slot)), length: plan.batch * shapeSize(inboundShape(graph, node, slot)),
  }));
  const outputs = outputShapesOf(node).map((shape, k) => ({ name: k === 0 ? 'ctx.output' : `ctx.outputs[${k}]`, id: plan.nodeOutputs[index][k], length: plan.batch * shapeSize(shape) }));
  const weights = params.weightsOf(node.layer).map((id, w) => ({ name: `ctx.weights[${w}]`, id, length: shapeSize(node.layer.weightSpecs[w].shape) }));
  return [...inputs, ...outputs, ...weights];
}

function backwardContext(ctx: PassContext, index: number): BackwardContext {
  const { plan } = ctx;
  const scratch = plan.weightGradScratch[index];
  return {
    ...nodeContext(ctx, index),
    outputGrad: plan.grads[index],
    outputGrads: plan.nodeGrads[index],
    inputGrads: plan.gradRoutes[index].slice(0, inputCount(ctx.graph.nodes[index])).map((r) => r.write) as [number, ...number[]],
    weightGrads: scratch.length > 0 ? scratch : ctx.params.gradsOf(ctx.graph.nodes[index].layer),
    weightGradsNeeded: plan.trainsWeights[index],
  };
}

/** Each node's contexts, made on first use: they depend only on the pass context, which training reuses across steps. */
interface NodeContexts {
  readonly forward: (ForwardContext | undefined)[];
  readonly backward: (BackwardContext | undefined)[];
  /** The loss terms the layers add (`ctx.addLoss`) in the last forward pass. */
  readonly losses: AddedLosses;
}

const NODE_CONTEXTS = new WeakMap<PassContext, NodeContexts>();

function nodeContexts(ctx: PassContext): NodeContexts {
  let contexts = NODE_CONTEXTS.get(ctx);
  if (!contexts) {
    contexts = { forward: [], backward: [], losses: new AddedLosses() };
    NODE_CONTEXTS.set(ctx, contexts);
  }
  return contexts;
}

/** Writes the logical AND of the 0/1 masks of `sources` into node `index`'s mask. */
function mergeMasks(ctx: PassContext, index: number, sources: readonly number[]): void {
  const { masks, batch } = ctx.plan;
  const n = batch * shapeSize(ctx.graph.nodes[index].outputShape.slice(0, -1));
  ctx.backend.mul(masks[sources[0]], masks[sources[1]], masks[index], n);
  for (const source of sources.slice(2)) ctx.backend.mul(masks[index], masks[source], masks[index], n);
}

/** Writes the masks given to node `index` explicitly as 0/1 (Keras casts a mask to booleans: any value but 0 keeps a step). */
function writeExplicitMasks(ctx: PassContext, index: number): void {
  const node = ctx.graph.nodes[index];
  const first = inputCount(node);
  explicitMaskInputs(node).forEach((input, k) => {
    const slot = first + k;
    const rows = ctx.plan.batch * shapeSize(inboundShape(ctx.graph, node, slot));
    ctx.backend.maskFromValues(ctx.plan.inputOf(node.inbound[slot], inboundTensor(node, slot)), ctx.plan.explicitMasks[index][input]!, rows, 1, 0);
  });
}

/**
 * Runs every node's forward kernels in topological order. Returns the loss terms the layers added
 * (`ctx.addLoss`), valid until the next forward pass on `ctx`.
 */
export function forwardPass(ctx: PassContext): AddedTerms {
  const { forward, losses } = nodeContexts(ctx);
  losses.begin();
  for (let i = 0; i < ctx.graph.nodes.length; i++) {
    if (ctx.graph.nodes[i].masks) writeExplicitMasks(ctx, i);
    if (!ctx.plan.aliased[i]) {
      losses.enter(i);
      ctx.graph.nodes[i].layer.forward((forward[i] ??= nodeContext(ctx, i)));
      losses.leave();
    }
    const merged = ctx.graph.maskMerges.get(i);
    if (merged) mergeMasks(ctx, i, merged);
  }
  return losses;
}

/**
 * Runs backward kernels in reverse order, from the output gradients already in the plan. Where a
 * node's output feeds several layers, the plan routes all but one of them to a separate buffer
 * that is added in here, so gradients accumulate over every consumer; a shared layer's weight
 * gradients accumulate over its nodes the same way. Returns the activity
 * penalties, whose gradients it adds to each regularized layer's output gradient before that
 * layer's backward runs. A node with no trainable weight at or before it is skipped.
 */
export function backwardPass(ctx: PassContext): NodeTerm[] {
  const { backend, plan } = ctx;
  const penalties: NodeTerm[] = [];
  const { backward } = nodeContexts(ctx);
  for (const { id, length } of plan.unreadGrads) backend.fill(id, length, 0);
  for (let i = ctx.graph.nodes.length - 1; i >= 0; i--) {
    if (plan.aliased[i]) continue;
    const node = ctx.graph.nodes[i];
    const routes = plan.gradRoutes[i];
    const penalty = activityPenalty(backend, ctx.graph, plan, i, plan.grads[i]);
    if (penalty !== null) penalties.push({ node: i, value: penalty });
    if (!plan.backwardNeeded[i]) continue;
    node.layer.backward((backward[i] ??= backwardContext(ctx, i)));
    const scratch = plan.weightGradScratch[i];
    if (scratch.length > 0) {
      const weightGrads = ctx.params.gradsOf(node.layer);
      scratch.forEach((id, w) => {
        const spec = node.layer.weightSpecs[w];
        // Only trainable gradients are read; a frozen weight's scratch may hold anything.
        if (spec.trainable) backend.add(weightGrads[w], id, weightGrads[w], shapeSize(spec.shape));
      });
    }
    for (let slot = 0; slot < routes.length; slot++) {
      const r = routes[slot];
      if (r.addInto) {
        const n = plan.batch * shapeSize(inboundShape(ctx.graph, node, slot));
        backend.add(r.addInto, r.write, r.addInto, n);
      }
    }
  }
  return penalties;
}

const penalizes = (r: Regularizer | null | undefined): boolean => !!r && (r.l1 !== 0 || r.l2 !== 0);

/**
 * The trainable weights that no term of the loss reaches: those of layers whose outputs lead only to
 * model outputs compiled without a loss (Keras' None), unless a weight or activity regularizer or a
 * loss term added by a node at or after them (`addingLoss`, see `ForwardContext.addLoss`) puts
 * them in the loss. Keras' TensorFlow and PyTorch backends give these no gradient, and its
 * optimizers' `apply_gradients` drops variables without one (no update, no weight decay, optimizer
 * state untouched); kerasm's backward pass writes them a gradient of zero, which is what the
 * optimizer must skip to match.
 */
export function weightsWithoutGradient(graph: Graph, outputs: readonly OutputSpec[], addingLoss: readonly number[] = []): Set<WeightSpec> {
  const lossNodes = new Set([...outputs.filter((o) => o.loss !== null).map((o) => o.node), ...addingLoss]);
  // Nodes are in topological order, so every consumer of a node comes after it.
  const reaches: boolean[] = new Array(graph.nodes.length).fill(false);
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    // A consumer that reads node i only as an explicit mask passes no gradient back to it.
    const readsAsInput = (c: number) => graph.nodes[c].inbound.some((j, slot) => j === i && slot < inputCount(graph.nodes[c]));
    reaches[i] = lossNodes.has(i) || penalizes(graph.nodes[i].layer.activityRegularizer) || graph.consumers[i].some((c) => reaches[c] && readsAsInput(c));
  }
  const without = new Set<WeightSpec>();
  for (const layer of graph.layers) {
    if (graph.nodesOf(layer).some((i) => reaches[i])) continue;
    const regularizers = layer.weightRegularizers;
    layer.weightSpecs.forEach((spec, w) => {
      if (spec.trainable && !penalizes(regularizers[w])) without.add(spec);
    });
  }
  return without;
}
