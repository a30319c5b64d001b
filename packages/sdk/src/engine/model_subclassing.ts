// Keras builds a model from a subclass's call(). kerasm does so for subclasses of km.Model, whose
// call it traces on symbolic tensors into a graph of layers; any other model is a graph of layers
// given up front (Sequential, Functional), whose call() would never run.

const FIX =
  "For Keras' model subclassing, extend km.Model: its call(inputs) connects the layers it holds, and kerasm traces it into a graph of layers when the input shapes are known. " +
  'Otherwise build the model with km.sequential([...]) or km.model({ inputs, outputs }).';

/** The classes whose subclasses define call() for kerasm to trace: km.Model. */
const tracingClasses = new Set<object>();

/** Marks `modelClass` as one whose subclasses' call() kerasm traces. */
export function tracesCall(modelClass: object): void {
  tracingClasses.add(modelClass);
}

function extendsTracing(modelClass: object): boolean {
  for (let c: object | null = modelClass; c; c = Object.getPrototypeOf(c)) if (tracingClasses.has(c)) return true;
  return false;
}

/**
 * Throws, when a model is constructed, for Keras-style model subclassing kerasm cannot follow: a
 * class that extends LayersModel directly, or a subclass of Sequential or Functional that defines call().
 */
export function checkModelClass(modelClass: { name: string }, model: object): void {
  if (extendsTracing(modelClass)) return;
  const members = model as { buildGraph?: unknown; call?: unknown };
  if (typeof members.buildGraph !== 'function') {
    throw new Error(`${modelClass.name} extends km.LayersModel directly, which has no way to build its graph. ${FIX}`);
  }
  if (typeof members.call === 'function') {
    throw new Error(`${modelClass.name} defines call(), which kerasm never calls on a Sequential or functional model: such a model computes what its layers do. ${FIX}`);
  }
}
