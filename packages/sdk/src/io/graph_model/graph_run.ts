// One run of a graph: the nodes the wanted outputs need, in load order, each intermediate disposed
// once its last consumer has run; weights and fed inputs are never disposed.
import { tidy } from '../../ops/tidy.js';
import type { Tensor } from '../../tensor.js';
import type { GraphNode, TensorRef } from './graph_def.js';
import { GRAPH_OPS } from './graph_ops.js';

/** What a run reads: the ordered nodes, the weights (Const nodes) by name, and the fed tensors by node name. */
export interface GraphRunInput {
  order: readonly GraphNode[];
  nodes: ReadonlyMap<string, GraphNode>;
  weights: ReadonlyMap<string, Tensor>;
  feeds: ReadonlyMap<string, Tensor>;
  where: string;
}

/** The node names `wanted` needs computed or read, walking back from them to fed nodes and weights. */
function neededNodes(run: GraphRunInput, wanted: readonly TensorRef[]): Set<string> {
  const needed = new Set<string>();
  const stack = wanted.map((r) => r.node);
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (needed.has(name)) continue;
    needed.add(name);
    if (run.feeds.has(name)) continue;
    for (const input of run.nodes.get(name)!.inputs) stack.push(input.node);
  }
  return needed;
}

/** The tensors `wanted` names, computed from the feeds; every other tensor the run made is disposed. */
export function runGraph(run: GraphRunInput, wanted: readonly TensorRef[]): Tensor[] {
  const needed = neededNodes(run, wanted);
  const uses = new Map<string, number>();
  for (const name of needed) {
    if (run.feeds.has(name)) continue;
    for (const input of run.nodes.get(name)!.inputs) uses.set(input.node, (uses.get(input.node) ?? 0) + 1);
  }
  const kept = new Set<Tensor>([...run.weights.values(), ...run.feeds.values()]);
  const wantedNodes = new Set(wanted.map((r) => r.node));
  const values = new Map<string, Tensor[]>();
  // An op may return its input as it is (Identity): a tensor is disposed when no node's outputs hold it.
  const holders = new Map<Tensor, number>();
  const put = (name: string, outs: Tensor[]) => {
    values.set(name, outs);
    for (const t of outs) holders.set(t, (holders.get(t) ?? 0) + 1);
  };
  const release = (name: string, keep: ReadonlySet<Tensor> = kept) => {
    for (const t of values.get(name) ?? []) {
      const left = holders.get(t)! - 1;
      holders.set(t, left);
      if (left === 0 && !kept.has(t) && !keep.has(t)) t.dispose();
    }
    values.delete(name);
  };
  try {
    for (const node of run.order) {
      if (!needed.has(node.name)) continue;
      const fed = run.feeds.get(node.name);
      if (fed) put(node.name, [fed]);
      else if (node.op === 'Const') put(node.name, [run.weights.get(node.name)!]);
      else if (node.op === 'Placeholder') throw missingFeed(run, node);
      else {
        const inputs = node.inputs.map((r) => inputTensor(run, values, node, r));
        put(node.name, tidy(() => {
          const out = GRAPH_OPS[node.op](inputs, node);
          return Array.isArray(out) ? out : [out];
        }));
        for (const input of node.inputs) {
          const left = uses.get(input.node)! - 1;
          uses.set(input.node, left);
          if (left === 0 && !wantedNodes.has(input.node)) release(input.node);
        }
      }
    }
    const results = wanted.map((r) => {
      const t = values.get(r.node)?.[r.index];
      if (!t) throw new Error(`${run.where}: node '${r.node}' (${run.nodes.get(r.node)!.op}) has no output ${r.index} (it gives ${values.get(r.node)?.length ?? 0}). Ask for '${r.node}' or '${r.node}:<index below that>'.`);
      return t;
    });
    const resultSet = new Set(results);
    for (const name of [...values.keys()]) release(name, resultSet);
    return results;
  } catch (err) {
    for (const name of [...values.keys()]) release(name);
    throw err;
  }
}

function inputTensor(run: GraphRunInput, values: ReadonlyMap<string, Tensor[]>, node: GraphNode, ref: TensorRef): Tensor {
  const t = values.get(ref.node)?.[ref.index];
  if (!t) throw new Error(`${run.where}: node '${node.name}' (${node.op}) reads output ${ref.index} of '${ref.node}' (${run.nodes.get(ref.node)!.op}), which gives ${values.get(ref.node)?.length ?? 0} outputs.`);
  return t;
}

function missingFeed(run: GraphRunInput, node: GraphNode): Error {
  return new Error(`${run.where}: the outputs asked for need input '${node.name}', which was not given. Received inputs: ${[...run.feeds.keys()].map((n) => `'${n}'`).join(', ') || 'none'}. Pass it by name, model.execute({ '${node.name}': x }).`);
}
