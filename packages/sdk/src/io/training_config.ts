import type { Functional } from '../engine/functional.js';
import type { Graph } from '../engine/graph.js';
import type { LayersModel, ModelCompileArgs } from '../engine/model.js';
import { isPerOutputList, outputLayerNames, outputNames, type LossSpec, type MetricsSpec } from '../engine/outputs.js';
import type { LossFunction } from '../losses/function_loss.js';
import type { Loss } from '../losses/losses.js';
import type { MetricObject } from '../metrics/tensor_metric.js';
import { isObject } from './layers_model_format.js';
import { lossFromSaved, savedLoss, type SavedLoss } from './loss_config.js';
import { metricFromSaved, savedMetric } from './metric_config.js';
import { optimizerConfig, optimizerFromConfig } from './optimizer_config.js';
import type { TrainingConfig } from './types.js';

/*
 * `trainingConfig` as tfjs-layers 4.22 writes it: `loss` a name, a list in output order or an
 * object keyed by output name, as compile received it; `metrics` likewise (an object's values are
 * single names, the only form tfjs reads; an output with several metrics gets a list, as Keras
 * writes). `loss_weights` and `weighted_metrics` are Keras' keys, written only when compile set
 * lossWeights or weightedMetrics: tfjs-layers 4.22 refuses to load any file with them ("Loading
 * loss_weights is not supported yet", "Loading weight_metrics is not supported yet").
 *
 * A model with named outputs (Keras 3's dict outputs) is compiled with objects keyed by those names;
 * tfjs knows the outputs by their layers' names only, so the file keys them by layer name, and
 * loading keys them back ({@link withOutputKeys}).
 */

/** tfjs' `trainingConfig` for a compiled model; throws naming a loss or optimizer that has no saved form. */
export function trainingConfigOf(model: LayersModel): TrainingConfig | undefined {
  const { optimizer, compileSpec: spec } = model;
  if (!optimizer || !spec) return undefined;
  const graph = graphOf(model);
  const names = graph ? outputNames(graph) : null;
  const config: TrainingConfig = { loss: savedLosses(spec.loss), metrics: savedMetrics(spec.metrics, names), optimizer_config: optimizerConfig(optimizer) };
  const weights = spec.lossWeights;
  if (weights !== undefined) config.loss_weights = Array.isArray(weights) ? [...(weights as readonly number[])] : { ...(weights as Record<string, number>) };
  if (spec.weightedMetrics !== undefined) config.weighted_metrics = savedMetrics(spec.weightedMetrics, names);
  const named = namedOutputsOf(model);
  const keyed = named ? renameOutputs(config, named.keys, named.layerNames) : config;
  return graph ? listedWhereTfjsRepeats(keyed, outputLayerNames(graph)) : keyed;
}

function graphOf(model: LayersModel): Graph | null {
  // By shape, not instanceof, as in model_topology.ts: importing Functional would close an import cycle.
  return 'graph' in model ? (model as Functional).graph : null;
}

/**
 * tfjs names a layer's or nested model's extra outputs as its first (`heads`, `heads`, where kerasm
 * says `heads:1`) and refuses a loss object with any other key, so where two outputs share a tfjs
 * name the losses and loss weights go as lists in output order, which tfjs and Keras read. Metrics
 * stay keyed by kerasm's names: tfjs gives each output the metrics under its tfjs name and ignores
 * the rest, so kerasm reads them all back.
 */
function listedWhereTfjsRepeats(config: TrainingConfig, names: readonly string[]): TrainingConfig {
  const tfjsNames = names.map((name) => name.replace(/:\d+$/, ''));
  if (new Set(tfjsNames).size === tfjsNames.length) return config;
  const listed = <T>(entry: T, fallback: unknown): T => {
    if (!isPerOutput(entry)) return entry;
    return names.map((name) => (name in entry ? entry[name] : fallback)) as T;
  };
  const out: TrainingConfig = { ...config, loss: listed(config.loss, null) };
  if (config.loss_weights !== undefined) out.loss_weights = listed(config.loss_weights, 1);
  return out;
}

/** A model with named outputs: their keys and, in the same order, the layer names tfjs keys outputs by; null for other models. */
function namedOutputsOf(model: LayersModel): { keys: readonly string[]; layerNames: string[] } | null {
  const graph = graphOf(model);
  return graph?.outputKeys ? { keys: graph.outputKeys, layerNames: outputLayerNames(graph) } : null;
}

/**
 * A saved training config for `model`: one keyed by output layer name (as kerasm saves a model
 * with named outputs, and as tfjs reads it) is keyed by the model's output names again.
 */
export function withOutputKeys(config: TrainingConfig, model: LayersModel): TrainingConfig {
  const named = namedOutputsOf(model);
  return named ? renameOutputs(config, named.layerNames, named.keys) : config;
}

