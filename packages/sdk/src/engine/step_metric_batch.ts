import type { Backend, BufferId, Scalar } from '../backend/backend.js';
import type { Shape } from '../layers/layer.js';
import { positions } from '../losses/targets.js';
import type { MetricBatch } from '../metrics/metric.js';
import { shapeSize } from '../tensor.js';
import type { BatchPlan } from './plan.js';
import type { Dataset } from './prepare_data.js';
import type { TrainingTarget } from './training_target.js';

/** What the metrics of one output read back of a batch, shared by its metrics and its weighted metrics. */
interface HostReads {
  outputs: Promise<Float32Array> | null;
  targets: Float32Array | Int32Array | null;
}

/**
 * What the metrics of output k see of one batch, with `weights` as the positions' weights (see
 * {@link MetricBatch.weights}); the outputs are read back at most once, before the backward pass
 * can touch them, and the host targets are gathered only for a metric that reads them.
 */
export class StepMetricBatch implements MetricBatch {
  readonly backend: Backend;
  readonly output: BufferId;
  readonly targets: BufferId;
  readonly outputShape: Shape;
  readonly labelTargets: boolean;
  #weightSum: Scalar | null = null;
  #hostWeights: Promise<Float32Array> | null = null;

  constructor(
    target: TrainingTarget,
    private readonly data: Dataset,
    private readonly start: number,
    readonly batch: number,
    plan: BatchPlan,
    private readonly k: number,
    readonly weights: BufferId,
    private readonly reads: HostReads = { outputs: null, targets: null },
  ) {
    const { shape, loss } = target.outputs[k];
    this.backend = target.backend;
    this.output = plan.modelOutput(target.graph, k).output;
    this.targets = plan.targetsList[k];
    this.outputShape = shape;
    // An output without a loss takes targets shaped like it (see prepare).
    this.labelTargets = loss?.sparseTargets ?? false;
  }

  /** The same batch seen with other weights (a weighted metric's), sharing what was read back. */
  withWeights(target: TrainingTarget, plan: BatchPlan, weights: BufferId): StepMetricBatch {
    return new StepMetricBatch(target, this.data, this.start, this.batch, plan, this.k, weights, this.reads);
  }

  weightSum(): Scalar {
    const n = this.batch * positions(this.outputShape);
    return (this.#weightSum ??= this.weights ? this.backend.maskSum(this.weights, n) : n);
  }

  hostWeights(): Promise<Float32Array> | null {
    if (!this.weights) return null;
    return (this.#hostWeights ??= this.backend.readAsync(this.weights, this.batch * positions(this.outputShape), 'float32') as Promise<Float32Array>);
  }

  get hostTargets(): Float32Array | Int32Array {
    const { data, k } = this;
    return (this.reads.targets ??= gatherHost(data.ys[k], data.order, this.start, this.batch, data.yRows[k]));
  }

  hostOutputs(): Promise<Float32Array> {
    return (this.reads.outputs ??= this.backend.readAsync(this.output, this.batch * shapeSize(this.outputShape), 'float32') as Promise<Float32Array>);
  }
}

function gatherHost(src: Float32Array | Int32Array, order: Int32Array, start: number, count: number, row: number): Float32Array | Int32Array {
  const out = src instanceof Int32Array ? new Int32Array(count * row) : new Float32Array(count * row);
  for (let i = 0; i < count; i++) out.set(src.subarray(order[start + i] * row, (order[start + i] + 1) * row), i * row);
  return out;
}
