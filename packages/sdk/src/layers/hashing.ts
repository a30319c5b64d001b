import type { Backend, BufferId } from '../backend/backend.js';
import { fingerprint64, sipHash24 } from '../utils/string_hash.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { BIN_OUTPUT_MODES, IndexOutput, type IndexOutputMode, type IndexSpace } from './index_output.js';
import { isExactId, readOnHost } from './host_ids.js';
import { HASHING_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link Hashing}, with Keras 3's defaults. */
export interface HashingArgs extends LayerArgs {
  /** How many bins, counting the mask's bin 0 when maskValue is given. */
  numBins: number;
  /** A value that hashes to bin 0 (the others then spread over bins 1 to numBins − 1); default null. */
  maskValue?: number | null;
  /** A key for SipHash-2-4 instead of FarmHash (one unsigned integer, used twice, or two); default null. */
  salt?: number | readonly [number, number] | null;
  /** 'int' (default): each value becomes its bin. Or Keras' encodings of the bins: 'one_hot', 'multi_hot' or 'count'. */
  outputMode?: Exclude<IndexOutputMode, 'tf_idf'>;
  /** Keras' sparse outputs; only false. */
  sparse?: boolean;
}


/**
 * Keras' Hashing over integers: each value v becomes hash(String(v)) mod numBins, with the hash
 * Keras uses (tf.strings.to_hash_bucket_fast: FarmHash Fingerprint64 of the decimal string; with
 * `salt`, to_hash_bucket_strong: SipHash-2-4 keyed by the salt), so the bins equal Keras' for the
 * same int inputs. Inputs are whole numbers from -2^24 to 2^24, which float32 batches hold exactly
 * (an int32 model input, or whole float32 values). The bins are whole float32 numbers an Embedding reads. No gradient passes through.
 *
 * The hashing runs on the host over each batch (read from the backend, hashed, written back), as
 * Keras runs it as a CPU string op; on a GPU backend that is one read back per batch, and on
 * tfjs-webgpu, which cannot read back synchronously, the layer refuses to run (hash ids with `bin`).
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.hashing({ numBins: 64, inputShape: [5] }),
 *   km.layers.embedding({ inputDim: 64, outputDim: 8 }),
 * ]);
 * ```
 */
export class Hashing extends Layer {
  readonly className = 'Hashing';
  readonly numBins: number;
  readonly maskValue: number | null;
  readonly salt: number | readonly [number, number] | null;
  readonly outputMode: IndexOutputMode;
  readonly #output: IndexOutput;
  readonly #where: string;
  readonly #key: [bigint, bigint] | null;
  readonly #encoder = new TextEncoder();
  #perSample = 0;

  constructor(args: HashingArgs) {
    super(args, 'Hashing');
    const where = (this.#where = `Hashing layer '${this.name}'`);
    if (!Number.isInteger(args.numBins) || args.numBins < 1) {
      throw new Error(`${where}: numBins must be a positive integer. Received: numBins=${JSON.stringify(args.numBins)}.`);
    }
    this.numBins = args.numBins;
    this.#output = new IndexOutput(args, BIN_OUTPUT_MODES, where);
    this.outputMode = this.#output.mode;
    this.maskValue = args.maskValue ?? null;
    if (this.maskValue !== null && !Number.isInteger(this.maskValue)) {
      throw new Error(`${where}: maskValue must be a whole number or null (this layer hashes integers). Received: maskValue=${JSON.stringify(args.maskValue)}.`);
    }
    this.salt = args.salt ?? null;
    const pair = this.salt === null ? null : typeof this.salt === 'number' ? [this.salt, this.salt] : this.salt;
    if (pair !== null && !(Array.isArray(pair) && pair.length === 2 && pair.every((k) => Number.isSafeInteger(k) && k >= 0))) {
      throw new Error(`${where}: salt must be a non-negative integer or a list of two. Received: salt=${JSON.stringify(args.salt)}.`);
    }
    this.#key = pair && [BigInt(pair[0]), BigInt(pair[1])];
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return this.#output.shape(singleInput(this, inputShapes), this.numBins, this.#where);
  }

  #space(): IndexSpace {
    return { perSample: this.#perSample, depth: this.numBins, scratch: 0 };
  }

  override workspaceSize(batch: number): number {
    return this.#output.workspaceSize(batch, this.#space());
  }

  override initWorkspace(backend: Backend, workspace: BufferId, batch: number): void {
    this.#output.initWorkspace(backend, workspace, batch, this.#space());
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#perSample = singleInput(this, inputShapes).reduce((a, b) => a * b, 1);
  }

  override get readsIndices(): boolean {
    return true;
  }

  override checkModelInput(values: Float32Array | Int32Array, perSample: number, what: string): void {
    const bad = values.findIndex((v) => !isExactId(v));
    if (bad >= 0) throw this.#badValue(values[bad], `${what} holds`, `sample ${Math.floor(bad / perSample)} (position ${bad % perSample} of the sample)`);
  }

  #badValue(v: number, holds: string, at: string): Error {
    return new Error(`${this.#where} hashes whole numbers from -2^24 to 2^24 (what float32 batches hold exactly), as Keras hashes int inputs, but ${holds} ${v} at ${at}. Pass whole numbers in that range (an int32 tensor), e.g. reduce larger ids modulo a prime first.`);
  }

  /**
   * The bin of one whole number, as Keras' Hashing computes it for an int input.
   *
   * @example
   * ```ts
   * km.layers.hashing({ numBins: 3 }).bin(42);
   * ```
   */
  bin(value: number): number {
    const masked = this.maskValue !== null && this.numBins > 1;
    if (masked && value === this.maskValue) return 0;
    const bins = BigInt(masked ? this.numBins - 1 : this.numBins);
    const bytes = this.#encoder.encode(String(value));
    const hash = this.#key ? sipHash24(bytes, this.#key[0], this.#key[1]) : fingerprint64(bytes);
    return Number(hash % bins) + (masked ? 1 : 0);
  }

  forward(ctx: ForwardContext): void {
    const n = ctx.batch * this.#perSample;
    const x = readOnHost(ctx.backend, ctx.inputs[0], n, `${this.#where} hashes on the host, which needs its input`, 'hash the ids before the model with layer.bin(id)');
    const bins = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = x[i];
      if (!isExactId(v)) throw this.#badValue(v, 'its input holds', `sample ${Math.floor(i / this.#perSample)} (position ${i % this.#perSample} of the sample)`);
      bins[i] = this.bin(v);
    }
    this.#output.write(ctx, this.#space(), (out) => ctx.backend.write(out, bins));
  }

  backward(ctx: BackwardContext): void {
    if (ctx.inputGrads[0]) ctx.backend.fill(ctx.inputGrads[0], ctx.batch * this.#perSample, 0);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), numBins: this.numBins, maskValue: this.maskValue, salt: this.salt, outputMode: this.outputMode, sparse: false };
  }
}

registerBuiltinLayer('Hashing', (config) => new Hashing(config as unknown as HashingArgs));

/** Hashes whole numbers into numBins bins, as Keras' Hashing (FarmHash, or SipHash with a salt). @example `km.layers.hashing({ numBins: 64 })` */
export function hashing(args: HashingArgs): Hashing {
  checkRequiredOptions(args, HASHING_OPTIONS, 'km.layers.hashing');
  return new Hashing(args);
}
