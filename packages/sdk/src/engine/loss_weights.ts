import type { BufferId } from '../backend/backend.js';
import { positions } from '../losses/targets.js';
import { shapeSize } from '../tensor.js';
import type { Graph } from './graph.js';
import type { OutputSpec } from './outputs.js';
import type { BatchPlan } from './plan.js';
import type { Dataset } from './prepare_data.js';
import type { TrainingTarget } from './training_target.js';
import type { LossWeights } from './sample_weights.js';

/**
 * Keras' masked, weighted "sum over batch size" loss (losses/loss.py apply_mask): when an output
 * carries a mask (a per-step tagger after `embedding({ maskZero: true })`) or sample weights were
 * given, its loss is Σ loss·w·m / Σm over the batch's positions (Σ loss·w / positions without a
 * mask), w the sample weight (per sample, or per position for temporal weights) and m the mask.
 * The weights are computed on the device from the mask the forward pass wrote and the weights
 * gathered with the batch, into buffers made once per plan, so a step reads nothing back.
 */

interface OutputBuffers {
  /** batch × positions weights the loss kernels multiply each position's loss and gradient by. */
  readonly positionWeights: BufferId;
  /** batch × positions weights of the output's weighted metrics (m·w, not normalized), made on first use. */
  metricWeights: BufferId;
  /** The batch's sample weights, by values per sample (1, or one per position), gathered from the host. */
  readonly sampleWeights: Map<number, BufferId>;
}

const BUFFERS = new WeakMap<BatchPlan, (OutputBuffers | undefined)[]>();

/** The mask the output's values carry, `[batch, positions]`, or 0; a node's mask travels with its first output only (a returned state has none). */
export function outputMask(plan: BatchPlan, o: OutputSpec): BufferId {
  return o.tensor === 0 ? plan.masks[o.node] : 0;
}

/**
 * Checks that a masked output's mask has one value per position of the output, which is how Keras
 * applies it to the loss, and that the output's loss takes such weights; throws naming the layers otherwise.
 */
export function checkOutputMask(graph: Graph, o: OutputSpec): void {
  const source = o.tensor === 0 ? graph.maskSources[o.node] : -1;
  if (source < 0) return;
  const maskSteps = shapeSize(graph.nodes[source].outputShape.slice(0, -1));
  if (maskSteps !== positions(o.shape)) {
    const sourceLayer = graph.nodes[source].layer;
    throw new Error(
      `Output '${o.name}' (None, ${o.shape.join(', ')}) carries the mask of layer '${sourceLayer.name}' (${sourceLayer.className}), which has ${maskSteps} steps per sample, ` +
        `but the loss is taken at ${positions(o.shape)} positions per sample; kerasm applies a mask to the loss only when each position has one mask value. ` +
        `Consume the mask before the output (a recurrent layer without returnSequences, or globalAveragePooling1d), or drop it (maskZero: false, no Masking layer).`,
    );
  }
  o.loss?.checkPositionWeights?.(o.shape, 'mask');
}

/**
 * The per-position loss weights of output k for the samples `[start, start + count)` of `data`, on
 * the device; undefined when the output has no mask and no sample weights were given (the
 * unweighted kernels then run as before, at the same speed).
 */
export function positionWeights(target: TrainingTarget, plan: BatchPlan, data: Dataset, k: number, start: number, count: number): BufferId | undefined {
  const o = target.outputs[k];
  const mask = outputMask(plan, o);
  const weights = weightsOf(data, k);
  if (!mask && !weights) return undefined;
  const own = outputBuffers(target, plan, k);
  const perSample = positions(o.shape);
  target.backend.lossWeights(mask, sampleWeights(target, plan, own, data, weights, start, count), perSample / (weights?.row ?? 1), own.positionWeights, count * perSample);
  return own.positionWeights;
}

/** Output k's sample weights in `data`: its own (from classWeight) where the dataset has them per output, else the shared ones. */
function weightsOf(data: Dataset & LossWeights, k: number): { values: Float32Array; row: number } | undefined {
  if (data.outputWeights) {
    const own = data.outputWeights[k];
    return own && { values: own, row: 1 };
  }
  return data.weights && { values: data.weights, row: data.weightRow ?? 1 };
}

/**
 * The position weights output k's `weightedMetrics` count with for a batch of `count` samples: the
 * mask times the sample weights, not normalized (Keras passes sample_weight to them); just the mask
 * (or 0) when no sample weights were given, as the unweighted metrics see. Call it after
 * {@link positionWeights} for the same batch, whose gathered sample weights it reads.
 */
export function metricWeights(target: TrainingTarget, plan: BatchPlan, data: Dataset, k: number, count: number): BufferId {
  const o = target.outputs[k];
  const mask = outputMask(plan, o);
  const weights = weightsOf(data, k);
  if (!weights) return mask;
  const own = outputBuffers(target, plan, k);
  const weightRow = weights.row;
  const gathered = own.sampleWeights.get(weightRow);
  if (gathered === undefined) throw new Error(`metricWeights: output ${k}'s sample weights were not gathered for this batch; call positionWeights first.`);
  const perSample = positions(o.shape);
  own.metricWeights ||= plan.own(target.backend, plan.batch * perSample);
  target.backend.lossWeights(mask, gathered, perSample / weightRow, own.metricWeights, count * perSample, false);
  return own.metricWeights;
}

function outputBuffers(target: TrainingTarget, plan: BatchPlan, k: number): OutputBuffers {
  let buffers = BUFFERS.get(plan);
  if (!buffers) BUFFERS.set(plan, (buffers = []));
  const o = target.outputs[k];
  if (!buffers[k]) {
    // Checked here, once per plan, so that every path into a step (arrays, datasets, on-batch) is.
    checkOutputMask(target.graph, o);
    buffers[k] = { positionWeights: plan.own(target.backend, plan.batch * positions(o.shape)), metricWeights: 0, sampleWeights: new Map() };
  }
  return buffers[k];
}

/** The batch's sample weights gathered into the output's buffer for their row length, or 0 when none were given. */
function sampleWeights(target: TrainingTarget, plan: BatchPlan, own: OutputBuffers, data: Dataset, weights: { values: Float32Array; row: number } | undefined, start: number, count: number): BufferId {
  if (!weights) return 0;
  const buffer = own.sampleWeights.get(weights.row) ?? plan.own(target.backend, plan.batch * weights.row);
  own.sampleWeights.set(weights.row, buffer);
  target.backend.gatherRows(buffer, weights.values, data.order, start, count, weights.row);
  return buffer;
}
