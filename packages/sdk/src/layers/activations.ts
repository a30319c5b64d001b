import type { ActivationKind } from '../backend/backend.js';

const ACTIVATIONS: readonly ActivationKind[] = [
  'linear', 'relu', 'sigmoid', 'tanh', 'softmax',
  'elu', 'selu', 'softplus', 'softsign', 'relu6', 'exponential', 'hardSigmoid',
];

/** Keras' snake_case spellings of the names TensorFlow.js writes in camelCase. */
const SNAKE_ALIASES: Record<string, ActivationKind> = { hard_sigmoid: 'hardSigmoid' };

// Keras and TensorFlow.js activations kerasm does not run, with why where the reason is structural:
// Dense and Conv2D fuse the activation into their matMul and keep only its output y.
const NEEDS_INPUT = 'its gradient needs the layer\'s input, and kerasm layers keep only their output';
const NOT_SUPPORTED: Record<string, string | undefined> = {
  swish: NEEDS_INPUT, silu: NEEDS_INPUT, gelu: NEEDS_INPUT, gelu_new: NEEDS_INPUT, mish: NEEDS_INPUT,
  hard_silu: NEEDS_INPUT, hard_swish: NEEDS_INPUT, glu: NEEDS_INPUT,
  logSoftmax: undefined, log_softmax: undefined, leaky_relu: undefined, leakyRelu: undefined,
  hard_tanh: undefined, log_sigmoid: undefined, celu: undefined,
};

/**
 * Activation names a layer accepts, as TensorFlow.js names them:
 * `'linear'`, `'relu'`, `'sigmoid'`, `'tanh'`, `'softmax'` (along the last axis), `'elu'` (α = 1),
 * `'selu'`, `'softplus'`, `'softsign'`, `'relu6'`, `'exponential'` and `'hardSigmoid'`.
 * `'hard_sigmoid'`, Keras' spelling and the one tfjs and kerasm write into model.json, is accepted too.
 *
 * `'hardSigmoid'` is TensorFlow.js' and Keras 2's clip(0.2·x + 0.5, 0, 1); Keras 3 changed
 * `hard_sigmoid` to relu6(x + 3) / 6, so a Keras 3 model using it computes slightly differently.
 * `'exponential'` is Keras' eˣ; tfjs-layers 4.22 has no activation of that name, so a model
 * saved with it loads in kerasm and Keras but not in tfjs.
 *
 * @example
 * ```ts
 * km.layers.dense({ units: 32, activation: 'selu', kernelInitializer: 'lecunNormal' });
 * km.layers.activation({ activation: 'hard_sigmoid' }); // the same as 'hardSigmoid'
 * ```
 */
export type ActivationName = ActivationKind | 'hard_sigmoid';

/** Resolves an activation name (Keras' snake_case aliases too); `undefined` and `null` mean linear, as in Keras. */
export function getActivation(name: string | null | undefined, layerName: string): ActivationKind {
  if (name === undefined || name === null) return 'linear';
  const kind = SNAKE_ALIASES[name] ?? name;
  if ((ACTIVATIONS as readonly string[]).includes(kind)) return kind as ActivationKind;
  const valid = `Valid activations: ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')} ('hard_sigmoid' works too).`;
  if (Object.hasOwn(NOT_SUPPORTED, name)) {
    const why = NOT_SUPPORTED[name];
    throw new Error(`Activation '${name}' in layer '${layerName}' is not supported by kerasm yet${why ? ` (${why})` : ''}. ${valid}`);
  }
  throw new Error(`Unknown activation '${name}' in layer '${layerName}'. ${valid}`);
}

/** The activation a layer runs: a softmax deferred to a fused softmax-cross-entropy loss becomes linear. */
export function appliedActivation(activation: ActivationKind, deferSoftmax: boolean): ActivationKind {
  return deferSoftmax && activation === 'softmax' ? 'linear' : activation;
}
