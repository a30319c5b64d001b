import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from './testing/round_trip.js';

beforeAll(() => km.ready());

/** The guide's weightless layer, y = factor·x, which takes its option apart before `super` and keeps the base getConfig. */
class Scale extends km.layers.Layer {
  readonly className: string = 'Scale';
  readonly factor: number;
  #size = 0;

  constructor(args: km.layers.LayerArgs & { factor?: number } = {}) {
    const { factor = 1, ...rest } = args;
    super(rest, 'Scale');
    this.factor = factor;
  }

  computeOutputShape(inputShapes: readonly km.layers.Shape[]): km.layers.Shape {
    return inputShapes[0];
  }

  protected override build(inputShapes: readonly km.layers.Shape[]): void {
    this.#size = inputShapes[0].reduce((a, b) => a * b, 1);
  }

  forward(ctx: km.layers.ForwardContext): void {
    const n = ctx.batch * this.#size;
    ctx.backend.fill(ctx.output, n, 0);
    for (let k = 0; k < this.factor; k++) ctx.backend.add(ctx.output, ctx.inputs[0], ctx.output, n);
  }

  backward(): void {}
}

/** The same layer, keeping its option in a private field from the args `super` receives. */
class PrivateScale extends Scale {
  override readonly className = 'PrivateScale';
  constructor(args: km.layers.LayerArgs & { times?: number } = {}) {
    super({ ...args, factor: args.times ?? 1 });
  }
}

/** A layer with state set in build (a public field) but no options of its own. */
class Counted extends Scale {
  override readonly className = 'Counted';
  size = 0;
  constructor(args: km.layers.LayerArgs = {}) {
    super(args);
  }
  protected override build(inputShapes: readonly km.layers.Shape[]): void {
    super.build(inputShapes);
    this.size = inputShapes[0][0];
  }
}

/** Scale with the getConfig override docs/CUSTOM_LAYERS.md shows. */
class ConfiguredScale extends Scale {
  override readonly className = 'ConfiguredScale';
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}

km.layers.registerLayer('Scale', (config) => new Scale(config));
km.layers.registerLayer('PrivateScale', (config) => new PrivateScale(config));
km.layers.registerLayer('Counted', (config) => new Counted(config));
km.layers.registerLayer('ConfiguredScale', (config) => new ConfiguredScale(config));

const ones = () => km.ones([1, 2]);

describe('saving a custom layer whose class keeps the base getConfig', () => {
  it('refuses, naming the layer, the options that would be lost and the getConfig override', async () => {
    const model = km.sequential([km.input({ shape: [2] }), new Scale({ factor: 3, name: 'scale' })]);
    expect(Array.from(model.predict(ones()).dataSync())).toEqual([3, 3]);
    const message = /Layer 'scale' \(Scale\).*factor=3.*Override getConfig in Scale.*return \{ \.\.\.super\.getConfig\(\), factor: this\.factor \}.*CUSTOM_LAYERS\.md/;
    await expect(kerasmArtifacts(model)).rejects.toThrow(message);
    expect(() => model.toJSON()).toThrow(message);
    expect(() => model.getConfig()).toThrow(message);
    const x = km.input({ shape: [2] });
    const functional = km.model({ inputs: x, outputs: new Scale({ factor: 2, name: 'scale_f' }).apply(x) as km.SymbolicTensor });
    expect(() => functional.toJSON()).toThrow(/Layer 'scale_f' \(Scale\).*factor=2/);
  });

  it('refuses cloneModel too, on new inputs as without (it rebuilds each layer from its config)', () => {
    const model = km.sequential([km.input({ shape: [2] }), new Scale({ factor: 3, name: 'scale_c' })]);
    const lost = /Layer 'scale_c' \(Scale\).*factor=3/;
    expect(() => km.models.cloneModel(model)).toThrow(lost);
    expect(() => km.models.cloneModel(model, { inputTensors: km.input({ shape: [2] }) })).toThrow(lost);
  });

  it('refuses an option the base constructor received and the class kept privately', () => {
    const model = km.sequential([km.input({ shape: [2] }), new PrivateScale({ times: 2, name: 'private' })]);
    expect(() => model.toJSON()).toThrow(/Layer 'private' \(PrivateScale\).*times=2.*times: \.\.\./);
  });

  it('saves a custom layer that overrides getConfig, one without options, and one left at its defaults', async () => {
    const configured = km.sequential([km.input({ shape: [2] }), new ConfiguredScale({ factor: 3 })]);
    const loaded = await km.loadLayersModel(km.io.fromMemory(await kerasmArtifacts(configured)));
    expect(Array.from(loaded.predict(ones()).dataSync())).toEqual([3, 3]);
    for (const layer of [new Counted(), new Scale(), new Scale({ factor: 1 })]) {
      const model = km.sequential([km.input({ shape: [2] }), layer]);
      model.predict(ones());
      expect(() => model.toJSON()).not.toThrow();
    }
  });

  it('never refuses the built-in layers that keep the base getConfig (merges, Identity)', () => {
    const [a, b] = [km.input({ shape: [3] }), km.input({ shape: [3] })];
    const L = km.layers;
    const merged = [L.add(), L.subtract(), L.multiply(), L.average(), L.maximum(), L.minimum()].map((m) => m.apply([a, b]) as km.SymbolicTensor);
    const out = L.identity({ name: 'same' }).apply(L.concatenate().apply(merged) as km.SymbolicTensor) as km.SymbolicTensor;
    const model = km.model({ inputs: [a, b], outputs: out });
    expect(() => model.toJSON()).not.toThrow();
  });

  it('names the missing getConfig when a file saved with lost options does not fit its weights', async () => {
    class NoConfig extends Scale {
      override readonly className = 'NoConfig';
      readonly units: number;
      constructor(args: km.layers.LayerArgs & { units?: number } = {}) {
        const { units = 32, ...rest } = args;
        super(rest);
        this.units = units;
      }
      override computeOutputShape(): km.layers.Shape {
        return [this.units];
      }
      protected override build(inputShapes: readonly km.layers.Shape[]): void {
        this.addWeight('w', [inputShapes[0][0], this.units], 'zeros');
      }
    }
    km.layers.registerLayer('NoConfig', (config) => new NoConfig(config));
    const source = km.sequential([km.input({ shape: [3] }), new ConfiguredScale({ name: 'no_config' })]);
    const artifacts = await kerasmArtifacts(km.sequential([km.input({ shape: [3] }), km.layers.dense({ units: 5, useBias: false, name: 'no_config' })]));
    // What a file saved before this check holds: the NoConfig entry without its units.
    const topology = JSON.parse(source.toJSON()) as { config: { layers: { class_name: string }[] } };
    topology.config.layers[topology.config.layers.length - 1].class_name = 'NoConfig';
    const spec = artifacts.weightSpecs![0];
    const file = { ...artifacts, modelTopology: topology, weightSpecs: [{ ...spec, name: 'no_config/w' }] };
    await expect(km.loadLayersModel(km.io.fromMemory(file))).rejects.toThrow(/expects \[3, 32\].*class NoConfig keeps the base getConfig\(\).*CUSTOM_LAYERS\.md/);
  });
});
