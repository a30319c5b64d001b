import { Adadelta } from '../optimizers/adadelta.js';
import { Adafactor } from '../optimizers/adafactor.js';
import { Adagrad } from '../optimizers/adagrad.js';
import { Adam, AdamW } from '../optimizers/adam.js';
import { Adamax } from '../optimizers/adamax.js';
import { Ftrl } from '../optimizers/ftrl.js';
import { Lamb } from '../optimizers/lamb.js';
import { Lion } from '../optimizers/lion.js';
import { Nadam } from '../optimizers/nadam.js';
import type { Optimizer, OptimizerArgs } from '../optimizers/optimizer.js';
import { RMSprop } from '../optimizers/rmsprop.js';
import { SGD } from '../optimizers/sgd.js';
import { inverseTimeDecay, scheduleFromConfig, type LearningRateSchedule } from '../optimizers/schedules/index.js';
import { renameKeys, toCamelCase } from './keras_names.js';
import type { TrainingConfig } from './types.js';

/*
 * Optimizers as tfjs-layers 4.22 names and configures them, so either library compiles the other's
 * model. tfjs ignores config keys it does not know, so kerasm writes its extra options beside them
 * (clipping, weight decay, amsgrad, the schedule). Class by class:
 *   Adam      tfjs Adam {learningRate, beta1, beta2, epsilon}
 *   SGD       tfjs SGD {learningRate}; with momentum tfjs Momentum {learningRate, momentum, useNesterov}
 *   RMSprop   tfjs RMSProp {learningRate, decay, momentum, epsilon, centered}: tfjs' `decay` is
 *             Keras' `rho` (the discount of the squared-gradient average), not a rate decay
 *   Adagrad   tfjs Adagrad {learningRate, initialAccumulatorValue} (+ kerasm's epsilon; tfjs uses
 *             its backend's epsilon, 1e-7 on CPU, which is kerasm's default)
 *   Adamax    tfjs Adamax {learningRate, beta1, beta2, epsilon, decay}: tfjs' `decay` divides the
 *             rate by (1 + decay·step), which loads as an inverseTimeDecay schedule
 *   Adadelta  tfjs Adadelta {learningRate, rho, epsilon} (tfjs steps with the previous gradient
 *             mean where Keras and kerasm use the updated one; the state means the same)
 *   Nadam, AdamW, Lion, Ftrl, Lamb, Adafactor   no tfjs class: kerasm-only ('Nadam', 'AdamW',
 *             'Lion' {beta1, beta2}, 'Ftrl', 'Lamb' and 'Adafactor' with Keras' options in camelCase);
 *             tfjs-layers 4.22 refuses to load such a model ("Unknown layer: Nadam")
 */

type OptimizerConfig = TrainingConfig['optimizer_config'];

/** `optimizer_config` for a compiled model's optimizer. */
export function optimizerConfig(optimizer: Optimizer): OptimizerConfig {
  const { class_name, config } = tfjsConfig(optimizer);
  return { class_name, config: { learningRate: optimizer.learningRate, ...config, ...kerasmOptions(optimizer) } };
}

function tfjsConfig(optimizer: Optimizer): { class_name: string; config: Record<string, unknown> } {
  if (optimizer instanceof Adam) {
    const { beta1, beta2, epsilon, amsgrad } = optimizer;
    return { class_name: optimizer.className, config: { beta1, beta2, epsilon, ...(amsgrad ? { amsgrad } : {}) } };
  }
  if (optimizer instanceof SGD) {
    const { momentum, nesterov } = optimizer;
    return momentum > 0 ? { class_name: 'Momentum', config: { momentum, useNesterov: nesterov } } : { class_name: 'SGD', config: {} };
  }
  if (optimizer instanceof RMSprop) {
    const { rho, momentum, epsilon, centered } = optimizer;
    return { class_name: 'RMSProp', config: { decay: rho, momentum, epsilon, centered } };
  }
  if (optimizer instanceof Adagrad) {
    const { initialAccumulatorValue, epsilon } = optimizer;
    return { class_name: 'Adagrad', config: { initialAccumulatorValue, epsilon } };
  }
  if (optimizer instanceof Adamax) {
    const { beta1, beta2, epsilon } = optimizer;
    return { class_name: 'Adamax', config: { beta1, beta2, epsilon, decay: 0 } };
  }
  if (optimizer instanceof Nadam) {
    const { beta1, beta2, epsilon } = optimizer;
    return { class_name: 'Nadam', config: { beta1, beta2, epsilon } };
  }
  if (optimizer instanceof Adadelta) {
    const { rho, epsilon } = optimizer;
    return { class_name: 'Adadelta', config: { rho, epsilon } };
  }
  if (optimizer instanceof Lion) {
    const { beta1, beta2 } = optimizer;
    return { class_name: 'Lion', config: { beta1, beta2 } };
  }
  if (optimizer instanceof Ftrl) {
    const { learningRatePower, initialAccumulatorValue, l1RegularizationStrength, l2RegularizationStrength, l2ShrinkageRegularizationStrength, beta } = optimizer;
    return { class_name: 'Ftrl', config: { learningRatePower, initialAccumulatorValue, l1RegularizationStrength, l2RegularizationStrength, l2ShrinkageRegularizationStrength, beta } };
  }
  if (optimizer instanceof Lamb) {
    const { beta1, beta2, epsilon } = optimizer;
    return { class_name: 'Lamb', config: { beta1, beta2, epsilon } };
  }
  if (optimizer instanceof Adafactor) {
    const { beta2Decay, epsilon1, epsilon2, clipThreshold, relativeStep } = optimizer;
    return { class_name: 'Adafactor', config: { beta2Decay, epsilon1, epsilon2, clipThreshold, relativeStep } };
  }
  throw new Error(`Optimizer ${optimizer.className} cannot be saved in the LayersModel format: kerasm knows no saved form for it. Compile with one of km.optimizers (adam, adamw, sgd, rmsprop, adagrad, adamax, nadam, adadelta, lion, ftrl, lamb, adafactor) before saving.`);
}

