import { Callback } from './callback.js';
import { checkBooleanOption } from '../utils/options.js';

/** Options of {@link SwapEMAWeights}. */
export interface SwapEMAWeightsArgs {
  /**
   * Also hold the averaged weights during `onEpochEnd`, so that callbacks after this one (a
   * checkpoint) see them (default false). Training itself always runs on the raw weights.
   */
  swapOnEpoch?: boolean;
}

/**
 * Keras 3's `SwapEMAWeights`: with an optimizer made with `useEma: true`, the validation pass at
 * the end of each epoch runs on the weights' moving average, and training on the raw weights,
 * swapped back before the next epoch. With `swapOnEpoch`, the average stays in the model through
 * `onEpochEnd`; list this callback before the checkpoint that should save it.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: km.optimizers.adam({ useEma: true }), loss: 'mse' });
 * await model.fit(x, y, { epochs: 10, validationSplit: 0.1, callbacks: [km.callbacks.swapEmaWeights()] });
 * ```
 */
export class SwapEMAWeights extends Callback {
  readonly swapOnEpoch: boolean;
  #averageInModel = false;

  constructor(args: SwapEMAWeightsArgs = {}) {
    super();
    this.swapOnEpoch = checkBooleanOption(args.swapOnEpoch ?? false, 'swapOnEpoch', 'km.callbacks.swapEmaWeights');
  }

  override onTrainBegin(): void {
    if (!this.optimizer.ema) {
      throw new Error(`swapEmaWeights needs an optimizer that keeps a moving average of the weights, but ${this.optimizer.className} was made without useEma. Compile with e.g. km.optimizers.adam({ useEma: true }), or drop the callback.`);
    }
    this.#averageInModel = false;
  }

  override onEpochBegin(): void {
    if (this.#averageInModel) this.#swap(false);
  }

  override onTestBegin(): void {
    if (!this.#averageInModel) this.#swap(true);
  }

  override onTestEnd(): void {
    if (this.#averageInModel) this.#swap(false);
  }

  override onEpochEnd(epoch: number): void {
    if (!this.swapOnEpoch || this.#averageInModel) return;
    if (epoch === this.params!.epochs - 1 || this.model.stopTraining) {
      // The last epoch: fit ends by writing the average into the weights, which must find the
      // average and not the raw weights a swap would leave in its place (Keras' _finalize_ema_values).
      this.optimizer.finalizeVariableValues();
      return;
    }
    this.#swap(true);
  }

  #swap(averageInModel: boolean): void {
    // Before the first update there is no average yet, and the model keeps its weights.
    if (this.optimizer.swapAverageWeights()) this.#averageInModel = averageInModel;
  }
}
