import type { Layer } from '../layers/layer.js';
import { InputLayer } from '../layers/input_layer.js';
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

/**
 * The graph's entries as Keras and tfjs list a functional model's layers (see {@link listedEntries}),
 * without the model inputs; a model applied inside it is one entry, each application a call.
 */
export function graphEntries(graph: Graph): GraphEntry[] {
  return listedEntries(graph).flatMap((item) => ('entry' in item ? [item.entry] : []));
}

/** One item of a functional model's `layers`: an entry of the graph, or model input k (its InputLayer). */
export type ListedEntry = { readonly entry: GraphEntry } | { readonly input: number };

const listed = new WeakMap<Graph, readonly ListedEntry[]>();

/**
 * The graph's entries and model inputs in the order Keras (`map_graph_network`) and tfjs (the
 * Container constructor) list a functional model's layers, so `layers`, `getWeights()` and the saved
 * file line up with theirs index for index. A walk from the outputs, each output in turn and each
 * call's inputs in order, numbers every entry and input when it first reaches it. Each call's depth
 * is then the longest path from it to an output, taken over the calls in reverse of the order the
 * walk finished them; an entry's depth is the largest of its calls' so far, which a later call also
 * starts from (a shared layer). The list goes deepest first, equal depths in walk order. Graph
 * nodes keep their own, topological, order for running the model.
 */
export function listedEntries(graph: Graph): readonly ListedEntry[] {
  let known = listed.get(graph);
  if (!known) listed.set(graph, (known = depthOrder(graph, entriesInNodeOrder(graph))));
  return known;
}

/** The graph's entries in the order of their first node. */
function entriesInNodeOrder(graph: Graph): GraphEntry[] {
  const entries = new Map<Layer | LayersModel, GraphEntry>();
  const calls = new Map<ModelApplication, number[]>();
  graph.nodes.forEach((node, i) => {
    // A model input that is also an output passes through its InputLayer, which is no entry.
    if (node.layer instanceof InputLayer) return;
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
    if (graph.nodes[ref].layer instanceof InputLayer) return [graph.nodes[ref].layer.name, 0, 0];
    const via = graph.nodes[ref].via;
    const ends = via && graph.applications.get(via);
    if (!via || !ends) return [graph.nodes[ref].layer.name, directCall.get(ref) ?? graph.callIndex[ref], tensor];
    const { name, call } = viaSource.get(via)!;
    return [name, call, ends.outputs.findIndex((o) => o.ref !== null && o.ref[0] === ref && o.ref[1] === tensor)];
  };
}

/** {@link listedEntries} from the entries in node order: owners are entries, then model inputs. */
function depthOrder(graph: Graph, entries: readonly GraphEntry[]): ListedEntry[] {
  // A call per layer call or model application, then one per model input; each belongs to an owner.
  const callOfNode = new Map<number, number>();
  const callEntry: number[] = [];
  const callReads: (readonly number[])[] = [];
  const inputCall = (k: number) => callEntry.length + k;
  entries.forEach(({ calls, applications }, e) => calls.forEach((nodes, c) => {
    nodes.forEach((i) => callOfNode.set(i, callEntry.length));
    callEntry.push(e);
    const ends = applications.length > 0 ? graph.applications.get(applications[c])! : null;
    callReads.push(ends ? [...ends.inputs, ...(ends.masks ?? []).filter((m) => m !== null)].map(([ref]) => ref) : graph.nodes[nodes[0]].inbound);
  }));
  // A model input that is an output is its InputLayer's (the node passing it on belongs to no entry).
  const inputOf = (ref: number) => (ref >= 0 && graph.nodes[ref].layer instanceof InputLayer ? graph.nodes[ref].inbound[0] : ref);
  const callOf = (ref: number) => (inputOf(ref) < 0 ? inputCall(-inputOf(ref) - 1) : callOfNode.get(ref)!);
  const callCount = callEntry.length + graph.inputNames.length;
  const ownerOf = (call: number) => (call < callEntry.length ? callEntry[call] : entries.length + call - callEntry.length);
  const readsOf = (call: number) => (call < callEntry.length ? callReads[call].map(callOf) : []);
  // The walk: each owner's first visit, and the calls in the order it finished them.
  const firstSeen = new Map<number, number>();
  const finished = new Set<number>();
  const fromInputs: number[] = [];
  const visit = (call: number): void => {
    if (finished.has(call)) return;
    if (!firstSeen.has(ownerOf(call))) firstSeen.set(ownerOf(call), firstSeen.size);
    readsOf(call).forEach(visit);
    finished.add(call);
    fromInputs.push(call);
  };
  graph.outputs.forEach((i) => visit(callOf(i)));
  const callDepth = new Array<number>(callCount).fill(0);
  const ownerDepth = new Map<number, number>();
  for (const call of fromInputs.reverse()) {
    const depth = Math.max(callDepth[call], ownerDepth.get(ownerOf(call)) ?? 0);
    ownerDepth.set(ownerOf(call), depth);
    callDepth[call] = depth;
    for (const read of readsOf(call)) callDepth[read] = Math.max(callDepth[read], depth + 1);
  }
  const order = [...ownerDepth.keys()].sort((a, b) => ownerDepth.get(b)! - ownerDepth.get(a)! || firstSeen.get(a)! - firstSeen.get(b)!);
  // The walk reaches every entry; were one missed, listing it last still keeps its weights.
  const missed = entries.flatMap((entry, e) => (ownerDepth.has(e) ? [] : [{ entry }]));
  return [...order.map((owner) => (owner < entries.length ? { entry: entries[owner] } : { input: owner - entries.length })), ...missed];
}
