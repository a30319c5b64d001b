import { factoryName, tfjsObjectError } from '../engine/foreign_values.js';
import type { Backend, BufferId } from '../backend/backend.js';
import { toCamelCase } from '../io/keras_names.js';
import { allowedEntries, checkConfigKeys } from '../utils/config_keys.js';
import { checkOptions } from '../utils/options.js';

/** The axes a norm is taken over: one axis or several, negative counting from the end. */
export type Axis = number | readonly number[];

/**
 * A weight constraint, applied to the weight after every optimizer step (Keras semantics). Plain
 * data, so it serializes as `{ className, config }` in the LayersModel format.
 */
export type Constraint =
  | { readonly className: 'NonNeg'; readonly config: Record<string, never> }
  | { readonly className: 'MaxNorm'; readonly config: { readonly maxValue: number; readonly axis: Axis } }
  | { readonly className: 'UnitNorm'; readonly config: { readonly axis: Axis } }
  | { readonly className: 'MinMaxNorm'; readonly config: { readonly minValue: number; readonly maxValue: number; readonly rate: number; readonly axis: Axis } };

/** The constraints by name, with their defaults: tfjs' camelCase names, Keras' snake_case ones and the class names. */
export type ConstraintName = 'maxNorm' | 'nonNeg' | 'unitNorm' | 'minMaxNorm' | 'max_norm' | 'non_neg' | 'unit_norm' | 'min_max_norm' | Constraint['className'];

/** A constraint as layers take it: one from `km.constraints`, a name (`'nonNeg'`), or a saved `{ className, config }`. */
export type ConstraintSpec = Constraint | ConstraintName | { className: string; config?: Record<string, unknown> } | null | undefined;

