import { Callback } from './callback.js';
import { lambdaCallback, type LambdaCallbackArgs } from './lambda_callback.js';

/**
 * TensorFlow.js' `CustomCallback`: a {@link Callback} made of an object of hooks, which run with
 * `this` the callback, so they read `this.params` and `this.model`. `fit` takes the plain object
 * too (`callbacks: { onEpochEnd }`), where `this` is the object itself.
 *
 * @example
 * ```ts
 * const log = new km.CustomCallback({ onEpochEnd(epoch, logs) { console.log(epoch, this.params?.epochs, logs.loss); } });
 * await model.fit(x, y, { epochs: 5, callbacks: [log] });
 * ```
 */
export class CustomCallback extends Callback {
  constructor(hooks: LambdaCallbackArgs & ThisType<CustomCallback>) {
    super();
    Object.assign(this, lambdaCallback(hooks));
  }
}
