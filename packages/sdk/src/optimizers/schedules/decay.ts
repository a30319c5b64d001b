import { ArgsSchedule, checkOption, LearningRateSchedule, nonNegative, positive } from './schedule.js';

/** Options of {@link ExponentialDecay} and {@link InverseTimeDecay}. */
export interface DecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole intervals of `decaySteps` (default false). */
  staircase?: boolean;
}

function progress(step: number, decaySteps: number, staircase: boolean): number {
  const p = step / decaySteps;
  return staircase ? Math.floor(p) : p;
}

/** Keras' ExponentialDecay: `initial · rate^(step / decaySteps)`. */
export class ExponentialDecay extends ArgsSchedule<DecayArgs> {
  readonly className = 'ExponentialDecay';

  constructor(args: DecayArgs) {
    super(checkDecay('ExponentialDecay', args));
  }

  at(step: number): number {
    const { initialLearningRate, decaySteps, decayRate, staircase } = this.args;
    return initialLearningRate * decayRate ** progress(step, decaySteps, staircase);
  }
}

/** Keras' InverseTimeDecay: `initial / (1 + rate · step / decaySteps)`. */
export class InverseTimeDecay extends ArgsSchedule<DecayArgs> {
  readonly className = 'InverseTimeDecay';

  constructor(args: DecayArgs) {
    super(checkDecay('InverseTimeDecay', args));
  }

  at(step: number): number {
    const { initialLearningRate, decaySteps, decayRate, staircase } = this.args;
    return initialLearningRate / (1 + decayRate * progress(step, decaySteps, staircase));
  }
}

function checkDecay(name: string, args: DecayArgs): Required<DecayArgs> {
  return {
    initialLearningRate: checkOption(name, 'initialLearningRate', args.initialLearningRate, positive, 'a positive number'),
    decaySteps: checkOption(name, 'decaySteps', args.decaySteps, positive, 'a positive number of steps'),
    decayRate: checkOption(name, 'decayRate', args.decayRate, nonNegative, 'a non-negative number'),
    staircase: args.staircase ?? false,
  };
}

/** Options of {@link PolynomialDecay}; defaults are Keras'. */
export interface PolynomialDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  /** Default 0.0001. */
  endLearningRate?: number;
  /** Default 1 (linear). */
  power?: number;
  /** Restart the decay every `decaySteps`, with a longer period each time (default false). */
  cycle?: boolean;
}

/** Keras' PolynomialDecay: `(initial − end)·(1 − step/decaySteps)^power + end`. */
export class PolynomialDecay extends ArgsSchedule<PolynomialDecayArgs> {
  readonly className = 'PolynomialDecay';

  constructor(args: PolynomialDecayArgs) {
    const name = 'PolynomialDecay';
    super({
      initialLearningRate: checkOption(name, 'initialLearningRate', args.initialLearningRate, positive, 'a positive number'),
      decaySteps: checkOption(name, 'decaySteps', args.decaySteps, positive, 'a positive number of steps'),
      endLearningRate: checkOption(name, 'endLearningRate', args.endLearningRate ?? 0.0001, nonNegative, 'a non-negative number'),
      power: checkOption(name, 'power', args.power ?? 1, positive, 'a positive number'),
      cycle: args.cycle ?? false,
    });
  }

  at(step: number): number {
    const { initialLearningRate, endLearningRate, power, cycle } = this.args;
    let { decaySteps } = this.args;
    if (cycle) decaySteps *= step === 0 ? 1 : Math.ceil(step / decaySteps);
    else step = Math.min(step, decaySteps);
    return (initialLearningRate - endLearningRate) * (1 - step / decaySteps) ** power + endLearningRate;
  }
}

/** Options of {@link PiecewiseConstantDecay}. */
export interface PiecewiseConstantDecayArgs {
  /** Increasing step boundaries. */
  boundaries: number[];
  /** One more value than boundaries: `values[i]` applies up to and including `boundaries[i]`. */
  values: number[];
}

/** Keras' PiecewiseConstantDecay: a constant learning rate between step boundaries. */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: readonly number[];
  readonly values: readonly number[];

  constructor(args: PiecewiseConstantDecayArgs) {
    super();
    const { boundaries, values } = args;
    if (!Array.isArray(boundaries) || !Array.isArray(values) || values.length !== boundaries.length + 1) {
      throw new Error(
        `PiecewiseConstantDecay: values must have one more entry than boundaries. Received: boundaries=[${String(boundaries)}], values=[${String(values)}]. ` +
          'Give values[i] for steps up to boundaries[i], plus a last value for the steps after.',
      );
    }
    if (boundaries.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= boundaries[i - 1]))) {
      throw new Error(`PiecewiseConstantDecay: boundaries must be finite and strictly increasing. Received: boundaries=[${boundaries.join(', ')}].`);
    }
    values.forEach((v, i) => checkOption('PiecewiseConstantDecay', `values[${i}]`, v, positive, 'a positive number'));
    this.boundaries = [...boundaries];
    this.values = [...values];
  }

  at(step: number): number {
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.values.length - 1 : i];
  }

  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values] };
  }
}
