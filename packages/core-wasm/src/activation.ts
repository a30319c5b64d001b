/** Activation kinds understood by {@link Core.activationForward} and {@link Core.activationBackward}. */
export enum Activation {
  Linear = 0,
  Relu = 1,
  Sigmoid = 2,
  Tanh = 3,
  /** Softmax along each row. */
  Softmax = 4,
}
