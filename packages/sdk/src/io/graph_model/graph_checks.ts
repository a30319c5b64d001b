// What a graph model holds that kerasm cannot run, found at load so that no op fails half-way
// through a prediction and none gives a silently wrong result.
import { GRAPH_OPS, unsupportedFusion } from './graph_ops.js';
import { dtypeOf, type AttrValue, type GraphNode } from './graph_def.js';

/** Ops that are not computations: inputs and weights. */
export const SOURCE_OPS = new Set(['Placeholder', 'Const']);

/** The DataTypes one attr names: its type, its list of types, or its tensor's dtype. */
function attrTypes(attr: AttrValue): (string | number)[] {
  return [attr.type, ...(attr.list?.type ?? []), attr.tensor?.dtype].filter((t): t is string | number => t !== undefined);
}

/**
 * Throws, listing every node at fault, when the graph has ops kerasm does not run (control flow,
 * hash tables, string ops, ...), fusions it does not run, or bool/string tensors (kerasm's tensors
 * are float32 or int32).
 */
export function checkRunnable(nodes: Iterable<GraphNode>, where: string): void {
  const unsupported = new Map<string, string[]>();
  const badTypes: string[] = [];
  for (const node of nodes) {
    const fusion = unsupportedFusion(node);
    const op = fusion ? `${node.op} with ${fusion}` : node.op;
    if (fusion || (!SOURCE_OPS.has(node.op) && !(node.op in GRAPH_OPS))) unsupported.set(op, [...(unsupported.get(op) ?? []), node.name]);
    for (const [name, attr] of Object.entries(node.attr)) {
      const kinds = attrTypes(attr).map(dtypeOf);
      const bad = kinds.find((k) => k === 'bool' || k === 'string' || k === 'other');
      if (bad) badTypes.push(`'${node.name}' (${node.op}, ${name}: ${bad === 'other' ? attrTypes(attr).join('/') : bad})`);
    }
  }
  const problems: string[] = [];
  if (unsupported.size > 0) {
    const list = [...unsupported].map(([op, names]) => `${op} (${names.slice(0, 3).map((n) => `'${n}'`).join(', ')}${names.length > 3 ? `, and ${names.length - 3} more` : ''})`);
    problems.push(`ops kerasm does not run: ${list.join('; ')}`);
  }
  if (badTypes.length > 0) {
    problems.push(`tensors of a dtype kerasm does not have (its tensors are float32 or int32, which half, double, int64, int8 and uint8 run as): ${badTypes.slice(0, 5).join('; ')}${badTypes.length > 5 ? `, and ${badTypes.length - 5} more` : ''}`);
  }
  if (problems.length === 0) return;
  throw new Error(
    `${where} cannot run in kerasm: it has ${problems.join('; and ')}. ` +
      `kerasm runs graph models of these ops, without control flow (Switch, Merge, While, If), hash tables or string ops: ${[...SOURCE_OPS, ...Object.keys(GRAPH_OPS)].join(', ')}. ` +
      `Run this model with tf.loadGraphModel from TensorFlow.js, or convert a model without those parts.`,
  );
}
