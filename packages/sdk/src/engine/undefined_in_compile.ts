import * as losses from '../losses/index.js';
import * as metrics from '../metrics/index.js';
import * as optimizers from '../optimizers/index.js';
import { compileFactoryName } from '../utils/compile_factories.js';

const NAMESPACES = { loss: ['km.losses', losses], metric: ['km.metrics', metrics], optimizer: ['km.optimizers', optimizers] } as const;

/**
 * The error for compile's loss, a metric or the optimizer given explicitly as undefined: most often
 * a km.losses / km.metrics / km.optimizers member that does not exist, as when porting tfjs code
 * (`km.losses.meanPairwiseSquaredError`), so it lists the factories there are.
 */
export function undefinedInCompileError(what: keyof typeof NAMESPACES): Error {
  const [namespace, members] = NAMESPACES[what];
  // km.optimizers also holds getOptimizer and the classes; km.metrics, confusionMatrix.
  const isFactory = what === 'optimizer' ? (name: string, value: unknown) => typeof value === 'function' && /^[a-z]/.test(name) && name !== 'getOptimizer' : (_: string, value: unknown) => compileFactoryName(value) !== undefined;
  const factories = Object.entries(members).filter(([name, value]) => isFactory(name, value)).map(([name]) => name);
  return new Error(
    `compile's ${what} is undefined: probably a ${namespace} member that does not exist (kerasm has no such factory). ` +
      `${namespace} has: ${factories.join(', ')}. A name as a string works too (${what === 'optimizer' ? "'adam'" : what === 'loss' ? "'meanSquaredError'" : "'accuracy'"}).`,
  );
}
