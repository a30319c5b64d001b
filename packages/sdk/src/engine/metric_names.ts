import { specMetrics, type MetricsSpec, type OutputSpec } from './outputs.js';

/** The metrics of one output as compile named them: its log prefix (`'<output>_'` with several outputs, else ''). */
export interface OutputMetricNames {
  readonly prefix: string;
  readonly metrics: readonly string[];
  readonly weighted: readonly string[];
}

/** The resolved outputs' metric names, each prefixed with its output's name when there are several. */
export function outputMetricNames(outputs: readonly OutputSpec[]): OutputMetricNames[] {
  return outputs.map((o) => ({ prefix: outputs.length > 1 ? `${o.name}_` : '', metrics: o.metrics.map((m) => m.name), weighted: o.weightedMetrics.map((m) => m.name) }));
}

/**
 * The keys compiled metrics log under, as Keras' CompileMetrics names them: each output's metrics
 * then each output's weighted metrics, a repeated name taking `_1`, `_2`, ...; a weighted metric
 * whose name an unweighted one already took becomes `weighted_<name>` (`accuracy`,
 * `weighted_accuracy`).
 */
export function metricLogNames(outputs: readonly OutputMetricNames[]): { metrics: string[][]; weighted: string[][] } {
  const counters = new Map<string, number>();
  const claim = (name: string): string => {
    const seen = counters.get(name);
    if (seen === undefined) {
      counters.set(name, 1);
      return name;
    }
    counters.set(name, seen + 1);
    return `${name}_${seen}`;
  };
  const metrics = outputs.map((o) => o.metrics.map((m) => claim(o.prefix + m)));
  const weighted = outputs.map((o) => o.weighted.map((m) => (counters.has(o.prefix + m) ? claim(`${o.prefix}weighted_${m}`) : claim(o.prefix + m))));
  return { metrics, weighted };
}

/**
 * The log names of compile's metrics then weighted metrics, in `evaluate`'s order: from the
 * resolved outputs (prefixed with the output's name when there are several), or from the specs
 * before the model is built.
 */
export function compiledMetricNames(outputs: readonly OutputSpec[], metrics: MetricsSpec, weighted: MetricsSpec = []): string[] {
  const names = (spec: MetricsSpec) => specMetrics(spec).map((m) => (typeof m === 'string' ? m : m.name));
  const lists = outputs.length > 0 ? outputMetricNames(outputs) : [{ prefix: '', metrics: names(metrics), weighted: names(weighted) }];
  const logNames = metricLogNames(lists);
  return [...logNames.metrics.flat(), ...logNames.weighted.flat()];
}

/**
 * The names of a compiled model's logs, which are also `evaluate`'s values in order: the loss,
 * each output's loss when there are several, then the metrics' names.
 */
export function logNames(outputs: readonly OutputSpec[], metrics: MetricsSpec, weighted: MetricsSpec = []): string[] {
  return ['loss', ...outputLossLogs(outputs).map(([, name]) => name), ...compiledMetricNames(outputs, metrics, weighted)];
}

/**
 * The outputs whose losses log on their own, with their keys (`<output>_loss`): as in Keras, each
 * output that has a loss, once more than one has (an output compiled with a null loss logs none).
 */
export function outputLossLogs(outputs: readonly OutputSpec[]): [number, string][] {
  const trained = outputs.flatMap((o, k): [number, string][] => (o.loss ? [[k, `${o.name}_loss`]] : []));
  return trained.length > 1 ? trained : [];
}

/** The names an epoch's logs hold under fit: {@link logNames}, then their `val_` forms with validation data. */
export function epochLogNames(outputs: readonly OutputSpec[], validation: boolean): string[] {
  const names = logNames(outputs, []);
  return validation ? [...names, ...names.map((n) => `val_${n}`)] : names;
}
