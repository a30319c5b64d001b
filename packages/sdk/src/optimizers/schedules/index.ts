import { LearningRateSchedule } from './schedule.js';
import { CosineDecay, CosineDecayRestarts, type CosineDecayArgs, type CosineDecayRestartsArgs } from './cosine.js';
import {
  ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay,
  type DecayArgs, type PiecewiseConstantDecayArgs, type PolynomialDecayArgs,
} from './decay.js';
import { checkOptions, optionNames } from '../../utils/options.js';

const DECAY_OPTIONS = optionNames<DecayArgs>({ initialLearningRate: true, decaySteps: true, decayRate: true, staircase: true });

/** `initial · rate^(step/decaySteps)`. @example `km.optimizers.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 })` */
export function exponentialDecay(args: DecayArgs): ExponentialDecay {
  checkOptions(args, DECAY_OPTIONS, 'km.optimizers.schedules.exponentialDecay');
  return new ExponentialDecay(args);
}

/** `initial / (1 + rate·step/decaySteps)`. @example `km.optimizers.schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 })` */
export function inverseTimeDecay(args: DecayArgs): InverseTimeDecay {
  checkOptions(args, DECAY_OPTIONS, 'km.optimizers.schedules.inverseTimeDecay');
  return new InverseTimeDecay(args);
}

/** Constant between step boundaries. @example `km.optimizers.schedules.piecewiseConstantDecay({ boundaries: [1000, 2000], values: [0.1, 0.01, 0.001] })` */
export function piecewiseConstantDecay(args: PiecewiseConstantDecayArgs): PiecewiseConstantDecay {
  checkOptions(args, optionNames<PiecewiseConstantDecayArgs>({ boundaries: true, values: true }), 'km.optimizers.schedules.piecewiseConstantDecay');
  return new PiecewiseConstantDecay(args);
}

/** Polynomial decay to `endLearningRate`. @example `km.optimizers.schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 10000, power: 0.5 })` */
export function polynomialDecay(args: PolynomialDecayArgs): PolynomialDecay {
  checkOptions(args, optionNames<PolynomialDecayArgs>({ initialLearningRate: true, decaySteps: true, endLearningRate: true, power: true, cycle: true }), 'km.optimizers.schedules.polynomialDecay');
  return new PolynomialDecay(args);
}

/** Cosine decay with optional warmup. @example `km.optimizers.schedules.cosineDecay({ initialLearningRate: 0, warmupTarget: 1e-3, warmupSteps: 500, decaySteps: 10000 })` */
export function cosineDecay(args: CosineDecayArgs): CosineDecay {
  checkOptions(args, optionNames<CosineDecayArgs>({ initialLearningRate: true, decaySteps: true, alpha: true, warmupTarget: true, warmupSteps: true }), 'km.optimizers.schedules.cosineDecay');
  return new CosineDecay(args);
}

/** Cosine decay with warm restarts. @example `km.optimizers.schedules.cosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 1000 })` */
export function cosineDecayRestarts(args: CosineDecayRestartsArgs): CosineDecayRestarts {
  checkOptions(args, optionNames<CosineDecayRestartsArgs>({ initialLearningRate: true, firstDecaySteps: true, tMul: true, mMul: true, alpha: true }), 'km.optimizers.schedules.cosineDecayRestarts');
  return new CosineDecayRestarts(args);
}

const SCHEDULES: Record<string, (args: never) => LearningRateSchedule> = {
  ExponentialDecay: exponentialDecay, InverseTimeDecay: inverseTimeDecay, PiecewiseConstantDecay: piecewiseConstantDecay,
  PolynomialDecay: polynomialDecay, CosineDecay: cosineDecay, CosineDecayRestarts: cosineDecayRestarts,
};

/**
 * A schedule from its saved form, `{ class_name, config }` with the config in camelCase (as
 * `getConfig` writes it); throws naming the class when it is not one kerasm has.
 */
export function scheduleFromConfig(className: string, config: Record<string, unknown>): LearningRateSchedule {
  const make = SCHEDULES[className];
  if (!make) throw new Error(`Unknown learning-rate schedule '${className}'. Known: ${Object.keys(SCHEDULES).join(', ')}.`);
  return make(config as never);
}

export { LearningRateSchedule } from './schedule.js';
export {
  CosineDecay, CosineDecayRestarts, ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay,
  type CosineDecayArgs, type CosineDecayRestartsArgs, type DecayArgs, type PiecewiseConstantDecayArgs, type PolynomialDecayArgs,
};
