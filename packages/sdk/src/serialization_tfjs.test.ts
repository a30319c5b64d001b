import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from './index.js';
import { kerasmArtifacts } from './io/testing/round_trip.js';
import { savedArtifacts } from './testing/saved_artifacts.js';

let dir: string;
beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'kerasm-serialization-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

type ScaleConfig = km.layers.LayerArgs & { factor?: number };

/** y = factor · scale · x, with a trained per-feature `scale`: a tfjs-style layer with `static className`. */
class ScaleByFactor extends km.layers.CallLayer {
  static readonly className: string = 'ScaleByFactor';
  readonly className: string = ScaleByFactor.className;
  readonly factor: number;
  #scale!: km.layers.LayerWeight;

  constructor(config: ScaleConfig = {}) {
    const { factor = 1, ...rest } = config;
    super(rest, ScaleByFactor.className);
    this.factor = factor;
  }

  protected override build([shape]: readonly [km.layers.Shape]): void {
    this.#scale = this.addWeight('scale', [shape.at(-1)!], 'randomNormal');
  }

  call(x: km.Tensor): km.Tensor {
    return km.mul(km.mul(x, this.#scale.read()), this.factor);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}

/** The same math as a TensorFlow.js layer, registered with tf.serialization.registerClass. */
class TfjsScaleByFactor extends tfl.layers.Layer {
  static className = 'ScaleByFactor';
  readonly factor: number;
  scale!: tfl.LayerVariable;

  constructor(config: { factor: number; name?: string }) {
    super(config);
    this.factor = config.factor;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = inputShape as tfl.Shape;
    this.scale = this.addWeight('scale', [shape[shape.length - 1]!], 'float32', tfl.initializers.ones());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => tf.mul(tf.mul(x, this.scale.read()), this.factor));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), factor: this.factor };
  }
}
tf.serialization.registerClass(TfjsScaleByFactor);

const xValues = [0.5, -1, 2, 0.25, -0.75, 1.5, 3, -2];
const x = () => km.tensor(xValues, [2, 4]);

function scaleModel(): km.Sequential {
  km.utils.setRandomSeed(3);
  return km.sequential([km.layers.dense({ units: 3, inputShape: [4] }), new ScaleByFactor({ factor: 3 })]);
}

describe('km.serialization.registerClass', () => {
  it('returns the class and registers it under its static className, as tfjs', () => {
    expect(km.serialization.registerClass(ScaleByFactor)).toBe(ScaleByFactor);
    expect(km.serialization.getRegisteredName(ScaleByFactor)).toBe('Custom>ScaleByFactor');
    const layer = km.layers.layerFromConfig('ScaleByFactor', { factor: 5 });
    expect(layer).toBeInstanceOf(ScaleByFactor);
    expect((layer as ScaleByFactor).factor).toBe(5);
  });

  it('loads a model saved to disk with a registered class, predicting the same values', async () => {
    km.serialization.registerClass(ScaleByFactor);
    const model = scaleModel();
    const expected = await model.predict(x()).data();
    const path = join(dir, 'scale');
    await model.save(`file://${path}`);
    const loaded = await km.loadLayersModel(`file://${path}`);
    expect(loaded.layers[1]).toBeInstanceOf(ScaleByFactor);
    expect((loaded.layers[1] as ScaleByFactor).factor).toBe(3);
    expect(Array.from(await loaded.predict(x()).data())).toEqual(Array.from(expected));
  });

  it("saves a file tfjs-layers loads with the same class registered by tf.serialization.registerClass", async () => {
    km.serialization.registerClass(ScaleByFactor);
    const model = scaleModel();
    const expected = Array.from(await model.predict(x()).data());
    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory((await kerasmArtifacts(model)) as tf.io.ModelArtifacts));
    expect(inTfjs.layers[1]).toBeInstanceOf(TfjsScaleByFactor);
    const predicted = Array.from((inTfjs.predict(tf.tensor(xValues, [2, 4])) as tf.Tensor).dataSync());
    predicted.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    // The weight read is kerasm's, not tfjs' ones initializer.
    expect(Array.from(await model.layers[1].getWeights()[0].data())).toEqual(Array.from((inTfjs.layers[1] as TfjsScaleByFactor).scale.read().dataSync()));
  });

  it('uses a static fromConfig(cls, config) when the class defines one', () => {
    const calls: { cls: unknown; config: Record<string, unknown> }[] = [];
    class LegacyScale extends ScaleByFactor {
      static override readonly className = 'LegacyScale';
      override readonly className = LegacyScale.className;
      constructor(config: ScaleConfig = {}) {
        super(config);
      }
      // Files from an older version saved the factor as `times`.
      static fromConfig(cls: typeof LegacyScale, config: Record<string, unknown>): LegacyScale {
        calls.push({ cls, config });
        const { times, ...rest } = config;
        return new cls({ ...rest, factor: times as number });
      }
    }
    km.serialization.registerClass(LegacyScale);
    const layer = km.layers.layerFromConfig('LegacyScale', { times: 4 }) as LegacyScale;
    expect(calls).toEqual([{ cls: LegacyScale, config: { times: 4 } }]);
    expect(layer).toBeInstanceOf(LegacyScale);
    expect(layer.factor).toBe(4);
  });

  it("leaves a one-argument static fromConfig(config), kerasm's own form (StringLookup's), to the constructor", () => {
    class OwnForm extends ScaleByFactor {
      static override readonly className = 'OwnForm';
      override readonly className = OwnForm.className;
      static fromConfig(config: Record<string, unknown>): OwnForm {
        throw new Error(`not tfjs' form: ${JSON.stringify(config)}`);
      }
    }
    km.serialization.registerClass(OwnForm);
    const layer = km.layers.layerFromConfig('OwnForm', { factor: 5 }) as OwnForm;
    expect(layer).toBeInstanceOf(OwnForm);
    expect(layer.factor).toBe(5);
  });

  it("registers under name, and keeps pkg for getRegisteredName only, as tfjs 4.x", () => {
    class Renamed extends ScaleByFactor {
      override readonly className = 'MyLib.Scale';
      constructor(config: ScaleConfig = {}) {
        super(config);
      }
    }
    expect(km.serialization.registerClass(Renamed, 'MyLib', 'MyLib.Scale')).toBe(Renamed);
    expect(km.serialization.getRegisteredName(Renamed)).toBe('MyLib>MyLib.Scale');
    expect(km.layers.layerFromConfig('MyLib.Scale', {})).toBeInstanceOf(Renamed);
    expect(() => km.layers.layerFromConfig('MyLib>MyLib.Scale', {})).toThrow(/Unknown layer class 'MyLib>MyLib.Scale'/);
  });

  it('refuses a class without a static className, naming the fix', () => {
    class NoName extends km.layers.CallLayer {
      readonly className = 'NoName';
      constructor(config: km.layers.LayerArgs = {}) {
        super(config, 'NoName');
      }
      call(x: km.Tensor): km.Tensor {
        return x;
      }
    }
    expect(() => km.serialization.registerClass(NoName)).toThrow(
      "registerClass(NoName): the class being registered must have a static className, a non-empty string (the name its saved layers record). Add `static readonly className = 'NoName';` to the class, or pass the name: registerClass(NoName, undefined, 'NoName'). Received: NoName.className=undefined.",
    );
    expect(() => km.serialization.registerClass(NoName, undefined, '')).toThrow(/Received: name=""/);
  });

  it("refuses at load a class whose layers' className is not the registered name", () => {
    class Mismatched extends ScaleByFactor {
      static override readonly className = 'Mismatched';
    }
    km.serialization.registerClass(Mismatched);
    expect(() => km.layers.layerFromConfig('Mismatched', {})).toThrow(
      "Mismatched is registered as 'Mismatched', but new Mismatched(config) made a layer whose className is \"ScaleByFactor\". Saved files record a layer's className, so it must be the registered name: set `readonly className = 'Mismatched'` on the class and pass it as super(args, 'Mismatched').",
    );
  });

  it('refuses to save a subclass that sets only a new static className, which would load as its parent class', async () => {
    km.serialization.registerClass(ScaleByFactor);
    class Shifted extends ScaleByFactor {
      static override readonly className: string = 'Shifted';
      override call(x: km.Tensor): km.Tensor {
        return km.add(super.call(x), 1);
      }
    }
    km.serialization.registerClass(Shifted);
    const model = km.sequential([new Shifted({ factor: 2, inputShape: [4], name: 'shifted' })]);
    await expect(savedArtifacts(model, false)).rejects.toThrow(
      "Layer 'shifted' cannot be saved: its class Shifted is registered as 'Shifted', but the layer's className is \"ScaleByFactor\", the name the file would record, so loading would make a layer of class ScaleByFactor instead. Add `override readonly className = 'Shifted';` to Shifted (a subclass inherits its parent's className; tfjs' static className alone does not set it).",
    );

    // Inside a wrapper, whose config holds the layer's, and in cloneModel, which makes the class anew.
    const wrapped = km.sequential([km.layers.timeDistributed({ layer: new Shifted({ factor: 2, name: 'inner_shifted' }), inputShape: [3, 4] })]);
    await expect(savedArtifacts(wrapped, false)).rejects.toThrow(/^Layer 'inner_shifted' cannot be saved: its class Shifted is registered as 'Shifted', but the layer's className is "ScaleByFactor"/);
    expect(() => km.models.cloneModel(model)).toThrow(
      "Layer 'shifted' cannot be cloned: its class Shifted is registered as 'Shifted', but the layer's className is \"ScaleByFactor\", the class cloneModel makes anew, so the clone would be a layer of class ScaleByFactor instead. Add `override readonly className = 'Shifted';` to Shifted (a subclass inherits its parent's className; tfjs' static className alone does not set it).",
    );

    // With the instance className added, as the error says, it saves and loads as itself.
    class FixedShifted extends Shifted {
      static override readonly className = 'FixedShifted';
      override readonly className = FixedShifted.className;
    }
    km.serialization.registerClass(FixedShifted);
    const fixed = km.sequential([new FixedShifted({ factor: 2, inputShape: [4] })]);
    const loaded = await km.loadLayersModel(km.io.fromMemory(await savedArtifacts(fixed, false)));
    expect(loaded.layers[0]).toBeInstanceOf(FixedShifted);
    expect(Array.from(await loaded.predict(x()).data())).toEqual(Array.from(await fixed.predict(x()).data()));
  });

  it('refuses a TensorFlow.js layer class, a model class and a built-in name', () => {
    expect(() => km.serialization.registerClass(TfjsScaleByFactor as never)).toThrow(
      /registerClass takes a kerasm layer class: .* Received: TfjsScaleByFactor, a TensorFlow.js class \(tf\.layers\.Layer or another tf\.serialization\.Serializable\)\. Register the TensorFlow\.js class with tf\.serialization\.registerClass; for kerasm, write it as a km\.layers\.CallLayer/,
    );
    class MyModel extends km.Sequential {
      static readonly className = 'MyModel';
    }
    expect(() => km.serialization.registerClass(MyModel as never)).toThrow(/registerClass\(MyModel\): MyModel is a model class, .*Register the custom layers the model holds/);
    expect(() => km.serialization.registerClass((() => 1) as never)).toThrow(/Received: the class .*, which does not extend km\.layers\.Layer/);
    expect(() => km.serialization.registerClass({} as never)).toThrow(/Received: Object\./);
    class MyDense extends ScaleByFactor {
      static override readonly className = 'Dense';
    }
    expect(() => km.serialization.registerClass(MyDense)).toThrow(
      "registerClass(MyDense): 'Dense' is a kerasm built-in layer class, and every saved model's Dense layers load through it. Give MyDense a name of its own, e.g. 'MyDense': `static readonly className = 'MyDense';`, the same readonly className on its layers, passed as super(args, 'MyDense'). Received: MyDense.className='Dense'.",
    );
    expect(() => km.serialization.registerClass(ScaleByFactor, undefined, 'Dense')).toThrow(/Received: name='Dense'\.$/);
  });
});
