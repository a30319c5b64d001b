import type { LayersModel, ModelCompileArgs } from '../engine/model.js';
import { Adam } from '../optimizers/adam.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { SGD } from '../optimizers/sgd.js';
import { renameKeys, toCamelCase, toSnakeCase } from './keras_names.js';
import { scheduleFromConfig, type LearningRateSchedule } from '../optimizers/schedules/index.js';
import type { TrainingConfig } from './types.js';

/**
 * tfjs' `trainingConfig` for a compiled model. SGD with momentum is saved as tfjs' `Momentum`
 * optimizer, the only tfjs optimizer with that update.
 */
export function trainingConfigOf(model: LayersModel): TrainingConfig | undefined {
  const { optimizer, loss } = model;
  if (!optimizer || !loss) return undefined;
  return { loss: toSnakeCase(loss), metrics: [...model.metricsNames], optimizer_config: optimizerConfig(optimizer) };
}

/**
 * tfjs reads `learningRate` as a number: it gets the rate of the next update. A schedule is kept
 * beside it under `learningRateSchedule` (which tfjs ignores), so kerasm resumes along it.
 */
function optimizerConfig(optimizer: Optimizer): TrainingConfig['optimizer_config'] {
  const schedule = optimizer.schedule ? { learningRateSchedule: { class_name: optimizer.schedule.className, config: optimizer.schedule.getConfig() } } : {};
  if (optimizer instanceof Adam) {
    const { learningRate, beta1, beta2, epsilon } = optimizer;
    return { class_name: 'Adam', config: { learningRate, beta1, beta2, epsilon, ...schedule } };
  }
  if (optimizer instanceof SGD) {
    const { learningRate, momentum, nesterov } = optimizer;
    if (momentum > 0) return { class_name: 'Momentum', config: { learningRate, momentum, useNesterov: nesterov, ...schedule } };
    return { class_name: 'SGD', config: { learningRate, ...schedule } };
  }
  throw new Error(`Optimizer ${optimizer.className} cannot be saved in the LayersModel format yet. Save with { includeOptimizer: false }.`);
}

/** Reads the first of `keys` present (tfjs camelCase or Keras snake_case names). */
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

/**
 * The compile arguments a saved `trainingConfig` describes, or a reason it cannot be used
 * (an optimizer or loss kerasm does not have): the model then loads uncompiled.
 */
export function compileArgsOf(config: TrainingConfig): ModelCompileArgs | string {
  const { class_name: className, config: c = {} } = config.optimizer_config ?? {};
  let optimizer: Optimizer;
  if (className === 'Adam') {
    optimizer = new Adam({ learningRate: learningRateOf(c), beta1: pick(c, 'beta1', 'beta_1'), beta2: pick(c, 'beta2', 'beta_2'), epsilon: pick(c, 'epsilon') });
  } else if (className === 'SGD' || className === 'Momentum') {
    optimizer = new SGD({ learningRate: learningRateOf(c), momentum: pick(c, 'momentum'), nesterov: Boolean(c.useNesterov ?? c.nesterov ?? false) });
  } else {
    return `its optimizer '${String(className)}' is not one kerasm has (Adam, SGD, Momentum)`;
  }
  if (typeof config.loss !== 'string') return `its loss ${JSON.stringify(config.loss)} is not a single named loss`;
  const metrics = Array.isArray(config.metrics) ? config.metrics.map((m) => (m === 'acc' ? 'accuracy' : m)) : [];
  return { optimizer, loss: config.loss, metrics };
}
