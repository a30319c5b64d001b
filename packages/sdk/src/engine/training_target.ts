import type { Backend } from '../backend/backend.js';
import type { CallbackModel } from '../callbacks/callback.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Graph } from './graph.js';
import type { InputSample } from './input_sample.js';
import type { LayersModel } from './model.js';
import type { OutputSpec } from './outputs.js';
import type { ParamStore } from './params.js';
import type { BatchPlan } from './plan.js';

/** What the training loop needs from a compiled, built model. */
export interface TrainingTarget {
  readonly backend: Backend;
  readonly graph: Graph;
  readonly params: ParamStore;
  /** Loss, loss weight and metrics of each model output, in order. */
  readonly outputs: readonly OutputSpec[];
  readonly optimizer: Optimizer;
  /** The reusable buffers for one batch size. */
  plan(batch: number): BatchPlan;
  /** Set by callbacks to end training after the current batch. */
  stopTraining: boolean;
  /** The model as callbacks see it. */
  readonly model: CallbackModel;
  /**
   * The target for a batch whose inputs are like `sample`: this one, or for a model with dimensions
   * of unknown size, one over its graph reshaped to the batch's sizes that counts in the same metrics
   * (a dataset's batches may each have their own length). Absent: this one for every batch.
   */
  forInputs?(sample: InputSample): TrainingTarget;
  /**
   * The target over the model's inference graph, which validation runs, where the training steps
   * run another one (a km.Model whose `call` branches on `training`). Absent: this one.
   */
  readonly inference?: TrainingTarget;
}

/**
 * The {@link TrainingTarget} `fit`, `evaluate` and the on-batch calls run on for `model`: `parts`
 * (its runtime, graph, outputs and optimizer) with the model itself for callbacks, and its
 * `stopTraining`, which callbacks set, read and written through to the model's own flag.
 */
export function trainingTargetOf(model: LayersModel, parts: Omit<TrainingTarget, 'model' | 'stopTraining'>): TrainingTarget {
  return {
    ...parts,
    model,
    get stopTraining() {
      return model.stopTraining;
    },
    set stopTraining(value: boolean) {
      model.stopTraining = value;
    },
  };
}
