import type { Backend, BufferId } from '../backend/backend.js';
import { CallbackList } from '../callbacks/callbacks.js';
import type { CallbackModel } from '../callbacks/callback.js';
import { shapeSize, Tensor } from '../tensor.js';
import { bufferCopy, deviceTensor, unreadBufferOn } from './device_tensor.js';
import { forwardPass } from './step.js';
import { firstNonFinite } from '../backend/non_finite.js';
import { checkPositiveInt, checkSameLength, checkTensor, nonFiniteError } from './validate_data.js';
import { declaredInputDTypes, modelInputValues } from './model_input_values.js';
import { modelOutputs, tensorsFor } from './outputs.js';
import { checkOptions } from '../utils/options.js';
import { checkStatefulBatches } from './stateful.js';
import { PREDICT_OPTIONS, type ModelPredictArgs } from './training_args.js';
import type { TrainingTarget } from './training_target.js';
import type { Graph } from './graph.js';

/** The model inputs `xIn` (one tensor, a list, or an object keyed by input name) in input order, each checked against the graph's input, with the names errors give them. */
export function checkedInputs(graph: Graph, xIn: unknown): { tensors: Tensor[]; labels: readonly string[] } {
  const { tensors, labels } = tensorsFor(xIn, graph.inputNames, 'x', 'inputs');
  const xs = tensors.map((t, k) => checkTensor(t, labels[k]));
  xs.forEach((x, k) => {
    graph.checkInput(x.shape, labels[k], k);
    checkSameLength(xs[0], x, labels[0], labels[k]);
  });
  return { tensors: xs, labels };
}

/**
 * `predict`: each model output for every sample, batch by batch (one tensor per output).
 * `training` runs the layers as `fit` does (Dropout drops, BatchNormalization uses and moves
 * towards the batch statistics), for `layer.apply(x, { training: true })`; undefined runs each
 * layer in its default mode, for `layer.apply(x)`.
 */
