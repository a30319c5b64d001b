import { ArgsSchedule, checkOption, nonNegative, positive } from './schedule.js';

/** The cosine schedules' floor, a fraction of the peak: in [0, 1], default 0. */
function alphaOf(schedule: string, alpha: number | undefined): number {
  return checkOption(schedule, 'alpha', alpha ?? 0, (v) => v >= 0 && v <= 1, 'in [0, 1]');
}

/** A decayed fraction of the peak, raised so that it ends at `alpha` rather than 0. */
function floored(decayed: number, alpha: number): number {
  return (1 - alpha) * decayed + alpha;
}

/** Options of {@link CosineDecay}; defaults are Keras'. */
export interface CosineDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  /** Floor of the decay as a fraction of the peak (default 0). */
  alpha?: number;
  /** Peak reached by a linear warmup from `initialLearningRate` (default: no warmup). */
  warmupTarget?: number | null;
  /** Steps of linear warmup before the decay (default 0). */
  warmupSteps?: number;
}

/** Keras' CosineDecay with optional linear warmup (SGDR without restarts). */
export class CosineDecay extends ArgsSchedule<CosineDecayArgs> {
  readonly className = 'CosineDecay';

  constructor(args: CosineDecayArgs) {
    const name = 'CosineDecay';
    super({
      initialLearningRate: checkOption(name, 'initialLearningRate', args.initialLearningRate, nonNegative, 'a non-negative number'),
      decaySteps: checkOption(name, 'decaySteps', args.decaySteps, positive, 'a positive number of steps'),
      alpha: alphaOf(name, args.alpha),
      warmupTarget: args.warmupTarget == null ? null : checkOption(name, 'warmupTarget', args.warmupTarget, positive, 'a positive number'),
      warmupSteps: checkOption(name, 'warmupSteps', args.warmupSteps ?? 0, nonNegative, 'a non-negative number of steps'),
    } as Required<CosineDecayArgs>);
  }

  at(step: number): number {
    const { initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps } = this.args;
    if (warmupTarget != null && step < warmupSteps) {
      return initialLearningRate + ((warmupTarget - initialLearningRate) * step) / warmupSteps;
    }
    const peak = warmupTarget ?? initialLearningRate;
    const t = Math.min(step - (warmupTarget != null ? warmupSteps : 0), decaySteps);
    const cosine = 0.5 * (1 + Math.cos((Math.PI * t) / decaySteps));
    return peak * floored(cosine, alpha);
  }
}

/** Options of {@link CosineDecayRestarts}; defaults are Keras'. */
export interface CosineDecayRestartsArgs {
  initialLearningRate: number;
  /** Length of the first period. */
  firstDecaySteps: number;
  /** Each period is `tMul` times longer than the last (default 2). */
  tMul?: number;
  /** Each restart peaks at `mMul` times the last peak (default 1). */
  mMul?: number;
  /** Floor as a fraction of the peak (default 0). */
  alpha?: number;
}

/** Keras' CosineDecayRestarts (SGDR): cosine decay that restarts with longer periods. */
export class CosineDecayRestarts extends ArgsSchedule<CosineDecayRestartsArgs> {
  readonly className = 'CosineDecayRestarts';

  constructor(args: CosineDecayRestartsArgs) {
    const name = 'CosineDecayRestarts';
    super({
      initialLearningRate: checkOption(name, 'initialLearningRate', args.initialLearningRate, positive, 'a positive number'),
      firstDecaySteps: checkOption(name, 'firstDecaySteps', args.firstDecaySteps, positive, 'a positive number of steps'),
      tMul: checkOption(name, 'tMul', args.tMul ?? 2, positive, 'a positive number'),
      mMul: checkOption(name, 'mMul', args.mMul ?? 1, positive, 'a positive number'),
      alpha: alphaOf(name, args.alpha),
    });
  }

  at(step: number): number {
    const { initialLearningRate, firstDecaySteps, tMul, mMul, alpha } = this.args;
    let fraction = step / firstDecaySteps;
    let restart: number;
    if (tMul === 1) {
      restart = Math.floor(fraction);
      fraction -= restart;
    } else {
      // Periods grow geometrically: find which one `fraction` falls in, then the position inside it.
      restart = Math.floor(Math.log(1 - fraction * (1 - tMul)) / Math.log(tMul));
      const done = (1 - tMul ** restart) / (1 - tMul);
      fraction = (fraction - done) / tMul ** restart;
    }
    const cosine = 0.5 * mMul ** restart * (1 + Math.cos(Math.PI * fraction));
    return initialLearningRate * floored(cosine, alpha);
  }
}
