import type { Layer } from '../layers/layer.js';
import type { Graph } from './graph.js';
import type { LayersModel } from './model.js';
import type { ModelApplication } from './symbolic.js';

/** A layer of a graph as Keras lists it: a layer, or a model applied inside, with each of its calls. */
export interface GraphEntry {
  readonly entry: Layer | LayersModel;
  /** Per call, its node indices: one node for a layer; every node of one application for a model. */
  readonly calls: number[][];
  /** For a model, each call's application (what `graph.applications` describes). */
  readonly applications: ModelApplication[];
}

/** The graph's entries in the order of their first node; a model applied inside it is one entry, each application a call. */
export function graphEntries(graph: Graph): GraphEntry[] {
  const entries = new Map<Layer | LayersModel, GraphEntry>();
  const calls = new Map<ModelApplication, number[]>();
  graph.nodes.forEach((node, i) => {
    const key = node.via?.model ?? node.layer;
    let entry = entries.get(key);
    if (!entry) entries.set(key, (entry = { entry: key, calls: [], applications: [] }));
    if (!node.via) {
      entry.calls.push([i]);
      return;
    }
    const call = calls.get(node.via);
    if (call) {
      call.push(i);
      return;
    }
    calls.set(node.via, entry.calls[entry.calls.push([i]) - 1]);
    entry.applications.push(node.via);
  });
  return [...entries.values()];
}

/**
 * Every layer the graph's entries hold, once each, in entry order: a layer, or all of a model's
 * applied inside (its `allLayers`), those whose outputs this graph does not read included. As in
 * Keras and tfjs, a model used as a layer brings all its weights: an output head the larger model
 * leaves unused is still saved, counted and listed, though no pass computes it.
 */
export function entryLayers(graph: Graph): Layer[] {
  return [...new Set(graphEntries(graph).flatMap(({ entry }) => ('allLayers' in entry ? entry.allLayers : [entry])))];
}

/**
 * How an entry's call names a tensor it reads, as Keras writes it: `[entry, call, output]`, where a
 * node inside a model's application is that application's output (`base[0][0]`), and a model
 * input is `[input, 0, 0]`.
 */
export function tensorSource(graph: Graph, entries: readonly GraphEntry[]): (ref: number, tensor: number) => [string, number, number] {
  const viaSource = new Map<ModelApplication, { name: string; call: number }>();
  for (const { entry, applications } of entries) applications.forEach((via, call) => viaSource.set(via, { name: entry.name, call }));
  // Direct calls of a layer are numbered among themselves.
  const directCall = new Map<number, number>();
  for (const { calls, applications } of entries) if (applications.length === 0) calls.forEach(([i], k) => directCall.set(i, k));
  return (ref, tensor) => {
    if (ref < 0) return [graph.inputNames[-ref - 1], 0, 0];
    const via = graph.nodes[ref].via;
    const ends = via && graph.applications.get(via);
    if (!via || !ends) return [graph.nodes[ref].layer.name, directCall.get(ref) ?? graph.callIndex[ref], tensor];
    const { name, call } = viaSource.get(via)!;
    return [name, call, ends.outputs.findIndex((o) => o.ref !== null && o.ref[0] === ref && o.ref[1] === tensor)];
  };
}
