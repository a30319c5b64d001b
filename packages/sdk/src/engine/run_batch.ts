// One batch of `fit` or `evaluate`: rows gathered, the forward pass, each output's loss and metrics,
// then for `fit` the backward pass and the optimizer step; and `evaluate`'s loop over the batches.

import type { Scalar } from '../backend/backend.js';
import type { CallbackList, Logs } from '../callbacks/callbacks.js';
import { shapeSize } from '../tensor.js';
import type { BatchPlan } from './plan.js';
import { backwardPass, forwardPass, weightsWithoutGradient, type PassContext } from './step.js';
import { activityPenalties, applyConstraints, regularizationPenalty, withPenalty } from './regularization.js';
import { readTerms } from './added_losses.js';
import { recordLastCallLosses, type NodeTerm } from './last_call_losses.js';
import { metricWeights, outputMask, positionWeights } from './loss_weights.js';
import { StepMetricBatch } from './step_metric_batch.js';
import { Accumulator } from './accumulator.js';
import type { Dataset } from './prepare_data.js';
import type { TrainingTarget } from './training_target.js';
import type { Graph } from './graph.js';
import type { OutputSpec } from './outputs.js';
import type { ParamStore } from './params.js';
import type { WeightSpec } from '../layers/layer.js';

/**
 * Each plan's pass contexts (training, inference), made on its first batch: nothing in them changes
 * from step to step, since a model remakes its plans on compile and on a new parameter layout.
 */
const PASS_CONTEXTS = new WeakMap<BatchPlan, [PassContext | null, PassContext | null]>();

function passContext(target: TrainingTarget, plan: BatchPlan, training: boolean): PassContext {
  let contexts = PASS_CONTEXTS.get(plan);
  if (!contexts) PASS_CONTEXTS.set(plan, (contexts = [null, null]));
  return (contexts[training ? 1 : 0] ??= newPassContext(target, plan, training));
}

function newPassContext(target: TrainingTarget, plan: BatchPlan, training: boolean): PassContext {
  // A softmax is left to the loss only where nothing but the loss reads the output, and no activity
  // penalty needs to see the probabilities.
  const deferSoftmax = target.outputs.map((o) => {
    const layer = target.graph.nodes[o.node].layer;
    return o.loss !== null && o.loss.fusesSoftmax && layer.outputActivation === 'softmax' && target.graph.consumers[o.node].length === 0 && !layer.activityRegularizer;
  });
  return { backend: target.backend, graph: target.graph, params: target.params, plan, training, deferSoftmax };
}

/** The weights no loss term reaches, per layout, with the graph, compiled outputs and nodes adding a loss they were found for. */
const WITHOUT_GRADIENT = new WeakMap<ParamStore, { graph: Graph; outputs: readonly OutputSpec[]; addingLoss: string; weights: ReadonlySet<WeightSpec> }>();

/** The compiled outputs whose weights without a gradient were named in a warning (once per compile). */
const WARNED = new WeakSet<readonly OutputSpec[]>();

/**
 * The trainable weights of `target` that no loss term reaches (they feed only outputs compiled
 * without a loss, and no layer at or after them added a loss in this step's forward pass), which
 * the optimizer leaves unchanged. Found again only when the compile, the graph, the layout (a
 * layer's `trainable` flipped) or the nodes adding a loss changed, so a step looks up one entry.
 */
function weightsLeftUnchanged(target: TrainingTarget, addingLossNodes: readonly number[]): ReadonlySet<WeightSpec> {
  const { graph, outputs, params } = target;
  const known = WITHOUT_GRADIENT.get(params);
  const addingLoss = addingLossNodes.join();
  if (known && known.graph === graph && known.outputs === outputs && known.addingLoss === addingLoss) return known.weights;
  const weights = weightsWithoutGradient(graph, outputs, addingLossNodes);
  WITHOUT_GRADIENT.set(params, { graph, outputs, addingLoss, weights });
  if (weights.size > 0 && !WARNED.has(outputs)) {
    WARNED.add(outputs);
    console.warn(
      `kerasm: no loss term reaches the weights [${[...weights].map((w) => `'${w.name}'`).join(', ')}] (they feed only outputs compiled without a loss, or only masks), ` +
        'so the optimizer leaves them unchanged, as Keras does: no update, no weight decay, and their optimizer state stays as it was.',
    );
  }
  return weights;
}

/** What {@link runBatch} gives the step: loss sums per output, metric updates, the pass context, and the layers' added loss terms. */
interface BatchRun {
  readonly lossSums: Scalar[];
  readonly updates: (void | Promise<void>)[];
  readonly ctx: PassContext;
  /** The values of the terms layers added with `ctx.addLoss`, read before any backward pass. */
  readonly added: Scalar[];
  /** The nodes that added them. */
  readonly addingLoss: readonly number[];
  /** The node that added each of {@link added}. */
  readonly addedBy: readonly number[];
}

