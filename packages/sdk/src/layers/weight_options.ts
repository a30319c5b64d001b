import { constraintConfig, getConstraint, type Constraint, type ConstraintSpec } from '../constraints/constraints.js';
import { getRegularizer, regularizerConfig, type Regularizer, type RegularizerSpec } from '../regularizers/regularizers.js';

/** Penalties and constraints of a layer with a kernel and an optional bias (Dense, Conv2D). */
export interface KernelBiasArgs {
  /** Penalty on the kernel, e.g. `km.regularizers.l2({ l2: 1e-4 })`. */
  kernelRegularizer?: RegularizerSpec;
  /** Penalty on the bias. */
  biasRegularizer?: RegularizerSpec;
  /** Penalty on the layer's output, added to the loss (Keras' activity regularizer). */
  activityRegularizer?: RegularizerSpec;
  /** Applied to the kernel after each optimizer step, e.g. `km.constraints.maxNorm({ maxValue: 3 })`. */
  kernelConstraint?: ConstraintSpec;
  /** Applied to the bias after each optimizer step. */
  biasConstraint?: ConstraintSpec;
}

/** The resolved options, kept by the layer. */
export interface KernelBiasOptions {
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
}

/** Validates the options in the constructor; `where` names the layer in errors ("Dense layer 'dense_1'"). */
export function kernelBiasOptions(args: KernelBiasArgs, where: string): KernelBiasOptions {
  return {
    kernelRegularizer: getRegularizer(args.kernelRegularizer, `${where} kernelRegularizer`),
    biasRegularizer: getRegularizer(args.biasRegularizer, `${where} biasRegularizer`),
    activityRegularizer: getRegularizer(args.activityRegularizer, `${where} activityRegularizer`),
    kernelConstraint: getConstraint(args.kernelConstraint, `${where} kernelConstraint`),
    biasConstraint: getConstraint(args.biasConstraint, `${where} biasConstraint`),
  };
}

/** The fields as Keras and TensorFlow.js write them in a layer's config. */
export function kernelBiasConfig(o: KernelBiasOptions): Record<string, unknown> {
  return {
    kernelRegularizer: regularizerConfig(o.kernelRegularizer),
    biasRegularizer: regularizerConfig(o.biasRegularizer),
    activityRegularizer: regularizerConfig(o.activityRegularizer),
    kernelConstraint: constraintConfig(o.kernelConstraint),
    biasConstraint: constraintConfig(o.biasConstraint),
  };
}
