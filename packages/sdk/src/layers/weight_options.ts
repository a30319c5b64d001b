import { constraintConfig, getConstraint, type Constraint, type ConstraintSpec } from '../constraints/constraints.js';
import { getRegularizer, regularizerConfig, type Regularizer, type RegularizerSpec } from '../regularizers/regularizers.js';

/** Penalties and constraints on a layer's bias and output (Dense, Conv2D, DepthwiseConv2D). */
export interface BiasActivityArgs {
  /** Penalty on the bias. */
  biasRegularizer?: RegularizerSpec;
  /** Penalty on the layer's output, added to the loss (Keras' activity regularizer). */
  activityRegularizer?: RegularizerSpec;
  /** Applied to the bias after each optimizer step. */
  biasConstraint?: ConstraintSpec;
}

/** Penalties and constraints of a layer with a kernel and an optional bias (Dense, Conv2D). */
export interface KernelBiasArgs extends BiasActivityArgs {
  /** Penalty on the kernel, e.g. `km.regularizers.l2({ l2: 1e-4 })`. */
  kernelRegularizer?: RegularizerSpec;
  /** Applied to the kernel after each optimizer step, e.g. `km.constraints.maxNorm({ maxValue: 3 })`. */
  kernelConstraint?: ConstraintSpec;
}

/** What Keras calls a layer's kernel in option and config names: `kernel` (Dense, Conv2D) or `depthwise` (DepthwiseConv2D). */
export type KernelName = 'kernel' | 'depthwise';

/** One weight's penalty and constraint, read from the options `<weight>Regularizer` and `<weight>Constraint`. */
export interface WeightOptions {
  readonly regularizer: Regularizer | null;
  readonly constraint: Constraint | null;
}

/** The resolved options of a kernel, a bias and the output, kept by the layer. */
export interface KernelBiasOptions {
  readonly kernel: WeightOptions;
  readonly bias: WeightOptions;
  readonly activityRegularizer: Regularizer | null;
}

/**
 * Validates `<weight>Regularizer` and `<weight>Constraint` of `args` in the constructor (`weight`
 * is Keras' name: 'kernel', 'depthwise', 'gamma'...); `where` names the layer in errors
 * ("Dense layer 'dense_1'").
 */
export function weightOptions(args: object, weight: string, where: string): WeightOptions {
  const options = args as Record<string, unknown>;
  return {
    regularizer: getRegularizer(options[`${weight}Regularizer`] as RegularizerSpec, `${where} ${weight}Regularizer`),
    constraint: getConstraint(options[`${weight}Constraint`] as ConstraintSpec, `${where} ${weight}Constraint`),
  };
}

/** `<weight>Regularizer` and `<weight>Constraint` as Keras and TensorFlow.js write them in a layer's config. */
export function weightOptionsConfig(weight: string, o: WeightOptions): Record<string, unknown> {
  return { [`${weight}Regularizer`]: regularizerConfig(o.regularizer), [`${weight}Constraint`]: constraintConfig(o.constraint) };
}

/** Validates a kernel-and-bias layer's options in the constructor, the kernel's read under its Keras name. */
export function kernelBiasOptions(args: BiasActivityArgs, kernel: KernelName, where: string): KernelBiasOptions {
  return {
    kernel: weightOptions(args, kernel, where),
    bias: weightOptions(args, 'bias', where),
    activityRegularizer: getRegularizer(args.activityRegularizer, `${where} activityRegularizer`),
  };
}

/** The fields as Keras and TensorFlow.js write them in a layer's config. */
export function kernelBiasConfig(kernel: KernelName, o: KernelBiasOptions): Record<string, unknown> {
  return {
    ...weightOptionsConfig(kernel, o.kernel),
    ...weightOptionsConfig('bias', o.bias),
    activityRegularizer: regularizerConfig(o.activityRegularizer),
  };
}
