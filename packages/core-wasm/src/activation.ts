/**
 * Activation kinds understood by {@link Core.activationForward}, {@link Core.activationBackward},
 * {@link Core.activationBackwardBias} and (all but softmax) the {@link Core.gemm} epilogue.
 * Every backward pass works from the forward output y, so y may overwrite x.
 */
export enum Activation {
  Linear = 0,
  Relu = 1,
  Sigmoid = 2,
  Tanh = 3,
  /** Softmax along each row. */
  Softmax = 4,
  /** x for x > 0, eˣ − 1 otherwise (α = 1). */
  Elu = 5,
  /** scale·x for x > 0, scale·α·(eˣ − 1) otherwise, with Klambauer et al.'s scale ≈ 1.0507 and α ≈ 1.6733. */
  Selu = 6,
  /** log(1 + eˣ), computed as max(x, 0) + log1p(e^−|x|) so that it never overflows. */
  Softplus = 7,
  /** x / (1 + |x|). */
  Softsign = 8,
  /** min(max(x, 0), 6). */
  Relu6 = 9,
  /** eˣ (overflows to Infinity above about 88.7, as in TensorFlow.js). */
  Exponential = 10,
  /** clip(0.2·x + 0.5, 0, 1): TensorFlow.js' and Keras 2's definition. */
  HardSigmoid = 11,
  /** x for x > 0, 0.2·x otherwise: Keras 3's `leaky_relu` activation. */
  LeakyRelu = 12,
  /** clip(x, −1, 1). */
  HardTanh = 13,
  /** log σ(x) = −softplus(−x). */
  LogSigmoid = 14,
  /** Log-softmax along each row: x − log Σ eˣ. */
  LogSoftmax = 15,
  /** (x + √(x² + 4))/2: Keras 3's squareplus at its default b = 4. */
  Squareplus = 16,
  /** x − 0.5 above 0.5, x + 0.5 below −0.5, 0 between: Keras 3's soft_shrink at its default threshold. */
  SoftShrink = 17,
  /** x where |x| > 0.5, 0 elsewhere: Keras 3's hard_shrink at its default threshold. */
  HardShrink = 18,
  /** 0 up to −1, (x + 1)²/4 up to 1, x beyond: Keras 3's sparse_plus. */
  SparsePlus = 19,
  /** Sparsemax along each row (Martins & Astudillo, 2016): the projection onto the probability simplex, exactly 0 outside its support. */
  Sparsemax = 20,
}