export function predict(target: Pick<TrainingTarget, 'backend' | 'graph' | 'params' | 'plan'> & { model?: CallbackModel }, xIn: unknown, args: ModelPredictArgs, training: boolean | undefined): Tensor<'float32'>[] {
  checkOptions(args, PREDICT_OPTIONS, 'predict');
  const callbacks = args.callbacks === undefined ? null : new CallbackList(args.callbacks);
  const batchSize = checkPositiveInt(args.batchSize ?? 32, 'batchSize');
  const verbose = Number(args.verbose ?? 0);
  if (![0, 1, 2].includes(verbose)) throw new Error(`predict verbose must be true or false (or Keras' 0, 1, 2). Received: verbose=${JSON.stringify(args.verbose)}.`);
  const began = performance.now();
  const { graph, backend } = target;
  const xsIn = checkedInputs(graph, xIn);
  const xs = xsIn.tensors;
  // Another model's unread predictions on this backend (an encoder's codes) are copied on the device.
  const xOnDevice = xs.map((x) => unreadBufferOn(backend, x));
  const declared = declaredInputDTypes(target.model);
  const xValues = xs.map((x, k) => (xOnDevice[k] === undefined ? modelInputValues(graph, x, k, xsIn.labels[k], declared[k]) : null));
  const n = xs[0].shape[0];
  if (!training) checkStatefulBatches(graph.layers, 'predict', batchSize, n);
  const xRows = xs.map((x) => x.size / n);
  const shapes = graph.outputs.map((_, k) => [n, ...graph.modelOutputShape(k)]);
  const outSizes = graph.outputs.map((_, k) => shapeSize(graph.modelOutputShape(k)));
  // Off the wasm heap, outputs are gathered on the device and read back only when the caller asks.
  const onDevice = !backend.hostResident;
  // Filled batch by batch; a single batch's read is the output itself, with no second copy.
  const hostOuts: (Float32Array | null)[] = onDevice ? [] : outSizes.map((s) => (n > 0 && n <= batchSize ? null : new Float32Array(n * s)));
  const deviceOuts = onDevice ? outSizes.map((s) => backend.alloc(n * s, 'float32')) : [];
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (callbacks && target.model) callbacks.configure(target.model, { epochs: 1, steps: Math.ceil(n / batchSize), samples: n, batchSize, verbose, initialEpoch: 0 });
  const batchBegin = callbacks?.has('onPredictBatchBegin') ?? false;
  const batchEnd = callbacks?.has('onPredictBatchEnd') ?? false;
  // The rows predicted: all n, unless a callback sets the model's stopPredicting (model.predict resets it).
  let rows = 0;
  try {
    callbacks?.callNow('onPredictBegin');
    for (let start = 0, batch = 0; start < n; start += batchSize, batch++) {
      const count = Math.min(batchSize, n - start);
      rows = start + count;
      if (batchBegin) callbacks!.callNow('onPredictBatchBegin', batch, { batch, size: count });
      const plan = target.plan(count);
      // Each batch is checked for NaN and ±Infinity as it is copied in (predict changes nothing, so
      // failing at a later batch loses nothing), which on the wasm core costs a SIMD scan of the copy.
      // Values already on the device are not: checking them would mean reading them back.
      xValues.forEach((x, k) => {
        const length = count * xRows[k];
        if (x === null) return backend.copy(backend.view(xOnDevice[k]!, start * xRows[k], length), plan.inputs[k], length);
        const bad = backend.gatherRows(plan.inputs[k], x, order, start, count, xRows[k], true);
        if (bad >= 0) {
          const row = (start + bad) * xRows[k];
          throw nonFiniteError(xsIn.labels[k], x, firstNonFinite(x, row, row + xRows[k]), xRows[k]);
        }
      });
      forwardPass({ backend, graph, params: target.params, plan, training, deferSoftmax: [] });
      graph.outputs.forEach((_, k) => {
        const length = count * outSizes[k];
        const { output } = plan.modelOutput(graph, k);
        if (onDevice) backend.copy(output, backend.view(deviceOuts[k], start * outSizes[k], length), length);
        else if (hostOuts[k]) hostOuts[k].set(backend.read(output, length, 'float32'), start * outSizes[k]);
        else hostOuts[k] = backend.read(output, length, 'float32') as Float32Array;
      });
      if (batchEnd) {
        // Copies, made only for these hooks: the plan's buffers are reused by the next batch.
        const outputs = graph.outputs.map((_, k) => bufferCopy(backend, plan.modelOutput(graph, k).output, [count, ...graph.modelOutputShape(k)]));
        callbacks!.callNow('onPredictBatchEnd', batch, { outputs: modelOutputs(graph, outputs) });
      }
      // Keras 3 checks it after each batch's hooks, and returns the outputs of the batches run.
      if (target.model?.stopPredicting) break;
    }
    callbacks?.callNow('onPredictEnd');
  } catch (error) {
    deviceOuts.forEach((id) => backend.free(id));
    throw error;
  }
  if (verbose !== 0) {
    // Keras 3's progress bar ends at the steps it was given, also when stopPredicting ended the pass
    // sooner (as evaluate's does); the time per step is over the batches run.
    const steps = Math.ceil(n / batchSize);
    const ms = performance.now() - began;
    console.log(`${steps}/${steps} - ${(ms / 1000).toFixed(1)}s - ${(ms / Math.max(1, Math.ceil(rows / batchSize))).toFixed(1)}ms/step`);
  }
  if (rows < n) return stoppedOutputs(backend, rows, outSizes, shapes, onDevice ? deviceOuts : hostOuts);
  return onDevice ? deviceOuts.map((id, k) => deviceTensor(backend, id, shapes[k])) : hostOuts.map((out, k) => new Tensor(out!, shapes[k], 'float32'));
}

/**
 * The first `rows` rows of each output of a `predict` stopped early (`stopPredicting`), in a buffer
 * of their own: the full-size one (host array or device buffer) is let go.
 */
function stoppedOutputs(backend: Backend, rows: number, outSizes: readonly number[], shapes: readonly number[][], outs: readonly (Float32Array | BufferId | null)[]): Tensor<'float32'>[] {
  return outs.map((out, k) => {
    const shape = [rows, ...shapes[k].slice(1)];
    const length = rows * outSizes[k];
    if (out instanceof Float32Array) return new Tensor(out.slice(0, length), shape, 'float32');
    const id = out as BufferId;
    const kept = backend.alloc(length, 'float32');
    backend.copy(backend.view(id, 0, length), kept, length);
    backend.free(id);
    return deviceTensor(backend, kept, shape);
  });
}
