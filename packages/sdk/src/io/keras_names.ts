import { isPlainObject } from '../utils/plain_object.js';

/** camelCase → Keras snake_case (`batchInputShape` → `batch_input_shape`). */
export function toSnakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Keras snake_case → camelCase (`use_bias` → `useBias`). */
export function toCamelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Renames the keys of plain objects, recursively through objects and arrays; values (a tensor, a typed array) stay as they are. */
export function renameKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => renameKeys(v, rename));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), renameKeys(v, rename)]));
}
