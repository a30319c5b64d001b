// Finding a layer's symbolic calls, for its input, output, getInputAt and getOutputAt.
import { layerCalls, type SymbolicCall, type SymbolicTensor } from '../engine/symbolic.js';
import type { SampleShape } from '../engine/unknown_dims.js';
import type { Layer } from './layer.js';

/** The layer's call number `nodeIndex`; throws when it has no such call. */
export function callAt(layer: Layer, nodeIndex: number): SymbolicCall {
  const list = layerCalls(layer);
  if (!Number.isInteger(nodeIndex) || nodeIndex < 0 || nodeIndex >= list.length) {
    throw new Error(`Layer '${layer.name}' has ${list.length} output${list.length === 1 ? '' : 's'} (one per call), so getOutputAt(${nodeIndex}) is out of range.`);
  }
  return list[nodeIndex];
}

/** The one output of the layer's call number `nodeIndex`; throws, naming the fix, for a layer with several outputs. */
export function singleOutputAt(layer: Layer, nodeIndex: number): SymbolicTensor {
  const { outputs } = callAt(layer, nodeIndex);
  if (outputs.length > 1) {
    throw new Error(`Layer '${layer.name}' (${layer.className}) has ${outputs.length} outputs per call, so it has no single output. Use layer.getOutputsAt(${nodeIndex}), or the list its apply returned (const [output, ...states] = layer.apply(x)).`);
  }
  return outputs[0];
}

/** The index of the layer's only call; throws naming the fix when it has none or several. */
export function onlyCall(layer: Layer, what: 'input' | 'output'): number {
  const count = layerCalls(layer).length;
  if (count === 0) {
    throw new Error(`Layer '${layer.name}' has not been called yet, so it has no ${what}. Put it in a model whose input shape is known, or apply it: layer.apply(km.input({ shape })).`);
  }
  if (count > 1) {
    const getter = what === 'output' ? 'getOutputAt' : 'getInputAt';
    throw new Error(`Layer '${layer.name}' is called ${count} times (a shared layer), so it has ${count} ${what}s, one per call. Pick one with layer.${getter}(i), i from 0 to ${count - 1}.`);
  }
  return 0;
}

/** The shapes of the `tensors` of the layer's first call, one shape for one tensor; every call has the same, since a layer is built for one. */
export function firstCallShapes(layer: Layer, what: 'input' | 'output', tensors: () => readonly SymbolicTensor[]): SampleShape | SampleShape[] {
  if (layerCalls(layer).length === 0) onlyCall(layer, what); // throws, saying how to call it
  const shapes = tensors().map((t) => [...t.shape]);
  return shapes.length === 1 ? shapes[0] : shapes;
}