/**
 * Options tfjs has no key for. tfjs reads `learningRate` as a number: the rate of the next update.
 * A schedule is kept beside it under `learningRateSchedule`, so kerasm resumes along it.
 */
function kerasmOptions(optimizer: Optimizer): Record<string, unknown> {
  const { clipnorm, clipvalue, globalClipnorm, weightDecay, useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps } = optimizer.getConfig();
  const schedule = optimizer.schedule ? { learningRateSchedule: { class_name: optimizer.schedule.className, config: optimizer.schedule.getConfig() } } : {};
  const own = Object.entries({ clipnorm, clipvalue, globalClipnorm, weightDecay, useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps }).filter(([, v]) => v !== undefined);
  // AdamW's weightDecay is part of its class; written anyway, it reads back the same.
  return { ...Object.fromEntries(own), ...schedule };
}

/** Reads the first of `keys` that holds a number (tfjs camelCase or Keras snake_case names). */
function pick(config: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const key of keys) if (typeof config[key] === 'number') return config[key] as number;
  return undefined;
}

/**
 * The learning rate a saved optimizer config describes: kerasm's `learningRateSchedule`, a Keras
 * schedule object in `learning_rate` (snake_case config), or a number.
 */
function learningRateOf(config: Record<string, unknown>): number | LearningRateSchedule | undefined {
  const saved = (config.learningRateSchedule ?? config.learning_rate) as { class_name?: unknown; config?: unknown } | undefined;
  if (saved && typeof saved === 'object' && typeof saved.class_name === 'string') {
    const { name: _, ...args } = renameKeys(saved.config ?? {}, toCamelCase) as Record<string, unknown>;
    return scheduleFromConfig(saved.class_name, args);
  }
  return pick(config, 'learningRate', 'learning_rate', 'lr');
}

function commonArgs(c: Record<string, unknown>): OptimizerArgs {
  // Keras writes ema_momentum and ema_overwrite_frequency even with use_ema false; they matter only with it.
  const ema = flag(c, 'useEma', 'use_ema')
    ? { useEma: true, emaMomentum: pick(c, 'emaMomentum', 'ema_momentum'), emaOverwriteFrequency: pick(c, 'emaOverwriteFrequency', 'ema_overwrite_frequency') ?? null }
    : {};
  return {
    ...ema,
    learningRate: learningRateOf(c),
    clipnorm: pick(c, 'clipnorm'),
    clipvalue: pick(c, 'clipvalue'),
    globalClipnorm: pick(c, 'globalClipnorm', 'global_clipnorm'),
    weightDecay: pick(c, 'weightDecay', 'weight_decay'),
    gradientAccumulationSteps: pick(c, 'gradientAccumulationSteps', 'gradient_accumulation_steps'),
  };
}

const flag = (c: Record<string, unknown>, ...keys: string[]) => keys.some((k) => c[k] === true);
/** The first of `keys` that holds a boolean, or undefined (the optimizer's default). */
const boolean = (c: Record<string, unknown>, ...keys: string[]) => keys.map((k) => c[k]).find((v) => typeof v === 'boolean') as boolean | undefined;

