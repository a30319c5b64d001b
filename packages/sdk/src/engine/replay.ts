import type { Layer } from '../layers/layer.js';
import { formatShape } from '../layers/layer_shapes.js';
import { sameShape } from '../tensor.js';
import { applyLayer, SymbolicTensor, type ModelApplication, type SymbolicCall } from './symbolic.js';

/**
 * A model's graph applied again, on new symbolic inputs (a model used as a layer): each of its
 * layer calls is made once more on the tensors that now stand for its inputs, so the new calls
 * share the model's layers and weights, as calling a Keras model on new tensors does. A call that
 * fixed its mode keeps it; the others take `training` (undefined: the pass's). `via` gives the
 * model application each new call belongs to, from the one the call it remakes belonged to (none
 * by default); `layerFor` swaps each layer for another (a clone's). `tensors`, if given, receives
 * each tensor of the model and the one that now stands for it.
 */
export function replayGraph(
  ends: { inputs: readonly SymbolicTensor[]; outputs: readonly SymbolicTensor[] },
  given: readonly SymbolicTensor[],
  where: string,
  {
    training,
    via = () => undefined,
    layerFor = (layer) => layer,
    tensors: standsFor = new Map(),
  }: { training?: boolean; via?: (original: ModelApplication | undefined) => ModelApplication | undefined; layerFor?: (layer: Layer) => Layer; tensors?: Map<SymbolicTensor, SymbolicTensor> } = {},
): SymbolicTensor[] {
  if (given.length !== ends.inputs.length) {
    throw new Error(`${where} takes ${ends.inputs.length} input${ends.inputs.length === 1 ? '' : 's'} (${ends.inputs.map((t) => `'${t.name}'`).join(', ')}), but received ${given.length}. Pass one symbolic tensor per model input, in order.`);
  }
  ends.inputs.forEach((t, i) => {
    const x = given[i];
    if (!(x instanceof SymbolicTensor)) throw new Error(`${where} expects symbolic tensors (from km.input or a layer's apply), but input ${i} is ${x === null ? 'null' : typeof x}.`);
    if (!sameShape(x.shape, t.shape)) {
      throw new Error(`${where} expects input '${t.name}' of shape ${formatShape(t.shape)}, but received ${formatShape(x.shape)}. Reshape or change the tensor passed, or rebuild the model for that shape.`);
    }
    standsFor.set(t, x);
  });
  const remade = new Map<SymbolicCall, SymbolicTensor[]>();
  const visit = (t: SymbolicTensor): SymbolicTensor => {
    const known = standsFor.get(t);
    if (known) return known;
    if (t.source.kind === 'input') throw new Error(`kerasm internal error: ${where} reads input '${t.name}', which is not one of its inputs.`);
    const { call, outputIndex } = t.source;
    let outputs = remade.get(call);
    if (!outputs) {
      const inbound = call.inbound.map(visit);
      const made = applyLayer(layerFor(call.layer), inbound, { training: call.training ?? training, via: via(call.via), masks: call.masks, maskedInputs: call.maskedInputs });
      outputs = Array.isArray(made) ? made : [made];
      remade.set(call, outputs);
      call.outputs.forEach((o, k) => standsFor.set(o, outputs![k]));
    }
    return outputs[outputIndex];
  };
  return ends.outputs.map(visit);
}
