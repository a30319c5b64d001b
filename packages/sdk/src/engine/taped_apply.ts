// A model or layer applied to data inside a gradient call (km.variableGrads, optimizer.minimize):
// its forward pass runs on the backend as always, into a batch plan of its own that keeps the
// activations, and one step on the tape stands for the whole pass. Its backward closure seeds the
// plan's output gradients with the cotangent and runs the graph's backward pass, whose weight
// gradients are the cotangents of the weights' joined arguments (ops/tape.ts joinedArgument).
import type { Backend, BufferId } from '../backend/backend.js';
import type { Layer, WeightSpec } from '../layers/layer.js';
import { LayerWeight } from '../layers/layer_weight.js';
import { afterGradients, dependsOnArguments, joinedArgument, record } from '../ops/tape.js';
import { shapeSize, Tensor, type DType } from '../tensor.js';
import type { Graph } from './graph.js';
import { modelInputValues } from './model_input_values.js';
import type { ParamStore } from './params.js';
import { BatchPlan } from './plan.js';
import { checkedInputs } from './predict.js';
import { backwardPass, forwardPass } from './step.js';
import { nonFiniteError } from './validate_data.js';
import { firstNonFinite } from '../backend/non_finite.js';

/** What a recorded pass runs on: the graph, and the store holding its weights on `backend`. */
export interface TapedTarget {
  readonly backend: Backend;
  readonly graph: Graph;
  readonly params: ParamStore;
  /** Names the model or layer in errors. */
  readonly where: string;
}

/** A trainable weight of the graph that the running gradient call differentiates with respect to. */
interface WatchedWeight {
  readonly layer: Layer;
  readonly index: number;
  readonly spec: WeightSpec;
  readonly arg: Tensor;
}

/**
 * The graph's outputs for inputs `xIn` (one batch), recorded on the running tape when the gradient
 * call differentiates with respect to any of its weights, or any input depends on its arguments:
 * the backward pass then gives those inputs their gradients too.
 */
export function tapedApply(target: TapedTarget, xIn: unknown, training: boolean | undefined, declared: readonly DType[] = []): Tensor<'float32'>[] {
  const { backend, graph, params, where } = target;
  const { tensors: xs, labels } = checkedInputs(graph, xIn);
  // The inputs that depend on the call's arguments get gradients too (a generator's output fed to a discriminator).
  const dependent = xs.flatMap((x, k) => (dependsOnArguments(x) ? [k] : []));
  const watched = watchedWeights(target);
  const regularized = graph.layers.find((layer) => layer.activityRegularizer);
  if ((watched.length > 0 || dependent.length > 0) && regularized) {
    throw new Error(
      `${where} inside a gradient call: layer '${regularized.name}' has an activity regularizer, whose penalty a gradient call would leave out of the value but not of the gradient. ` +
        'Train the model with fit or trainOnBatch, which add the penalty to the loss, or drop the activityRegularizer.',
    );
  }
  const n = xs[0].shape[0];
  const outSizes = graph.outputs.map((_, k) => shapeSize(graph.modelOutputShape(k)));
  const plan = new BatchPlan(backend, graph, n, outSizes, outSizes.map(() => false), dependent.length > 0);
  let recorded = false;
  try {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    xs.forEach((x, k) => {
      const what = labels[k];
      const values = modelInputValues(graph, x, k, what, declared[k]);
      const rows = x.size / n;
      const bad = backend.gatherRows(plan.inputs[k], values, order, 0, n, rows, true);
      if (bad >= 0) throw nonFiniteError(what, values, firstNonFinite(values, bad * rows, (bad + 1) * rows), rows);
    });
    const pass = { backend, graph, params, plan, training, deferSoftmax: [] };
    const added = forwardPass(pass);
    // As for an activity penalty: the layer's backward adds the term's gradient, which no value of the cost holds.
    if ((watched.length > 0 || dependent.length > 0) && added.terms.length > 0) {
      const adder = graph.nodes[added.nodes[0]].layer;
      throw new Error(
        `${where} inside a gradient call: layer '${adder.name}' adds a loss term (ctx.addLoss), which a gradient call would leave out of the value but not of the gradient. ` +
          'Train the model with fit or trainOnBatch, which add the term to the loss, or compute the term with km ops in the cost instead of adding it in the layer.',
      );
    }
    const outputs = graph.outputs.map((_, k) => new Tensor(hostRead(target, plan.modelOutput(graph, k).output, n * outSizes[k]), [n, ...graph.modelOutputShape(k)], 'float32'));
    if (watched.length === 0 && dependent.length === 0) return outputs;
    const inputSizes = graph.inputShapes.map((shape) => n * shapeSize(shape));
    const backward = (dy: Float32Array, needed: readonly boolean[]): (Float32Array | null)[] => {
      let at = 0;
      graph.outputs.forEach((_, k) => {
        const length = n * outSizes[k];
        backend.write(plan.modelOutput(graph, k).grad, dy.subarray(at, at + length));
        at += length;
      });
      backend.fill(params.grads, params.trainableSize, 0);
      // A layer that reads an input without a gradient (an Embedding's ids) writes none.
      plan.inputGrads.forEach((id, k) => backend.fill(id, inputSizes[k], 0));
      backwardPass(pass);
      const inputGrads = dependent.map((k) => (backend.read(plan.inputGrads[k], inputSizes[k], 'float32') as Float32Array).slice());
      const weightGrads = watched.map(({ layer, index, spec }, j) => (needed[dependent.length + j] ? (backend.read(params.gradsOf(layer)[index], shapeSize(spec.shape), 'float32') as Float32Array).slice() : null));
      return [...inputGrads, ...weightGrads];
    };
    afterGradients(() => plan.release(backend));
    recorded = true;
    return recordedOutputs(outputs, [...dependent.map((k) => xs[k]), ...watched.map((w) => w.arg)], backward);
  } finally {
    if (!recorded) plan.release(backend);
  }
}

