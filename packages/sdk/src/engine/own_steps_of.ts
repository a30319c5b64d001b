// Which steps a model defines itself (Keras' train_step and test_step), what the model's methods
// ask before they load the loops that run them (own_steps.ts), which only such models need.
import type { Tensor } from '../tensor.js';
import type { LayersModel } from './model.js';
import type { StepData } from './step_data.js';

/** What a step returns: the values to log, by name, as numbers or one-value tensors. */
export type StepLogs = Readonly<Record<string, number | Tensor>>;

/** A step of a model's own: `trainStep` or `testStep`. */
export type Step = (data: StepData) => StepLogs;

/** The steps a model defines itself (a km.Model subclass' trainStep and testStep). */
export interface OwnSteps {
  readonly train: Step | null;
  readonly test: Step | null;
}

/**
 * The class whose steps run, as errors name it: the subclass' own name, also for a km.Functional
 * subclass (Keras' CustomModel(inputs, outputs)), whose className stays 'Functional' as it saves.
 */
export function stepsClassName(model: LayersModel): string {
  return model.constructor.name || model.className;
}

/** The steps of a model that defines trainStep. */
export type TrainingSteps = OwnSteps & { readonly train: Step };

/** The trainStep and testStep `model` defines, or null when it defines neither. */
export function ownStepsOf(model: LayersModel): OwnSteps | null {
  const { trainStep, testStep } = model as { trainStep?: unknown; testStep?: unknown };
  const train = typeof trainStep === 'function' ? (trainStep.bind(model) as Step) : null;
  const test = typeof testStep === 'function' ? (testStep.bind(model) as Step) : null;
  return train || test ? { train, test } : null;
}
