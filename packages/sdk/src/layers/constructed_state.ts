// What a layer was made with, kept for the check that its saved config keeps it (io/custom_layer_config).
import type { Layer } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { LAYER } from './layer_options.js';

/** What each layer's constructor received beyond every layer's options, and its fields before build. */
const constructedWith = new WeakMap<Layer, { options: Record<string, unknown>; fields?: Record<string, unknown> }>();

/** Records the options the layer's constructor received that are not every layer's ({@link LAYER}). */
export function recordConstruction(layer: Layer, args: LayerArgs): void {
  const own = Object.entries(args).filter(([key, value]) => !Object.hasOwn(LAYER, key) && value !== undefined);
  constructedWith.set(layer, { options: Object.fromEntries(own) });
}

/** Records the fields the constructor set, before `build` adds its own; only the first call counts. */
export function recordFieldsBeforeBuild(layer: Layer): void {
  const record = constructedWith.get(layer);
  if (record && !record.fields) record.fields = Object.fromEntries(Object.entries(layer));
}

/**
 * The options the layer's constructor received that are not every layer's ({@link LAYER}), and its
 * own enumerable fields as the constructor left them (before `build`; now, for a layer not built),
 * for the check that a saved config keeps what the layer was made with.
 */
export function constructedState(layer: Layer): { options: Record<string, unknown>; fields: Record<string, unknown> } {
  const record = constructedWith.get(layer);
  return { options: record?.options ?? {}, fields: record?.fields ?? Object.fromEntries(Object.entries(layer)) };
}