/** Loads one batch, runs the forward pass and each output's loss. */
function runBatch(target: TrainingTarget, data: Dataset, start: number, count: number, training: boolean): BatchRun {
  // A callback may have run another model sharing layers with this one since the last batch.
  target.params.claim();
  const plan = target.plan(count);
  const { backend, outputs } = target;
  for (let k = 0; k < data.xs.length; k++) backend.gatherRows(plan.inputs[k], data.xs[k], data.order, start, count, data.xRows[k]);
  for (let k = 0; k < data.ys.length; k++) if (data.yRows[k] > 0) backend.gatherRows(plan.targetsList[k], data.ys[k], data.order, start, count, data.yRows[k]);
  const ctx = passContext(target, plan, training);
  const { terms, nodes: addingLoss, termNodes } = forwardPass(ctx);
  const added = readTerms(backend, terms);
  const lossSums: Scalar[] = [];
  const updates: (void | Promise<void>)[] = [];
  for (let k = 0; k < outputs.length; k++) {
    const o = outputs[k];
    const modelOutput = plan.modelOutput(target.graph, k);
    const grad = training ? modelOutput.grad : 0;
    if (o.loss === null) {
      // No loss term: the output's gradient starts at zero (layers reading it may still add theirs).
      if (grad) backend.fill(grad, count * shapeSize(o.shape), 0);
      lossSums.push(0);
      // Gathers the batch's sample weights, which its weighted metrics read.
      if (o.weightedMetrics.length > 0) positionWeights(target, plan, data, k, start, count);
      continue;
    }
    // A masked output, or sample weights: Keras' masked, weighted mean over the positions (loss_weights.ts).
    const weights = positionWeights(target, plan, data, k, start, count);
    lossSums.push(o.loss.compute(backend, modelOutput.output, plan.targetsList[k], grad, count, o.shape, ctx.deferSoftmax[k], weights));
    // The total loss is Σ weight·loss, so each output's gradient scales by its weight.
    if (grad && o.weight !== 1) backend.scale(grad, count * shapeSize(o.shape), o.weight);
  }
  for (let k = 0; k < outputs.length; k++) {
    const { metrics, weightedMetrics } = outputs[k];
    if (metrics.length === 0 && weightedMetrics.length === 0) continue;
    const batch = new StepMetricBatch(target, data, start, count, plan, k, outputMask(plan, outputs[k]));
    for (const m of metrics) updates.push(m.update(batch));
    if (weightedMetrics.length === 0) continue;
    const weighted = batch.withWeights(target, plan, metricWeights(target, plan, data, k, count));
    for (const m of weightedMetrics) updates.push(m.update(weighted));
  }
  return { lossSums, updates, ctx, added, addingLoss, addedBy: termNodes };
}

/** The batch's added terms and activity penalties, kept as their layers' last call's for `layer.losses`. */
function recordAdded(target: TrainingTarget, run: BatchRun, activity: readonly NodeTerm[]): void {
  const terms = run.added.length === 0 ? activity : [...run.added.map((value, k) => ({ node: run.addedBy[k], value })), ...activity];
  recordLastCallLosses(target.graph, terms);
}

/**
 * One optimizer step on samples `[start, start + count)` of `data`, added to the epoch's
 * accumulator. Returns a promise only when something must be awaited (see {@link Accumulator.add}),
 * so a step on the wasm backend makes no promise.
 */
export function trainBatch(target: TrainingTarget, data: Dataset, start: number, count: number, acc: Accumulator): void | Promise<void> {
  const run = runBatch(target, data, start, count, true);
  const { lossSums, updates, ctx, added, addingLoss } = run;
  const activityTerms = backwardPass(ctx);
  recordAdded(target, run, activityTerms);
  const activity = activityTerms.map((t) => t.value);
  const weightPenalties = regularizationPenalty(target.backend, target.graph, target.params, true);
  const unchanged = weightsLeftUnchanged(target, addingLoss);
  target.optimizer.apply(target.params.params, target.params.grads, unchanged);
  applyConstraints(target.backend, target.graph, target.params, unchanged);
  const penalty = activity.length === 0 && added.length === 0 ? weightPenalties : [...added, ...activity, ...weightPenalties];
  return acc.add(lossSums, withPenalty(0, penalty, count), count, updates);
}

/** Adds the loss and metrics of samples `[start, start + count)` of `data` to `acc`, without training. */
export function evaluateBatch(target: TrainingTarget, data: Dataset, start: number, count: number, acc: Accumulator): void | Promise<void> {
  const run = runBatch(target, data, start, count, false);
  const { lossSums, updates, ctx, added } = run;
  const activity = activityPenalties(target.backend, target.graph, ctx.plan);
  recordAdded(target, run, activity);
  const penalty = [...added, ...activity.map((t) => t.value), ...regularizationPenalty(target.backend, target.graph, target.params, false)];
  return acc.add(lossSums, withPenalty(0, penalty, count), count, updates);
}

/**
 * Evaluates `data` batch by batch into a fresh accumulator, calling the test batch hooks of
 * `callbacks` around each batch, until a hook sets the model's `stopEvaluating`.
 */
export async function evaluateData(target: TrainingTarget, data: Dataset, batchSize: number, callbacks?: CallbackList): Promise<Accumulator> {
  const acc = new Accumulator(target.outputs);
  const begin = callbacks?.having('onTestBatchBegin') ?? [];
  const end = callbacks?.having('onTestBatchEnd') ?? [];
  for (let start = 0, batch = 0; start < data.order.length; start += batchSize, batch++) {
    const count = Math.min(batchSize, data.order.length - start);
    if (begin.length > 0) await callbacks!.call(begin, batch, { batch, size: count });
    const pending = evaluateBatch(target, data, start, count, acc);
    if (pending) await pending;
    if (end.length > 0) await callbacks!.call(end, batch, { batch, size: count, ...acc.logs() });
    // Keras 3 checks it after each batch's hooks: the logs then cover the batches run so far.
    if (target.model.stopEvaluating) break;
  }
  return acc;
}

/** A validation pass's logs as the epoch logs hold them: `val_loss`, `val_accuracy`, ... */
export function validationLogs(logs: Logs): Logs {
  return Object.fromEntries(Object.entries(logs).map(([key, value]) => [`val_${key}`, value]));
}