function checkNonNegative(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${what} must be a finite, non-negative number. Received: ${what}=${String(value)}.`);
  }
  return value;
}

function checkAxis(axis: unknown): Axis {
  const axes = Array.isArray(axis) ? axis : [axis];
  if (axes.length === 0 || !axes.every((a) => Number.isInteger(a))) {
    throw new Error(`axis must be an integer or a non-empty array of integers. Received: axis=${JSON.stringify(axis)}.`);
  }
  return Array.isArray(axis) ? [...(axis as number[])] : (axis as number);
}

/**
 * Caps the L2 norm of the weights over `axis` (default 0: per output unit of a Dense kernel) at
 * `maxValue` (default 2).
 *
 * @example `km.layers.dense({ units: 64, kernelConstraint: km.constraints.maxNorm({ maxValue: 3 }) })`
 */
export function maxNorm(args: { maxValue?: number; axis?: Axis } = {}): Constraint {
  checkOptions(args, ['maxValue', 'axis'], 'km.constraints.maxNorm');
  return { className: 'MaxNorm', config: { maxValue: checkNonNegative(args.maxValue ?? 2, 'maxValue'), axis: checkAxis(args.axis ?? 0) } };
}

/** Keeps weights non-negative (negative ones become 0). @example `km.layers.dense({ units: 4, kernelConstraint: km.constraints.nonNeg() })` */
export function nonNeg(): Constraint {
  return { className: 'NonNeg', config: {} };
}

/** Rescales the weights to unit L2 norm over `axis` (default 0). @example `km.constraints.unitNorm({ axis: [0, 1, 2] })` for a Conv2D kernel */
export function unitNorm(args: { axis?: Axis } = {}): Constraint {
  checkOptions(args, ['axis'], 'km.constraints.unitNorm');
  return { className: 'UnitNorm', config: { axis: checkAxis(args.axis ?? 0) } };
}

/**
 * Moves the L2 norm over `axis` into [minValue, maxValue] (defaults 0 and 1) at `rate` (default 1:
 * all the way; 0 leaves the weights alone).
 *
 * @example `km.constraints.minMaxNorm({ minValue: 0.5, maxValue: 1, rate: 0.5 })`
 */
export function minMaxNorm(args: { minValue?: number; maxValue?: number; rate?: number; axis?: Axis } = {}): Constraint {
  checkOptions(args, ['minValue', 'maxValue', 'rate', 'axis'], 'km.constraints.minMaxNorm');
  const minValue = checkNonNegative(args.minValue ?? 0, 'minValue');
  const maxValue = checkNonNegative(args.maxValue ?? 1, 'maxValue');
  if (minValue > maxValue) throw new Error(`minValue must not exceed maxValue. Received: minValue=${minValue}, maxValue=${maxValue}.`);
  const rate = args.rate ?? 1;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new Error(`rate must be a number in [0, 1]. Received: rate=${String(rate)}.`);
  return { className: 'MinMaxNorm', config: { minValue, maxValue, rate, axis: checkAxis(args.axis ?? 0) } };
}

/** The config keys of each class, in tfjs' camelCase (Keras' snake_case `max_value` is read too). */
export const CONFIG_KEYS: Record<Constraint['className'], readonly string[]> = {
  MaxNorm: ['maxValue', 'axis'],
  NonNeg: [],
  UnitNorm: ['axis'],
  MinMaxNorm: ['minValue', 'maxValue', 'rate', 'axis'],
};

const FACTORIES: Record<Constraint['className'], (config: Record<string, unknown>) => Constraint> = {
  MaxNorm: (c) => maxNorm(c as { maxValue?: number; axis?: Axis }),
  NonNeg: () => nonNeg(),
  UnitNorm: (c) => unitNorm(c as { axis?: Axis }),
  MinMaxNorm: (c) => minMaxNorm(c as { minValue?: number; maxValue?: number; rate?: number; axis?: Axis }),
};

function classOfName(name: string, where: string): string {
  const camel = toCamelCase(name);
  const className = camel.charAt(0).toUpperCase() + camel.slice(1);
  if (Object.hasOwn(FACTORIES, className)) return className;
  throw new Error(`${where}: unknown constraint ${JSON.stringify(name)}. Known: 'maxNorm', 'nonNeg', 'unitNorm', 'minMaxNorm' (or Keras' 'max_norm', 'non_neg', 'unit_norm', 'min_max_norm'), or an object from km.constraints.`);
}

/** Resolves a layer's constraint option, from `km.constraints`, a name, or the saved `{ className, config }` form. */
export function getConstraint(spec: ConstraintSpec, where: string): Constraint | null {
  if (spec === null || spec === undefined) return null;
  const foreign = tfjsObjectError(where, spec, 'constraint', (className) => `km.constraints.${factoryName(className)}(${JSON.stringify((spec as unknown as { getConfig(): unknown }).getConfig())})`);
  if (foreign) throw foreign;
  // A name is its class with the defaults, which Keras and tfjs share: 'max_norm', 'maxNorm' and 'MaxNorm' are MaxNorm.
  if (typeof spec === 'string') return getConstraint({ className: classOfName(spec, where) }, where);
  if (typeof spec !== 'object' || typeof spec.className !== 'string') {
    throw new Error(`${where} must be a constraint from km.constraints (maxNorm, nonNeg, unitNorm, minMaxNorm) or one of their names; received ${JSON.stringify(spec)}.`);
  }
  const className = spec.className as Constraint['className'];
  if (!Object.hasOwn(FACTORIES, className)) {
    throw new Error(`${where}: unknown constraint '${spec.className}'. Known: ${Object.keys(FACTORIES).map((k) => `'${k}'`).join(', ')} (or use km.constraints).`);
  }
  const config = (spec.config ?? {}) as Record<string, unknown>;
  checkConfigKeys(config, CONFIG_KEYS[className], className, 'constraint', where);
  try {
    return FACTORIES[className](allowedEntries(config, CONFIG_KEYS[className]));
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`);
  }
}

/** The saved form, as TensorFlow.js writes it. */
export function constraintConfig(c: Constraint | null): Constraint | null {
  return c ? { className: c.className, config: { ...c.config } } as Constraint : null;
}

/** [outer, reduce, inner] of a weight for a norm over `axis`, which must be a contiguous run of axes. */
export function normGeometry(shape: readonly number[], axis: Axis, where: string): [number, number, number] {
  const rank = shape.length;
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a: number) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  const first = axes[0];
  const last = axes[axes.length - 1];
  if (first < 0 || last >= rank || last - first + 1 !== axes.length) {
    throw new Error(
      `${where}: axis=${JSON.stringify(axis)} must name contiguous axes of the weight, of shape [${shape.join(', ')}]. ` +
        `Use an axis in [${-rank}, ${rank - 1}] (e.g. axis 0 for a Dense kernel, [0, 1, 2] for a Conv2D kernel).`,
    );
  }
  const product = (from: number, to: number) => shape.slice(from, to).reduce((a, b) => a * b, 1);
  return [product(0, first), product(first, last + 1), product(last + 1, rank)];
}

/** Applies one constraint in place to a weight of the given shape, on the device. */
export function applyConstraint(backend: Backend, c: Constraint, weight: BufferId, shape: readonly number[], where: string): void {
  if (c.className === 'NonNeg') {
    // relu, as Keras and TensorFlow.js write NonNeg; a clamp to [0, Infinity] breaks tfjs' WebGPU shaders.
    backend.activation('relu', weight, weight, 1, shape.reduce((a, b) => a * b, 1));
    return;
  }
  const [outer, reduce, inner] = normGeometry(shape, c.config.axis, where);
  if (c.className === 'MaxNorm') backend.normConstraint(weight, outer, reduce, inner, 0, c.config.maxValue, 1);
  else if (c.className === 'UnitNorm') backend.normConstraint(weight, outer, reduce, inner, 1, 1, 1);
  else backend.normConstraint(weight, outer, reduce, inner, c.config.minValue, c.config.maxValue, c.config.rate);
}
