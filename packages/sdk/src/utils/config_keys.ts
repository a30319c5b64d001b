import { toCamelCase } from '../io/keras_names.js';
import { likelyMeant } from './options.js';

/**
 * Throws when the config of a saved `{ className, config }` (an initializer, regularizer or
 * constraint) has a key its class does not take, as Keras raises on an unexpected keyword: read
 * silently, `{ className: 'RandomNormal', config: { stdev: 100 } }` would draw at the default
 * stddev. A key may be in camelCase or Keras' snake_case (`maxValue`, `max_value`); `tolerated` keys
 * are accepted without being listed (TF 1.x Keras saved a `dtype` in every initializer's config),
 * as is the `customObjects` tfjs 4.22 writes into a config object a tfjs layer was given.
 * `kind` is 'initializer', 'regularizer' or 'constraint'; `where` names the layer option, when known.
 */
export function checkConfigKeys(config: Record<string, unknown>, allowed: readonly string[], className: string, kind: string, where?: string, tolerated: readonly string[] = []): void {
  for (const key of Object.keys(config)) {
    if (allowed.includes(toCamelCase(key)) || tolerated.includes(key) || key === 'customObjects') continue;
    const meant = likelyMeant(key, allowed);
    const fixed = Object.fromEntries(Object.entries(config).flatMap(([k, v]) => (k !== key ? [[k, v]] : meant ? [[meant, v]] : [])));
    const takes = allowed.length === 0 ? `${className} takes no config keys` : `${className} takes: ${allowed.join(', ')}`;
    throw new Error(
      `${where ? `${where}: the` : 'The'} ${className} ${kind}'s config has no key '${key}'${meant ? `; did you mean '${meant}'?` : '.'} ${takes}. ` +
        `${meant ? `Rename '${key}' to '${meant}'` : `Remove '${key}'`}: { className: '${className}', config: ${JSON.stringify(fixed)} }.`,
    );
  }
}

/** The entries of `config` whose camelCase key is in `allowed`, under that key (Keras' `max_value` → `maxValue`). */
export function allowedEntries(config: Record<string, unknown>, allowed: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [toCamelCase(key), value]).filter(([key]) => allowed.includes(key as string)));
}
