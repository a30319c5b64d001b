import type { ActivationKind, InputActivationKind, RowwiseActivation } from '../backend/backend.js';

/** An activation a layer runs: one whose gradient comes from its output, or one that needs its input. */
export type LayerActivation = ActivationKind | InputActivationKind;

/** The activations whose derivative needs the input z: layers keep z for them (see {@link needsInput}). */
const INPUT_ACTIVATIONS: readonly InputActivationKind[] = ['swish', 'gelu', 'gelu_new', 'mish', 'hard_silu', 'tanh_shrink'];

const ACTIVATIONS: readonly LayerActivation[] = [
  'linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'logSoftmax',
  'elu', 'selu', 'softplus', 'softsign', 'relu6', 'exponential', 'hardSigmoid',
  'leaky_relu', 'hard_tanh', 'log_sigmoid',
  'squareplus', 'soft_shrink', 'hard_shrink', 'sparse_plus', 'sparsemax',
  ...INPUT_ACTIVATIONS,
];

/** Keras' spellings of the names TensorFlow.js writes otherwise; Keras 3's celu at its default α = 1 is elu. */
const KERAS_ALIASES: Record<string, LayerActivation> = { hard_sigmoid: 'hardSigmoid', silu: 'swish', log_softmax: 'logSoftmax', celu: 'elu', hard_swish: 'hard_silu' };

// Keras and TensorFlow.js activations kerasm does not run, with why where the reason is structural.
const NOT_SUPPORTED: Record<string, string | undefined> = {
  leakyRelu: "tfjs has it as a layer, km.layers.leakyReLU({ alpha }); Keras 3's activation is 'leaky_relu'",
};

/** Whether the activation normalizes whole rows along the last axis (softmax, log-softmax) rather than each value alone. */
export function isRowwise(activation: LayerActivation): activation is RowwiseActivation {
  return activation === 'softmax' || activation === 'logSoftmax' || activation === 'sparsemax';
}

/**
 * Activation names a layer accepts, as TensorFlow.js names them:
 * `'linear'`, `'relu'`, `'sigmoid'`, `'tanh'`, `'softmax'` (along the last axis), `'elu'` (α = 1),
 * `'selu'`, `'softplus'`, `'softsign'`, `'relu6'`, `'exponential'`, `'hardSigmoid'`, `'swish'`
 * (x·σ(x)), `'gelu'` (the exact x·Φ(x) = ½x(1 + erf(x/√2)), Keras 3's default), `'gelu_new'`
 * (the tanh approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³)))) and `'mish'` (x·tanh(softplus(x))),
 * `'logSoftmax'` (x − log Σ eˣ along the last axis; Keras' `'log_softmax'` too), and Keras 3's
 * `'leaky_relu'` (slope 0.2 below 0), `'hard_tanh'` (clip(x, −1, 1)), `'log_sigmoid'` (log σ(x)) and
 * `'hard_silu'` (x·relu6(x + 3)/6; `'hard_swish'` too), `'squareplus'` ((x + √(x² + 4))/2),
 * `'soft_shrink'` (x ∓ 0.5 outside ±0.5, else 0), `'hard_shrink'` (x outside ±0.5, else 0),
 * `'tanh_shrink'` (x − tanh x), `'sparse_plus'` (0 below −1, (x + 1)²/4 up to 1, then x) and
 * `'sparsemax'` (the projection onto the probability simplex along the last axis: like softmax,
 * rows sum to 1, but with exact zeros). Keras 3's `'glu'` halves the last axis, so only an
 * Activation layer takes it (see {@link ActivationLayerName}).
 * `'hard_sigmoid'`, Keras' spelling and the one tfjs and kerasm write into model.json, is accepted
 * too, and so is Keras' `'silu'`, saved as `'swish'`, and Keras 3's `'celu'` (α = 1), saved as `'elu'`.
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
 * km.layers.dense({ units: 64, activation: 'gelu' });
 * km.layers.dense({ units: 10, activation: 'sparsemax' });
 * ```
 */
export type ActivationName = LayerActivation | 'hard_sigmoid' | 'silu' | 'log_softmax' | 'celu' | 'hard_swish';

/**
 * What {@link ActivationName} names, and Keras 3's `'glu'`: each sample's last axis splits into
 * halves a and b and the output is a·σ(b), with half the features. An odd last axis is an error.
 *
 * @example
 * ```ts
 * km.layers.dense({ units: 64 }); // then
 * km.layers.activation({ activation: 'glu' }); // 32 features
 * ```
 */
export type ActivationLayerName = ActivationName | 'glu';

/** Resolves an activation name (Keras' aliases too); `undefined` and `null` mean linear, as in Keras. */
export function getActivation(name: string | null | undefined, layerName: string): LayerActivation {
  if (name === undefined || name === null) return 'linear';
  if (typeof name === 'function') throw customActivationError(String(name), layerName);
  const kind = KERAS_ALIASES[name] ?? name;
  if ((ACTIVATIONS as readonly string[]).includes(kind)) return kind as LayerActivation;
  const valid = `Valid activations: ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')} (${Object.keys(KERAS_ALIASES).map((a) => `'${a}'`).join(', ')} work too; 'glu' only as km.layers.activation({ activation: 'glu' })).`;
  if (name === 'glu') {
    throw new Error(`Activation 'glu' in layer '${layerName}' halves the last axis, which this layer's output shape does not follow ` +
      `(Keras 3's Dense and Conv layers report their units or filters as the output size while glu returns half of them). ` +
      `Apply it after the layer instead: km.layers.activation({ activation: 'glu' }), with twice the units or filters on this layer.`);
  }
  if (Object.hasOwn(NOT_SUPPORTED, name)) {
    const why = NOT_SUPPORTED[name];
    throw new Error(`Activation '${name}' in layer '${layerName}' is not supported by kerasm yet${why ? ` (${why})` : ''}. ${valid}`);
  }
  throw new Error(`Unknown activation '${name}' in layer '${layerName}'. ${valid} A custom activation (Keras' custom_objects) is written as a custom layer: docs/CUSTOM_LAYERS.md.`);
}

/** Keras' `activation=my_fn`: kerasm runs each activation as a kernel, forward and backward, so it has no place for a function. */
function customActivationError(source: string, layerName: string): Error {
  const shown = source.length > 40 ? `${source.slice(0, 40)}...` : source;
  return new Error(
    `Layer '${layerName}': activation is a function (${shown}), but kerasm computes activations with its own kernels, so it takes one of their names: ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}. ` +
      `A custom elementwise function is written as a custom layer, whose forward and backward compute it with the backend's kernels (docs/CUSTOM_LAYERS.md), placed after this layer with activation: 'linear'.`,
  );
}

/**
 * Whether the activation's derivative needs its input z, so that a layer keeps z from forward to
 * backward and runs the backend's inputActivation kernels instead of the fused from-y path.
 */
export function needsInput(activation: LayerActivation): activation is InputActivationKind {
  return (INPUT_ACTIVATIONS as readonly string[]).includes(activation);
}

/** The activation a layer runs: a softmax deferred to a fused softmax-cross-entropy loss becomes linear. */
export function appliedActivation<K extends LayerActivation>(activation: K, deferSoftmax: boolean): K | 'linear' {
  return deferSoftmax && activation === 'softmax' ? 'linear' : activation;
}
