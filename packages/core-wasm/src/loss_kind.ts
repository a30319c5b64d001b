/** Kinds of {@link Core.elementwiseLoss}; the numbering matches assembly/elementwise_losses.ts. */
export enum LossKind {
  MeanAbsoluteError = 0,
  MeanAbsolutePercentageError = 1,
  MeanSquaredLogarithmicError = 2,
  Huber = 3,
  LogCosh = 4,
  Poisson = 5,
  KullbackLeiblerDivergence = 6,
  Hinge = 7,
  SquaredHinge = 8,
  BinaryCrossentropyFromLogits = 9,
}

/** Kinds of {@link Core.rowwiseLoss}; the numbering matches assembly/rowwise_losses.ts. */
export enum RowLossKind {
  CategoricalHinge = 0,
  CosineSimilarity = 1,
}
