// The loss terms each layer added in the last training or evaluation batch that ran it (activity
// penalties, `ctx.addLoss`), kept as numbers for `layer.losses`, as Keras keeps a layer's last call's
// `add_loss` values.
import type { Scalar } from '../backend/backend.js';
import type { Layer } from '../layers/layer.js';
import type { Graph } from './graph.js';

/** A term the engine added to a batch's loss, and the node that added it. */
export interface NodeTerm {
  readonly node: number;
  readonly value: Scalar;
}

const LAST = new WeakMap<Layer, readonly number[]>();
/** The graphs whose last batch recorded a term, so that a batch adding none clears them. */
const RECORDED = new WeakSet<Graph>();
/** Each graph's latest batch, so that a term read asynchronously is not kept once a later batch ran. */
const LATEST = new WeakMap<Graph, object>();

/** The terms `layer` added in the last training or evaluation batch that ran it, in the order its calls added them. */
export function lastCallLosses(layer: Layer): readonly number[] {
  return LAST.get(layer) ?? [];
}

/**
 * Keeps a batch's added terms as each layer's last call's, and clears the terms of the graph's
 * other layers (Keras clears a model's layers' losses on each call). A graph whose layers add no
 * term, batch after batch, costs one lookup. On a backend that reads asynchronously the terms are
 * kept once they are read, unless a later batch of the graph ran by then.
 */
export function recordLastCallLosses(graph: Graph, terms: readonly NodeTerm[]): void {
  if (terms.length === 0 && !RECORDED.has(graph)) return;
  const batch = {};
  LATEST.set(graph, batch);
  if (terms.every((t) => typeof t.value === 'number')) return keep(graph, terms.map((t) => ({ node: t.node, value: t.value as number })));
  void Promise.all(terms.map((t) => t.value)).then(
    (values) => LATEST.get(graph) === batch && keep(graph, terms.map((t, k) => ({ node: t.node, value: values[k] }))),
    () => {}, // the batch itself reports a failed read
  );
}

function keep(graph: Graph, terms: readonly { node: number; value: number }[]): void {
  for (const layer of graph.layers) LAST.delete(layer);
  const byLayer = new Map<Layer, number[]>();
  // In node order (a stable sort keeps a node's ctx.addLoss terms before its activity penalty, as Keras adds them).
  for (const { node, value } of [...terms].sort((a, b) => a.node - b.node)) {
    const layer = graph.nodes[node].layer;
    const values = byLayer.get(layer) ?? [];
    values.push(value);
    byLayer.set(layer, values);
  }
  for (const [layer, values] of byLayer) LAST.set(layer, values);
  if (terms.length > 0) RECORDED.add(graph);
  else RECORDED.delete(graph);
}
