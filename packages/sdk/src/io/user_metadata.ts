import { isPlainObject } from '../utils/plain_object.js';

/** tfjs warns above this many bytes of user-defined metadata, which every load of model.json parses. */
const LARGE_METADATA_BYTES = 1024 * 1024;

/**
 * `setUserDefinedMetadata`'s argument, checked: a plain JSON object (or undefined to clear it),
 * with a warning when it is over 1 MB, as tfjs gives one.
 */
export function checkedUserMetadata(metadata: unknown, model: string): Record<string, unknown> | undefined {
  const where = `Model '${model}'.setUserDefinedMetadata`;
  if (metadata === undefined) return undefined;
  if (!isPlainObject(metadata)) {
    const received = metadata === null ? 'null' : Array.isArray(metadata) ? 'an array' : typeof metadata === 'object' ? (metadata.constructor?.name ?? 'object') : typeof metadata;
    throw new Error(`${where} expects a plain object of JSON values, e.g. { labels: ['cat', 'dog'] }. Received: ${received}.`);
  }
  let json: string;
  try {
    json = JSON.stringify(metadata);
  } catch (err) {
    throw new Error(`${where}: the metadata cannot be written as JSON (${(err as Error).message.split('\n')[0]}). Keep to objects, arrays, strings, numbers, booleans and null, without cycles.`);
  }
  const bytes = new TextEncoder().encode(json).length;
  if (bytes > LARGE_METADATA_BYTES) console.warn(`${where}: the metadata is ${bytes} bytes as JSON, over 1 MB; model.json grows by as much and every load parses it. Keep large data in a file of its own.`);
  // A copy, so later changes to the caller's object do not reach the model.
  return JSON.parse(json) as Record<string, unknown>;
}