/** The config with each per-output object keyed by `to[k]` where it was keyed by `from[k]`; an object with any other key is left as it is. */
function renameOutputs(config: TrainingConfig, from: readonly string[], to: readonly string[]): TrainingConfig {
  const renamed = <T>(entry: T): T => {
    if (!isPerOutput(entry)) return entry;
    const keys = Object.keys(entry);
    if (keys.length === 0 || !keys.every((key) => from.includes(key))) return entry;
    return Object.fromEntries(keys.map((key) => [to[from.indexOf(key)], entry[key]])) as T;
  };
  const out: TrainingConfig = { ...config, loss: renamed(config.loss) };
  for (const key of ['metrics', 'loss_weights', 'weighted_metrics'] as const) if (config[key] !== undefined) out[key] = renamed(config[key]) as never;
  return out;
}

/** Whether a saved loss, metric or loss-weight entry is an object keyed by output name: Keras' `{ class_name, config }` is one entry, not per output. */
function isPerOutput(entry: unknown): entry is Record<string, unknown> {
  return isObject(entry) && typeof entry.class_name !== 'string';
}

function savedLosses(spec: LossSpec): TrainingConfig['loss'] {
  // An output without a loss is saved as null, as Keras saves its None.
  if (Array.isArray(spec)) return spec.map((loss, k) => (loss === null ? null : savedLoss(loss, `output ${k}`)));
  if (typeof spec === 'string' || typeof spec === 'function' || typeof (spec as Loss).compute === 'function') return savedLoss(spec as string | Loss | LossFunction, 'the model');
  return Object.fromEntries(Object.entries(spec as Record<string, string | Loss | LossFunction | null>).map(([name, loss]) => [name, loss === null ? null : savedLoss(loss, `output '${name}'`)]));
}

function perOutputList(entry: unknown): unknown[] {
  return Array.isArray(entry) ? entry : entry === null || entry === undefined ? [] : [entry];
}

function savedMetrics(spec: MetricsSpec, names: readonly string[] | null): TrainingConfig['metrics'] {
  // A list per output (Keras' form) is saved keyed by output name, the form tfjs reads.
  if (isPerOutputList(spec) && names) return savedMetrics(Object.fromEntries(names.map((name, k) => [name, perOutputList(spec[k])])) as MetricsSpec, null);
  if (Array.isArray(spec)) return spec.map(savedMetric);
  const entries = Object.entries(spec as Record<string, readonly (string | MetricObject)[]>).filter(([, list]) => list.length > 0);
  return Object.fromEntries(entries.map(([name, list]) => [name, list.length === 1 ? savedMetric(list[0]) : list.map(savedMetric)]));
}

/**
 * The compile arguments a saved `trainingConfig` describes, or a reason it cannot be used
 * (an optimizer or loss kerasm does not have): the model then loads uncompiled.
 */
export function compileArgsOf(config: TrainingConfig): ModelCompileArgs | string {
  const optimizer = optimizerFromConfig(config.optimizer_config);
  if (typeof optimizer === 'string') return optimizer;
  let loss: LossSpec;
  let metrics: MetricsSpec;
  let weightedMetrics: MetricsSpec | undefined;
  try {
    loss = lossesFromSaved(config.loss);
    metrics = metricsFromSaved(config.metrics);
    if (config.weighted_metrics !== undefined && config.weighted_metrics !== null) weightedMetrics = metricsFromSaved(config.weighted_metrics);
  } catch (err) {
    return (err as Error).message;
  }
  const args: ModelCompileArgs = { optimizer, loss, metrics };
  if (weightedMetrics !== undefined) args.weightedMetrics = weightedMetrics;
  const weights = config.loss_weights;
  if (weights !== undefined && weights !== null) {
    const numbers = Array.isArray(weights) ? weights : isObject(weights) ? Object.values(weights) : [weights];
    if (!numbers.every((w) => typeof w === 'number')) return `its loss_weights ${JSON.stringify(weights)} are not a list or object of numbers`;
    args.lossWeights = weights as number[] | Record<string, number>;
  }
  return args;
}

function lossesFromSaved(saved: unknown): LossSpec {
  const entry = (loss: unknown) => (loss === null ? null : lossFromSaved(loss));
  if (Array.isArray(saved)) return saved.map(entry);
  if (isPerOutput(saved)) return Object.fromEntries(Object.entries(saved).map(([name, loss]) => [name, entry(loss)]));
  return lossFromSaved(saved as SavedLoss);
}

function metricsFromSaved(saved: unknown): MetricsSpec {
  if (Array.isArray(saved)) return saved.map(metricFromSaved);
  if (!isObject(saved)) return [];
  // One configured metric is Keras' {class_name, config}; any other object is keyed by output name.
  if (typeof saved.class_name === 'string') return [metricFromSaved(saved)];
  // tfjs writes `{}` for a model compiled without metrics.
  return Object.fromEntries(Object.entries(saved).map(([name, list]) => [name, (Array.isArray(list) ? list : [list]).map(metricFromSaved)]));
}