/** `length` floats of buffer `id`, read now for the host ops of the cost (an output, or a weight's values); a backend that reads only asynchronously (tfjs-webgpu) cannot. */
function hostRead({ backend, where }: TapedTarget, id: BufferId, length: number): Float32Array {
  try {
    return backend.read(id, length, 'float32') as Float32Array;
  } catch (error) {
    throw new Error(
      `${where} inside a gradient call gives its outputs and weights to the cost's km ops on the host, but backend '${backend.name}' cannot read synchronously. ` +
        "Train it with fit or trainOnBatch (a loss function in compile computes on the backend's reads between steps), or on another backend (km.setBackend('tfjs-webgl') on a GPU).",
      { cause: error },
    );
  }
}

/** The layer each weight joined to a gradient call belongs to, by the spec that keys its argument. */
const owners = new WeakMap<WeightSpec, Layer>();

/** The model weight whose joined argument `key` keys (see ops/tape.ts joinedArgument); undefined for another key. */
export function joinedWeight(key: object): LayerWeight | undefined {
  const layer = owners.get(key as WeightSpec);
  return layer && new LayerWeight(layer, key as WeightSpec);
}

/**
 * The argument standing for weight `index` of `layer` in the running gradient call, holding its
 * current values (`values()`, read when it first joins), so that km ops on it (a weight penalty in
 * `model.losses`) and the layer's recorded passes add up their gradients; null when the call does
 * not differentiate with respect to it.
 */
export function weightArgument(layer: Layer, index: number, values: () => Float32Array): Tensor | null {
  const spec = layer.weightSpecs[index];
  if (!owners.has(spec)) owners.set(spec, layer);
  return joinedArgument(spec, () => new Tensor(values(), spec.shape, 'float32'));
}

/** The graph's trainable weights that the running gradient call differentiates with respect to, each with its joined argument. */
function watchedWeights(target: TapedTarget): WatchedWeight[] {
  const { graph, params } = target;
  const watched: WatchedWeight[] = [];
  for (const layer of new Set(graph.layers)) {
    layer.weightSpecs.forEach((spec, index) => {
      if (!spec.trainable) return;
      const arg = weightArgument(layer, index, () => hostRead(target, params.weightsOf(layer)[index], shapeSize(spec.shape)).slice());
      if (arg) watched.push({ layer, index, spec, arg });
    });
  }
  return watched;
}

/**
 * `outputs`, recorded as one step of the tape: one output is the step's own; several are slices of
 * a joint output, so that the backward pass runs once with every output's cotangent.
 */
function recordedOutputs(outputs: Tensor<'float32'>[], args: readonly Tensor[], backward: (dy: Float32Array, needed: readonly boolean[]) => (Float32Array | null)[]): Tensor<'float32'>[] {
  if (outputs.length === 1) {
    record(outputs[0], args, backward);
    return outputs;
  }
  const total = outputs.reduce((sum, t) => sum + t.size, 0);
  const joint = new Tensor(new Float32Array(total), [total], 'float32');
  record(joint, args, backward);
  let at = 0;
  return outputs.map((t) => {
    const [start, size] = [at, t.size];
    at += size;
    record(t, [joint], (dy) => {
      const full = new Float32Array(total);
      full.set(dy, start);
      return [full];
    });
    return t;
  });
}
