import type { Layer, Shape } from '../layers/layer.js';
import { formatShape } from '../layers/layer_shapes.js';
import { explicitMaskInputs, inboundTensor, inputCount, type GraphNode } from './graph.js';

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
    const { layer } = node;
    // A node given its first input's mask explicitly (`apply(x, { mask })`, checked then) reads it instead of
    // any that input carries, and its output carries it, or the mask it makes from it. An input a mask list
    // gave null (an attention layer's `[null, valueMask]`) keeps its own, as below.
    const given = explicitMaskInputs(node);
    if (given.includes(0)) {
      sources.push(layer.producesMask || layer.passesMask ? i : -1);
      return;
    }
    // Only a node's first output carries its mask: the extra outputs (a recurrent layer's states) have no
    // steps. Explicit masks, after the inputs, carry none, and an input given one is read with it.
    const incoming = node.inbound.slice(0, inputCount(node)).map((j, slot) => (j >= 0 && !given.includes(slot) && inboundTensor(node, slot) === 0 ? sources[j] : -1));
    const masked = incoming.find((s) => s >= 0) ?? -1;
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

/** What to write for the layers that take a mask given explicitly. */
const TAKES_MASKS = 'lstm, gru, simpleRNN, bidirectional, convLstm1d, convLstm2d, convLstm3d, globalAveragePooling1d, the attention layers (a list: [queryMask, valueMask]) and layers that pass a mask on (dense, dropout, timeDistributed, ...)';

/** The masks given to a call, per input in order, null for an input given none (see `maskedInputs` of a call). */
export function maskEntries<T>(masks: readonly T[], maskedInputs: readonly number[] | undefined): (T | null)[] {
  if (!maskedInputs) return [...masks];
  const entries: (T | null)[] = Array.from({ length: Math.max(...maskedInputs) + 1 }, () => null);
  maskedInputs.forEach((input, k) => (entries[input] = masks[k]));
  return entries;
}

/**
 * Checks masks given explicitly to a call (`layer.apply(x, { mask })`, Keras' `layer(x, mask=m)`):
 * one per input at most, the k-th for input k (null: none for it), each with the input's steps (its
 * shape without the features axis: `[steps]` for a sequence `[steps, features]`), and a layer that
 * reads or passes masks on. `inputs` are the call's inputs without the masks; shapes leave the batch out.
 */
export function checkExplicitMasks(layer: Layer, inputs: readonly Shape[], masks: readonly (Shape | null)[]): void {
  const where = `Layer '${layer.name}' (${layer.className}).apply`;
  if (!layer.supportsMasking || layer.makesMaskFromValues) {
    const why = layer.makesMaskFromValues ? 'makes its own mask from its input' : 'takes no mask';
    throw new Error(`${where} received a mask, but the layer ${why}. Pass { mask } to a layer that reads one: ${TAKES_MASKS}.`);
  }
  // An attention layer takes a mask per input of its list (query, value, key); another that reads several inputs' masks, up to three; any other its first input's.
  const list = layer.explicitMaskList;
  const most = list ? Math.min(inputs.length, list.length) : layer.readsInputMasks ? Math.min(inputs.length, 3) : 1;
  if (masks.length > most) {
    const which = list ? `one per input at most ([${list.slice(0, most).join(', ')}])` : layer.readsInputMasks ? 'one per input at most' : 'one, the mask of its input';
    throw new Error(`${where} received ${masks.length} masks, but takes ${which}. Pass ${list ? `mask: [${list.slice(0, most).join(', ')}], null for an input given none` : layer.readsInputMasks ? 'a list of masks in input order' : 'mask: m'}.`);
  }
  masks.forEach((mask, k) => {
    if (mask === null) return;
    const input = inputs[k];
    const steps = input.slice(0, -1);
    if (input.length < 2 || mask.length !== steps.length || mask.some((d, a) => d !== steps[a])) {
      const which = masks.length > 1 ? `mask ${k}` : 'the mask';
      if (input.length < 2) {
        throw new Error(`${where}: ${which} is for input ${k}, of shape ${formatShape(input)}, which has no steps to mask: a mask marks the steps of a sequence of shape [steps, features]. Give the mask to the layer that reads the sequence.`);
      }
      throw new Error(
        `${where}: ${which} has shape ${formatShape(mask)}, but input ${k} has shape ${formatShape(input)}, so a mask needs shape ${formatShape(steps)}: one value per step, 1 to keep it and 0 to mask it. ` +
          `Give the mask that shape, e.g. a model input km.input({ shape: [${steps.join(', ')}] }).`,
      );
    }
    layer.checkInputMask(mask, input, layer);
  });
}
