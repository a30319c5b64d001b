import type { BufferId } from '../backend/backend.js';
import type { Constraint } from '../constraints/constraints.js';
import type { Regularizer } from '../regularizers/regularizers.js';
import { Layer } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { layerFromSavedConfig } from './registry.js';

/** Options every wrapper layer takes. */
export interface WrapperArgs extends LayerArgs {
  /** The layer the wrapper runs. */
  layer: Layer;
}

/**
 * The base of layers that run other layers (Keras' `Wrapper`): it owns its inner layers' weights
 * (declared with `addInnerWeights` in `build`, in inner-layer order) and hands each inner layer
 * its slice of the weight, gradient and regularizer lists. Its config nests the wrapped layer's as
 * `layer: { className, config }`, as TensorFlow.js writes it.
 */
export abstract class Wrapper extends Layer {
  /** The wrapped layer, as given. */
  readonly layer: Layer;
  protected readonly where: string;

  constructor(args: WrapperArgs, className: string) {
    super(args, className);
    this.where = `${className} layer '${this.name}'`;
    if (!(args.layer instanceof Layer)) {
      throw new Error(`${this.where}: layer must be a kerasm layer such as km.layers.lstm({ units: 32 }). Received: layer=${describeValue(args.layer)}.`);
    }
    this.layer = args.layer;
  }

  /** The layers whose weights this wrapper owns, in the order it declared them. */
  protected abstract get innerLayers(): readonly Layer[];

  /** Inner layer `k`'s part of a list ordered like `weightSpecs` (weights, their gradients). */
  protected slice<T>(list: readonly T[], k: number): readonly T[] {
    const counts = this.innerLayers.map((l) => l.weightSpecs.length);
    const start = counts.slice(0, k).reduce((a, b) => a + b, 0);
    return list.slice(start, start + counts[k]);
  }

  override get weightRegularizers(): readonly (Regularizer | null)[] {
    return this.innerLayers.flatMap((l) => l.weightSpecs.map((_, i) => l.weightRegularizers[i] ?? null));
  }

  override get weightConstraints(): readonly (Constraint | null)[] {
    return this.innerLayers.flatMap((l) => l.weightSpecs.map((_, i) => l.weightConstraints[i] ?? null));
  }

  /**
   * Whether this wrapper itself sets the key at `path` of an inner layer's saved config to `value`
   * (`path` runs from the wrapper's config, camelCase: `['layer', 'config', 'zeroOutputForMask']`), so
   * a config holding it asks for nothing kerasm lacks, though the inner layer alone has no use for it.
   * Keras 3's Bidirectional writes such a key; loading and `km.layers.layerFromConfig` ask here
   * (config_keys.ts) before refusing it. None by default.
   */
  setsInnerConfigKey(_path: readonly (string | number)[], _value: unknown): boolean {
    return false;
  }

  override getConfig(): Record<string, unknown> {
    return { layer: { className: this.layer.className, config: this.layer.getConfig() }, ...super.getConfig() };
  }
}

/**
 * A wrapper whose output is its one layer's (TimeDistributed, SpectralNormalization): it owns that
 * layer's weights alone, and has the layer's output activation, activity regularizer and added losses.
 */
export abstract class SingleLayerWrapper extends Wrapper {
  protected get innerLayers(): readonly Layer[] {
    return [this.layer];
  }

  override get outputActivation(): string {
    return this.layer.outputActivation;
  }

  override get activityRegularizer(): Regularizer | null {
    return this.layer.activityRegularizer;
  }

  override get addsLosses(): boolean {
    return this.layer.addsLosses;
  }
}

/** Rebuilds a wrapped layer from its saved `{ className, config }` (camelCase keys); `where` names the wrapper. */
export function innerLayerFromConfig(saved: unknown, where: string): Layer {
  const entry = saved as { className?: unknown; config?: unknown } | null;
  if (typeof entry !== 'object' || entry === null || typeof entry.className !== 'string' || typeof entry.config !== 'object' || entry.config === null) {
    throw new Error(`${where}: the config's layer must be { class_name, config } naming the wrapped layer. Received: layer=${describeValue(saved)}.`);
  }
  return layerFromSavedConfig(entry.className, entry.config as Record<string, unknown>);
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return (value as object).constructor?.name === 'Object' ? JSON.stringify(value).slice(0, 80) : String((value as object).constructor?.name);
  return JSON.stringify(value);
}
