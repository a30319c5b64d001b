import { inboundTensor, type GraphNode } from './graph.js';

/**
 * Follows masks through the nodes (in topological order), as Keras' compute_mask does at build time:
 * for each node, the node whose mask its output carries (itself when its layer makes one), or -1.
 * A mask reaching a layer that cannot honour it is an error naming both layers and the fix, rather
 * than padding silently counted as data.
 */
export function maskSources(nodes: readonly GraphNode[]): number[] {
  const sources: number[] = [];
  nodes.forEach((node, i) => {
    // Only a node's first output carries its mask: the extra outputs (a recurrent layer's states) have no steps.
    const incoming = node.inbound.map((j, slot) => (j >= 0 && inboundTensor(node, slot) === 0 ? sources[j] : -1));
    const masked = incoming.find((s) => s >= 0) ?? -1;
    const { layer } = node;
    if (masked >= 0 && !layer.supportsMasking) {
      const source = nodes[masked].layer;
      throw new Error(
        `Layer '${layer.name}' (${layer.className}) does not support masking, but its input carries the mask of layer '${source.name}' (${source.className}), which marks padded steps. ` +
          `Consume the mask before it: a recurrent layer without returnSequences (lstm, gru, simpleRNN) or globalAveragePooling1d reads it and passes none on. ` +
          `Or drop the mask: maskZero: false on the Embedding, or no Masking layer.`,
      );
    }
    // Inputs masked from one source carry the same mask, which is its own logical AND, as Keras merges masks.
    if (!layer.readsInputMasks && new Set(incoming.filter((s) => s >= 0)).size > 1) {
      throw new Error(`Layer '${layer.name}' (${layer.className}) receives inputs masked by different layers; kerasm does not merge different masks yet. Consume each mask first (a recurrent layer or globalAveragePooling1d on each branch), or mask both branches from one source.`);
    }
    const passed = layer.readsInputMasks ? incoming[0] : masked;
    sources.push(layer.producesMask ? i : passed >= 0 && layer.passesMask ? passed : -1);
  });
  return sources;
}
