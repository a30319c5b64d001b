import { tfjsObjectError } from '../engine/foreign_values.js';
import { checkConfigKeys } from '../utils/config_keys.js';
import { checkOptions } from '../utils/options.js';

/** A weight penalty l1·Σ|w| + l2·Σw², added to the loss training reports and to the gradient. */
export interface Regularizer {
  readonly l1: number;
  readonly l2: number;
}

/** Keras' regularizer names, each with its default factor of 0.01: `'l2'` is `km.regularizers.l2()`. */
export type RegularizerName = 'l1' | 'l2' | 'L1' | 'L2';

/**
 * A regularizer as layers take it: an object from `km.regularizers`, a saved config
 * (`{ className: 'L2', config: { l2: 0.01 } }`), or Keras' name `'l1'` or `'l2'`.
 */
export type RegularizerSpec = Regularizer | RegularizerName | { className: string; config: Record<string, unknown> } | null | undefined;

const NAMED: Record<RegularizerName, () => Regularizer> = { l1: () => l1(), L1: () => l1(), l2: () => l2(), L2: () => l2() };

function checkFactor(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${what} must be a finite, non-negative number. Received: ${what}=${String(value)}.`);
  }
  return value;
}

/**
 * l1·Σ|w| + l2·Σw² (each factor 0 unless given, as Keras' `L1L2`). The factors may be given in
 * order, as Keras' `L1L2(l1, l2)`: both, since Keras' `l1_l2` function defaults a missing one to
 * 0.01 and its `L1L2` class to 0.
 *
 * @example `km.layers.dense({ units: 8, kernelRegularizer: km.regularizers.l1l2({ l1: 1e-5, l2: 1e-4 }) })`, or `km.regularizers.l1l2(1e-5, 1e-4)`
 */
export function l1l2(args?: { l1?: number; l2?: number }): Regularizer;
export function l1l2(l1: number, l2: number): Regularizer;
export function l1l2(args: { l1?: number; l2?: number } | number = {}, l2?: number): Regularizer {
  if (typeof args === 'number') {
    if (l2 === undefined) {
      throw new Error(`km.regularizers.l1l2 takes both factors in order, l1l2(${args}, ${args}), or by name: l1l2({ l1: ${args} }) leaves l2 at 0 (Keras' l1_l2 would make it 0.01, its L1L2 class 0). Received: l1l2(${args}).`);
    }
    return l1l2({ l1: args, l2 });
  }
  checkOptions(args, ['l1', 'l2'], 'km.regularizers.l1l2');
  return { l1: checkFactor(args.l1 ?? 0, 'l1'), l2: checkFactor(args.l2 ?? 0, 'l2') };
}

/** l1·Σ|w| (Keras' default l1 = 0.01); a bare number is the factor, as in Keras' `l1(0.001)`. @example `km.regularizers.l1({ l1: 0.001 })`, or `km.regularizers.l1(0.001)` */
export function l1(args: { l1?: number } | number = {}): Regularizer {
  if (typeof args === 'number') return l1l2({ l1: args });
  checkOptions(args, ['l1'], 'km.regularizers.l1');
  return l1l2({ l1: args.l1 ?? 0.01 });
}

/** l2·Σw² (Keras' default l2 = 0.01); a bare number is the factor, as in Keras' `l2(0.001)`. @example `km.regularizers.l2({ l2: 0.001 })`, or `km.regularizers.l2(0.001)` */
export function l2(args: { l2?: number } | number = {}): Regularizer {
  if (typeof args === 'number') return l1l2({ l2: args });
  checkOptions(args, ['l2'], 'km.regularizers.l2');
  return l1l2({ l2: args.l2 ?? 0.01 });
}

/** The config keys of the saved classes, as Keras and tfjs write them. */
export const CONFIG_KEYS: Record<string, readonly string[]> = { L1L2: ['l1', 'l2'], L1: ['l1'], L2: ['l2'] };

/** Resolves a layer's regularizer option, reading Keras' and TensorFlow.js' saved forms (L1, L2, L1L2). */
export function getRegularizer(spec: RegularizerSpec, where: string): Regularizer | null {
  if (spec === null || spec === undefined) return null;
  const notARegularizer = () =>
    new Error(`${where} must be a regularizer from km.regularizers (l1, l2, l1l2), e.g. km.regularizers.l2({ l2: 0.01 }), or the name 'l1' or 'l2'; received ${JSON.stringify(spec)}.`);
  if (typeof spec === 'string' && Object.hasOwn(NAMED, spec)) return NAMED[spec as RegularizerName]();
  if (typeof spec === 'string' && /^l1_?l2$/i.test(spec)) {
    throw new Error(`${where}: ${JSON.stringify(spec)} means l1 = l2 = 0.01 in TensorFlow.js but no penalty at all (both 0) in Keras, so kerasm does not guess. Give the factors you mean: km.regularizers.l1l2({ l1: 0.01, l2: 0.01 }).`);
  }
  if (typeof spec !== 'object') throw notARegularizer();
  const { l1: tfjsL1, l2: tfjsL2 } = spec as { l1?: unknown; l2?: unknown };
  const foreign = tfjsObjectError(where, spec, 'regularizer', () => `km.regularizers.l1l2({ l1: ${tfjsL1}, l2: ${tfjsL2} })`);
  if (foreign) throw foreign;
  if ('className' in spec) {
    const config = spec.config ?? {};
    if (Object.hasOwn(CONFIG_KEYS, spec.className)) checkConfigKeys(config, CONFIG_KEYS[spec.className], spec.className, 'regularizer', where);
    switch (spec.className) {
      case 'L1L2':
        return l1l2({ l1: config.l1 as number, l2: config.l2 as number });
      case 'L1':
        return l1({ l1: config.l1 as number });
      case 'L2':
        return l2({ l2: config.l2 as number });
      default:
        throw new Error(`${where}: unknown regularizer '${spec.className}'. Known: 'L1', 'L2', 'L1L2' (or use km.regularizers.l1/l2/l1l2).`);
    }
  }
  if (typeof spec.l1 !== 'number' || typeof spec.l2 !== 'number') throw notARegularizer();
  return l1l2(spec);
}

/** The saved form, as TensorFlow.js writes it (its L1 and L2 are L1L2 instances). */
export function regularizerConfig(r: Regularizer | null): { className: string; config: { l1: number; l2: number } } | null {
  return r ? { className: 'L1L2', config: { l1: r.l1, l2: r.l2 } } : null;
}
