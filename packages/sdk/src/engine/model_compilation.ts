import type { Layer, WeightSpec } from '../layers/layer.js';
import type { Loss, LossName } from '../losses/losses.js';
import { getOptimizer, type Optimizer } from '../optimizers/index.js';
import { checkCompileArgs, type ModelCompileArgs } from './compile_args.js';
import type { Graph } from './graph.js';
import { logNames } from './metric_names.js';
import { checkLossSpec, checkMetricsSpec, metricsSpecOf, resolveOutputs, type LossSpec, type LossWeightsSpec, type MetricsSpec, type OutputSpec } from './outputs.js';

/** What `compile` set, checked. */
export interface Compiled {
  /** The first output's loss (the only one of a single-output model); null for a model compiled without one, whose trainStep computes its loss. */
  readonly loss: Loss | null;
  readonly lossSpec: LossSpec | null;
  readonly lossWeights?: LossWeightsSpec;
  readonly optimizer: Optimizer;
  readonly metricsSpec: MetricsSpec;
  /** Absent when compile was given no weightedMetrics (a saved training config then writes none). */
  readonly weightedMetricsSpec?: MetricsSpec;
}

/**
 * `compile`'s arguments, checked. Throws on unknown names, listing the valid ones. `lossOptional`
 * for a model with its own trainStep, which may be compiled with an optimizer alone.
 */
export function compiledOf(args: ModelCompileArgs, lossOptional = false): Compiled {
  checkCompileArgs(args, lossOptional);
  const loss = args.loss === undefined ? null : checkLossSpec(args.loss);
  const optimizer = getOptimizer(args.optimizer);
  const metricsSpec = metricsSpecOf(args.metrics ?? []);
  checkMetricsSpec(metricsSpec);
  const weightedMetricsSpec = args.weightedMetrics === undefined ? undefined : metricsSpecOf(args.weightedMetrics);
  if (weightedMetricsSpec) checkMetricsSpec(weightedMetricsSpec);
  return { loss, lossSpec: args.loss ?? null, lossWeights: args.lossWeights, optimizer, metricsSpec, weightedMetricsSpec };
}

/**
 * A model's compile state: what `compile` set, and once the graph is known each output's loss,
 * weight and metrics. Its optimizer keeps state per weight, which it lets go of when the model is
 * compiled with another one, its layers change, or it is disposed.
 */
export class ModelCompilation {
  readonly #model: { readonly allLayers: readonly Layer[] };
  #compiled: Compiled | null = null;
  #outputs: OutputSpec[] = [];

  /** @param model Whose layers' weights the optimizer keeps state for. */
  constructor(model: { readonly allLayers: readonly Layer[] }) {
    this.#model = model;
  }

  /** What `compile` set; null before it, and after the layers changed. */
  get compiled(): Compiled | null {
    return this.#compiled;
  }

  /** Each output's loss, weight and metrics, in output order; empty until the model is compiled and built. */
  get outputs(): OutputSpec[] {
    return this.#outputs;
  }

  /** Takes a new compile; the previous optimizer, if another, lets go of this model's weights. */
  set(compiled: Compiled): void {
    const previous = this.#compiled?.optimizer;
    if (previous && previous !== compiled.optimizer) previous.detach(this.#weightKeys());
    this.#compiled = compiled;
  }

  /** Lays the compile out over the outputs of `graph`; nothing before compile. */
  resolve(graph: Graph): void {
    if (!this.#compiled?.lossSpec) return;
    const { lossSpec, lossWeights, metricsSpec, weightedMetricsSpec } = this.#compiled;
    this.#outputs = resolveOutputs(graph, lossSpec, lossWeights, metricsSpec, weightedMetricsSpec);
  }

  /** The optimizer lets go of this model's weights' state (the model is disposed). */
  detach(): void {
    this.#compiled?.optimizer.detach(this.#weightKeys());
  }

  /** Forgets the compile (the layers changed, so the model must be compiled again), detaching its optimizer. */
  clear(): void {
    this.detach();
    this.#compiled = null;
    this.#outputs = [];
  }

  /** The first output's loss name that has one, else the compiled one; undefined before compile. */
  get lossName(): LossName | (string & {}) | undefined {
    return this.#outputs.find((o) => o.loss)?.loss?.name ?? this.#compiled?.loss?.name;
  }

  /** The names of `evaluate`'s values, in its order; empty before compile. */
  get metricsNames(): readonly string[] {
    const compiled = this.#compiled;
    return compiled ? logNames(this.#outputs, compiled.metricsSpec, compiled.weightedMetricsSpec) : [];
  }

  /** What the optimizer keys this model's weights' state by (frozen ones included: it may hold theirs aside). */
  #weightKeys(): WeightSpec[] {
    return this.#model.allLayers.flatMap((layer) => layer.weightSpecs);
  }
}
