// Keras builds a model from a subclass's call(); kerasm, like TensorFlow.js, builds one only from a
// graph of layers (Sequential, Functional), whose backward pass each layer writes. A class that
// extends LayersModel directly has no graph, and a call() on any model would never run.

const FIX =
  'kerasm, like TensorFlow.js, has no model subclassing: a model is km.sequential([...]) or km.model({ inputs, outputs }). ' +
  "Write the computation as a custom layer (docs/CUSTOM_LAYERS.md: a km.layers.CallLayer whose call(inputs) uses km ops, as a model's call does, or a km.layers.Layer with forward and backward) and wrap it with km.sequential or km.model.";

/** Throws, when a model is constructed, for Keras-style model subclassing: a class that extends LayersModel directly, or one that defines call(). */
export function checkModelClass(modelClass: { name: string }, model: object): void {
  const members = model as { buildGraph?: unknown; call?: unknown };
  if (typeof members.buildGraph !== 'function') {
    throw new Error(`${modelClass.name} extends km.LayersModel directly, as Keras' model subclassing (class MLP(keras.Model) with call()) does. ${FIX}`);
  }
  if (typeof members.call === 'function') {
    throw new Error(`${modelClass.name} defines call(), which kerasm never calls: a model computes what its layers do. ${FIX}`);
  }
}
