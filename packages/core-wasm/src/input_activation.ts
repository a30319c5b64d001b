/**
 * Activations whose derivative is not a function of their output, for
 * {@link Core.inputActivationForward} and {@link Core.inputActivationBackward}: the backward pass
 * reads the forward input x, which the caller keeps.
 */
export enum InputActivation {
  /** x·σ(x) (Keras' swish, also called silu). */
  Swish = 0,
  /** x·Φ(x) = ½x(1 + erf(x/√2)), the exact GELU (Keras 3's default, tfjs' 'gelu'). */
  Gelu = 1,
  /** ½x(1 + tanh(√(2/π)(x + 0.044715x³))), the tanh approximation (tfjs' 'gelu_new'). */
  GeluTanh = 2,
  /** x·tanh(softplus(x)). */
  Mish = 3,
  /** x·relu6(x + 3)/6: Keras 3's hard_silu (hard_swish), x times its hard sigmoid. */
  HardSilu = 4,
  /** x − tanh(x): Keras 3's tanh_shrink. */
  TanhShrink = 5,
}
