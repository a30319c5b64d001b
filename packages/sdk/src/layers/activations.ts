import type { ActivationKind } from '../backend/backend.js';

const ACTIVATIONS: readonly ActivationKind[] = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'];

/** Activation names a layer accepts. */
export type ActivationName = ActivationKind;

/** Validates an activation name; `undefined` and `null` mean linear, as in Keras. */
export function getActivation(name: string | null | undefined, layerName: string): ActivationKind {
  if (name === undefined || name === null) return 'linear';
  if ((ACTIVATIONS as readonly string[]).includes(name)) return name as ActivationKind;
  throw new Error(
    `Unknown activation '${name}' in layer '${layerName}'. Valid activations: ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}.`,
  );
}

/** The activation a layer runs: a softmax deferred to a fused softmax-cross-entropy loss becomes linear. */
export function appliedActivation(activation: ActivationKind, deferSoftmax: boolean): ActivationKind {
  return deferSoftmax && activation === 'softmax' ? 'linear' : activation;
}
