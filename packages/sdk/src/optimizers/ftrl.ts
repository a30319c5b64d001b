import type { Backend, BufferId } from '../backend/backend.js';
import { checkRange, Optimizer, type OptimizerArgs } from './optimizer.js';
import type { StateSlot } from './state_slots.js';

/** Options of {@link Ftrl}; defaults are Keras 3's. */
export interface FtrlArgs extends OptimizerArgs {
  /** Power of the accumulator in the per-weight rate, ≤ 0 (default −0.5: 1/√a). */
  learningRatePower?: number;
  /** Starting value of the squared-gradient accumulators, ≥ 0 (default 0.1). */
  initialAccumulatorValue?: number;
  /** L1 strength, ≥ 0: weights whose linear term stays within ±l1 are exactly 0 (default 0). */
  l1RegularizationStrength?: number;
  /** L2 stabilization strength, ≥ 0 (default 0). */
  l2RegularizationStrength?: number;
  /** L2 magnitude penalty added to the gradient as 2·strength·p, ≥ 0 (default 0). */
  l2ShrinkageRegularizationStrength?: number;
  /** The paper's β, ≥ 0: adds β/(2·lr) to the L2 strength (default 0). */
  beta?: number;
}

/**
 * FTRL-Proximal (McMahan et al., 2013) as Keras 3 updates it, per weight:
 * `a' = a + g²; linear += g + 2·l2Shrinkage·p − (a'^−power − a^−power)/lr·p;
 * p = (clip(linear, −l1, l1) − linear) / (a'^−power/lr + 2·(l2 + β/(2·lr)))`.
 */
export class Ftrl extends Optimizer {
  readonly className = 'Ftrl';
  readonly learningRatePower: number;
  readonly initialAccumulatorValue: number;
  readonly l1RegularizationStrength: number;
  readonly l2RegularizationStrength: number;
  readonly l2ShrinkageRegularizationStrength: number;
  readonly beta: number;

  constructor(args: FtrlArgs = {}) {
    super('Ftrl', args, 0.001);
    const power = args.learningRatePower ?? -0.5;
    if (!(power <= 0 && Number.isFinite(power))) {
      throw new Error(`Ftrl: learningRatePower must be a finite number ≤ 0 (the accumulator's power is −learningRatePower). Received: learningRatePower=${power}.`);
    }
    this.learningRatePower = power;
    const nonNegative = (name: keyof FtrlArgs, fallback: number) => checkRange('Ftrl', name, (args[name] as number | undefined) ?? fallback, 0, Infinity);
    this.initialAccumulatorValue = nonNegative('initialAccumulatorValue', 0.1);
    this.l1RegularizationStrength = nonNegative('l1RegularizationStrength', 0);
    this.l2RegularizationStrength = nonNegative('l2RegularizationStrength', 0);
    this.l2ShrinkageRegularizationStrength = nonNegative('l2ShrinkageRegularizationStrength', 0);
    this.beta = nonNegative('beta', 0);
  }

  override declareSlots(): StateSlot[] {
    return [{ name: 'accumulator', initialValue: this.initialAccumulatorValue }, { name: 'linear' }];
  }

  protected update(backend: Backend, params: BufferId, grads: BufferId, size: number, lr: number): void {
    const l2 = this.l2RegularizationStrength + this.beta / (2 * lr);
    backend.ftrlUpdate(params, grads, this.slot('accumulator'), this.slot('linear'), size, lr, -this.learningRatePower, this.l1RegularizationStrength, l2, this.l2ShrinkageRegularizationStrength);
  }

  override getConfig(): Record<string, unknown> {
    const { learningRatePower, initialAccumulatorValue, l1RegularizationStrength, l2RegularizationStrength, l2ShrinkageRegularizationStrength, beta } = this;
    return { ...super.getConfig(), learningRatePower, initialAccumulatorValue, l1RegularizationStrength, l2RegularizationStrength, l2ShrinkageRegularizationStrength, beta };
  }
}
