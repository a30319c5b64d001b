import type { Layer } from '../layers/layer.js';
import type { ParamStore } from './params.js';

/**
 * Says once each when a model trains other weights than code written for Keras 2 or tfjs expects.
 * kerasm reads `trainable` when a step runs, as Keras 3 does. Keras 2 fixes at compile which
 * weights a model trains; tfjs-layers 4.22 takes them at compile too, then drops those frozen
 * since, so a layer unfrozen after compile stays out of that model's training. GAN code relies on
 * both: the discriminator is frozen to compile the combined model.
 */
export class TrainableWarnings {
  #frozenAtCompile: readonly Layer[] = [];
  #warnedUnfrozen = false;
  #warnedAllFrozen = false;

  /** Notes which layers are frozen as the model is compiled; compiling again also re-arms the warning about them. */
  compiled(layers: readonly Layer[]): void {
    this.#frozenAtCompile = layers.filter((layer) => !layer.trainable);
    this.#warnedUnfrozen = false;
  }

  /** Before a training step of model `name`, whose weights `params` lays out. */
  check(name: string, params: ParamStore): void {
    this.#checkAllFrozen(name, params);
    this.#checkUnfrozen(name);
  }

  #checkAllFrozen(name: string, params: ParamStore): void {
    if (this.#warnedAllFrozen || params.trainableSize > 0 || params.size === 0) return;
    this.#warnedAllFrozen = true;
    console.warn(
      `kerasm: model '${name}' has no trainable weights (its layers have trainable = false), so training it changes none of them. ` +
        `kerasm reads trainable when a step runs, as Keras 3 does, where Keras 2 fixes at compile which weights a model trains: a model frozen after its compile (a GAN's discriminator, frozen for the combined model) is frozen for its own steps too (tfjs refuses to train it). ` +
        'Set trainable = true before its own steps and false again after them: each weight keeps its optimizer state through the changes.',
    );
  }

  #checkUnfrozen(name: string): void {
    if (this.#warnedUnfrozen) return;
    const unfrozen = this.#frozenAtCompile.filter((layer) => layer.trainable && layer.weightSpecs.some((spec) => spec.trainable));
    if (unfrozen.length === 0) return;
    this.#warnedUnfrozen = true;
    console.warn(
      `kerasm: model '${name}' trains layers that were frozen (trainable = false) when it was compiled: ${unfrozen.map((layer) => `'${layer.name}'`).join(', ')}. ` +
        'kerasm reads trainable when a step runs, as Keras 3 does, where tfjs and Keras 2 keep a layer frozen at compile out of that model\'s training after trainable = true, which GAN code relies on (the discriminator frozen only to compile the combined model). ' +
        "To keep them out, set trainable = false before this model's steps (each weight keeps its optimizer state through the changes); if training them is meant, compile again, which also silences this.",
    );
  }
}
