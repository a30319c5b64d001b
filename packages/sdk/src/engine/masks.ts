import { inboundTensor, type GraphNode } from './graph.js';

/** How masks flow through a graph's nodes. */
export interface MaskFlow {
  /** For each node, the node whose mask its output carries (itself when it makes or merges one), or -1. */
  readonly sources: readonly number[];
  /** The nodes whose inputs carry masks from different sources, each with those sources: its mask is their logical AND. */
  readonly merges: ReadonlyMap<number, readonly number[]>;
}

function steps(node: GraphNode): string {
  return node.outputShape.slice(0, -1).join(',');
}

/**
 * Follows masks through the nodes (in topological order), as Keras' compute_mask does at build time.
 * A mask reaching a layer that cannot honour it is an error naming both layers and the fix, rather
 * than padding silently counted as data. A layer whose inputs carry masks from different sources
 * (an Add or Concatenate of two padded sequences) gets their logical AND, as Keras 2 and tfjs
 * merge masks: a step is kept where every input keeps it.
 */
export function maskFlow(nodes: readonly GraphNode[]): MaskFlow {
  const sources: number[] = [];
  const merges = new Map<number, number[]>();
  nodes.forEach((node, i) => {
    // Only a node's first output carries its mask: the extra outputs (a recurrent layer's states) have no steps.
    const incoming = node.inbound.map((j, slot) => (j >= 0 && inboundTensor(node, slot) === 0 ? sources[j] : -1));
    const masked = incoming.find((s) => s >= 0) ?? -1;
    const { layer } = node;
    if (masked >= 0 && !layer.supportsMasking) {
      const source = nodes[masked].layer;
      // A layer that takes masks in some configurations only (Softmax) says why not in this one.
      const refusal = (layer as { maskRefusal?: string }).maskRefusal ?? 'does not support masking';
      throw new Error(
        `Layer '${layer.name}' (${layer.className}) ${refusal}, but its input carries the mask of layer '${source.name}' (${source.className}), which marks padded steps. ` +
          `Consume the mask before it: a recurrent layer without returnSequences (lstm, gru, simpleRNN) or globalAveragePooling1d reads it and passes none on. ` +
          `Or drop the mask: maskZero: false on the Embedding, or no Masking layer. ` +
          `A custom layer that passes the mask on (its output keeps its input's steps) declares \`get supportsMasking() { return true; }\` in its class; ` +
          `one that reads ctx.inputMask and passes none on also declares \`get passesMask() { return false; }\` (docs/CUSTOM_LAYERS.md).`,
      );
    }
    if (masked >= 0) layer.checkInputMask(nodes[masked].outputShape.slice(0, -1), nodes[node.inbound[incoming.indexOf(masked)]].outputShape, nodes[masked].layer);
    const distinct = [...new Set(incoming.filter((s) => s >= 0))];
    // A layer that reads its inputs' masks itself (attention), makes its own, or consumes its input's mask needs no merge.
    // One that makes its mask from its inputs' (Concatenate along the steps) makes one only when an input has one.
    if (layer.readsInputMasks || layer.producesMask || !layer.passesMask || distinct.length < 2) {
      const passed = layer.readsInputMasks ? incoming[0] : masked;
      const produces = layer.producesMask && !(layer.readsInputMasks && masked < 0);
      sources.push(produces ? i : passed >= 0 && layer.passesMask ? passed : -1);
      return;
    }
    if (distinct.some((s) => steps(nodes[s]) !== steps(node))) {
      throw new Error(
        `Layer '${layer.name}' (${layer.className}) receives inputs masked by different layers (${distinct.map((s) => `'${nodes[s].layer.name}'`).join(', ')}), whose masks it cannot combine into its output's steps. ` +
          'Consume each mask first (a recurrent layer or globalAveragePooling1d on each branch), or mask both branches from one source.',
      );
    }
    merges.set(i, distinct);
    sources.push(i);
  });
  return { sources, merges };
}
