// The errors the Layer base class throws, each naming what was received and the fix.
import type { Layer, Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';

/** A tfjs-style custom layer calls `super(args)` alone, and computes in `call()`, which kerasm never runs. */
export function missingClassNameError(subclass: string): Error {
  return new Error(
    `${subclass} calls super(args) without its class name: kerasm's Layer takes super(args, '${subclass}'), the name saved files record (tfjs' static className). ` +
      `A layer with tfjs' call() of tensor ops extends km.layers.CallLayer; one on the backend's kernels extends km.layers.Layer with forward(ctx) and backward(ctx). docs/CUSTOM_LAYERS.md shows both.`,
  );
}

/** A tfjs-style `computeMask(inputs, mask)` returns a tensor, which kerasm never asks for: the mask is a buffer the forward pass writes. */
export function computeMaskError(subclass: string): Error {
  return new Error(
    `${subclass} defines computeMask, which kerasm never calls: a layer's mask is a buffer of one value per step that its forward pass writes, not a tensor a method returns. ` +
      `Declare \`get producesMask() { return true; }\` and \`get supportsMasking() { return true; }\`, then in forward(ctx) read the input's mask from ctx.inputMask (0 when it carries none) and write the output's into ctx.outputMask (1 keeps a step, 0 masks it). ` +
      `Rename the method if it is not meant as tfjs' computeMask. docs/CUSTOM_LAYERS.md (Masks) shows how.`,
  );
}

export function trainableError(layer: string, value: unknown): Error {
  return new Error(`Layer '${layer}': trainable must be true or false. Received: trainable=${JSON.stringify(value)}.`);
}

/** setWeights with weights on a layer that has none yet. */
export function notBuiltError(layer: Layer, received: number): Error {
  return new Error(
    `Layer '${layer.name}' (${layer.className}) is not built yet, so it has no weights to set (received ${received} tensor${received === 1 ? '' : 's'}). ` +
      `Build it first: put it in a model whose input shape is known (or call layer.apply(km.input({ shape }))), then call setWeights.`,
  );
}

/** A call of a built layer with other input shapes than it was built for. */
export function builtForOtherShapesError(layer: Layer, builtFor: readonly Shape[], inputShapes: readonly Shape[]): Error {
  const list = (shapes: readonly Shape[]) => shapes.map(formatShape).join(' and ');
  return new Error(
    `Layer '${layer.name}' (${layer.className}) was built for input shape ${list(builtFor)}, but this call gives it ${list(inputShapes)}. ` +
      `A layer applied several times (a shared layer) keeps one set of weights, so every call must receive the shape it was built for. ` +
      `Give this input its own ${layer.className} layer, or bring it to ${list(builtFor)} first.`,
  );
}

/** A custom layer that holds a layer or model (`what` names it) in its property `key`, as a Keras layer may; see Layer's checkNoHeldLayers. */
export function heldLayerError(layer: Layer, key: string, what: string): Error {
  return new Error(
    `Layer '${layer.name}' (${layer.className}) holds ${what} in its property '${key}', as a Keras layer holds the layers its call() runs. ` +
      `kerasm does not track layers held that way: their weights are not this layer's, so they would not train or save, and forward cannot run them. ` +
      `Build a layer made of layers as a functional model, km.model({ inputs, outputs }), which is used like a layer (docs/CUSTOM_LAYERS.md, "Layers made of layers").`,
  );
}
