import * as km from '../index.js';

/** Keras' RNN guide's MinimalRNNCell as a km.layers.CallCell: h = x·W + h·U, the output h. */
export class MinimalRNNCell extends km.layers.CallCell {
  readonly className: string = 'MinimalRNNCell';
  readonly stateSize: number;
  #kernel!: km.layers.LayerWeight;
  #recurrentKernel!: km.layers.LayerWeight;

  constructor(units: number) {
    super();
    this.stateSize = units;
  }

  override build(inputShape: km.layers.Shape): void {
    this.#kernel = this.addWeight('kernel', [inputShape.at(-1)!, this.stateSize], 'glorotUniform');
    this.#recurrentKernel = this.addWeight('recurrent_kernel', [this.stateSize, this.stateSize], 'glorotUniform');
  }

  call([input, state]: km.Tensor[]): km.Tensor[] {
    const h = km.add(km.matMul(input, this.#kernel.read()), km.matMul(state, this.#recurrentKernel.read()));
    return [h, h];
  }
}

/**
 * A cell with two states and nonlinearities: a = x·W + h·U + b, c' = c/2 + tanh(a),
 * h' = tanh(c')·sigmoid(a); the output h', the states [h', c'].
 */
export class TwoStateCell extends km.layers.CallCell {
  readonly className: string = 'TwoStateCell';
  readonly stateSize: [number, number];
  #kernel!: km.layers.LayerWeight;
  #recurrentKernel!: km.layers.LayerWeight;
  #bias!: km.layers.LayerWeight;

  constructor(readonly units: number, name?: string) {
    super({ name });
    this.stateSize = [units, units];
  }

  override build(inputShape: km.layers.Shape): void {
    this.#kernel = this.addWeight('kernel', [inputShape.at(-1)!, this.units], 'glorotUniform');
    this.#recurrentKernel = this.addWeight('recurrent_kernel', [this.units, this.units], 'glorotUniform');
    this.#bias = this.addWeight('bias', [this.units], 'glorotUniform');
  }

  call([input, h, c]: km.Tensor[]): km.Tensor[] {
    const a = km.add(km.add(km.matMul(input, this.#kernel.read()), km.matMul(h, this.#recurrentKernel.read())), this.#bias.read());
    const next = km.add(km.mul(c, 0.5), km.tanh(a));
    const out = km.mul(km.tanh(next), km.sigmoid(a));
    return [out, out, next];
  }
}