const READERS: Record<string, (c: Record<string, unknown>) => Optimizer | string> = {
  Adam: (c) => new Adam({ ...commonArgs(c), beta1: pick(c, 'beta1', 'beta_1'), beta2: pick(c, 'beta2', 'beta_2'), epsilon: pick(c, 'epsilon'), amsgrad: flag(c, 'amsgrad') }),
  AdamW: (c) => new AdamW({ ...commonArgs(c), beta1: pick(c, 'beta1', 'beta_1'), beta2: pick(c, 'beta2', 'beta_2'), epsilon: pick(c, 'epsilon'), amsgrad: flag(c, 'amsgrad') }),
  SGD: (c) => new SGD({ ...commonArgs(c), momentum: pick(c, 'momentum'), nesterov: flag(c, 'useNesterov', 'nesterov') }),
  Momentum: (c) => new SGD({ ...commonArgs(c), momentum: pick(c, 'momentum'), nesterov: flag(c, 'useNesterov', 'nesterov') }),
  RMSProp: rmspropFrom,
  RMSprop: rmspropFrom,
  Adagrad: (c) => new Adagrad({ ...commonArgs(c), initialAccumulatorValue: pick(c, 'initialAccumulatorValue', 'initial_accumulator_value'), epsilon: pick(c, 'epsilon') }),
  Adamax: adamaxFrom,
  Adadelta: (c) => new Adadelta({ ...commonArgs(c), rho: pick(c, 'rho'), epsilon: pick(c, 'epsilon') }),
  Lion: (c) => new Lion({ ...commonArgs(c), beta1: pick(c, 'beta1', 'beta_1'), beta2: pick(c, 'beta2', 'beta_2') }),
  Ftrl: (c) => new Ftrl({
    ...commonArgs(c),
    learningRatePower: pick(c, 'learningRatePower', 'learning_rate_power'),
    initialAccumulatorValue: pick(c, 'initialAccumulatorValue', 'initial_accumulator_value'),
    l1RegularizationStrength: pick(c, 'l1RegularizationStrength', 'l1_regularization_strength'),
    l2RegularizationStrength: pick(c, 'l2RegularizationStrength', 'l2_regularization_strength'),
    l2ShrinkageRegularizationStrength: pick(c, 'l2ShrinkageRegularizationStrength', 'l2_shrinkage_regularization_strength'),
    beta: pick(c, 'beta'),
  }),
  Lamb: (c) => new Lamb({ ...commonArgs(c), beta1: pick(c, 'beta1', 'beta_1'), beta2: pick(c, 'beta2', 'beta_2'), epsilon: pick(c, 'epsilon') }),
  Adafactor: (c) => new Adafactor({
    ...commonArgs(c),
    beta2Decay: pick(c, 'beta2Decay', 'beta_2_decay'),
    epsilon1: pick(c, 'epsilon1', 'epsilon_1'),
    epsilon2: pick(c, 'epsilon2', 'epsilon_2'),
    clipThreshold: pick(c, 'clipThreshold', 'clip_threshold'),
    relativeStep: boolean(c, 'relativeStep', 'relative_step'),
  }),
  Nadam: (c) => new Nadam({ ...commonArgs(c), beta1: pick(c, 'beta1', 'beta_1'), beta2: pick(c, 'beta2', 'beta_2'), epsilon: pick(c, 'epsilon') }),
};

/** tfjs writes `decay` for the discount; Keras writes `rho` (and, in Keras 2, `decay` for a rate decay kerasm lacks). */
function rmspropFrom(c: Record<string, unknown>): Optimizer | string {
  const rateDecay = 'rho' in c ? pick(c, 'decay') ?? 0 : 0;
  if (rateDecay !== 0) return `its RMSprop has Keras 2's learning-rate decay=${rateDecay}, which kerasm has no equivalent for (use a schedule from km.optimizers.schedules)`;
  return new RMSprop({ ...commonArgs(c), rho: pick(c, 'rho', 'decay'), momentum: pick(c, 'momentum'), epsilon: pick(c, 'epsilon'), centered: flag(c, 'centered') });
}

/** tfjs Adamax's `decay` divides the rate by 1 + decay·step: an inverse-time schedule with one-step periods. */
function adamaxFrom(c: Record<string, unknown>): Optimizer | string {
  const args = commonArgs(c);
  const decay = pick(c, 'decay') ?? 0;
  if (decay > 0) {
    if (typeof args.learningRate !== 'number') return `its Adamax has both a learning-rate schedule and tfjs' decay=${decay}; kerasm applies one or the other`;
    args.learningRate = inverseTimeDecay({ initialLearningRate: args.learningRate, decaySteps: 1, decayRate: decay });
  }
  return new Adamax({ ...args, beta1: pick(c, 'beta1', 'beta_1'), beta2: pick(c, 'beta2', 'beta_2'), epsilon: pick(c, 'epsilon') });
}

/** The optimizer a saved `optimizer_config` describes, or why kerasm cannot build it. */
export function optimizerFromConfig(saved: Partial<OptimizerConfig> | undefined): Optimizer | string {
  const { class_name: className, config = {} } = saved ?? {};
  const read = READERS[String(className)];
  if (!read) return `its optimizer '${String(className)}' is not one kerasm has (${Object.keys(READERS).join(', ')})`;
  try {
    return read(config);
  } catch (err) {
    return `its ${String(className)} config is invalid: ${(err as Error).message}`;
  }
}
