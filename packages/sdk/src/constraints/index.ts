// km.constraints: limits on weights, applied after each optimizer step (kernelConstraint, biasConstraint).
export { maxNorm, nonNeg, unitNorm, minMaxNorm, type Constraint, type ConstraintName, type Axis } from './constraints.js';
