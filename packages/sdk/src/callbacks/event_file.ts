import { histogramBuckets } from './histogram_buckets.js';
import { ProtobufWriter } from './protobuf_writer.js';
import { tfRecord } from './tfrecord.js';

/** The `file_version` of the first event of every event file, as TensorFlow writes it. */
export const EVENT_FILE_VERSION = 'brain.Event:2';

// Field numbers of tensorflow/core/util/event.proto (Event) and framework/summary.proto (Summary, Summary.Value).
const EVENT_WALL_TIME = 1;
const EVENT_STEP = 2;
const EVENT_FILE_VERSION_FIELD = 3;
const EVENT_SUMMARY = 5;
const SUMMARY_VALUE = 1;
const VALUE_TAG = 1;
const VALUE_SIMPLE_VALUE = 2;
const VALUE_TENSOR = 8;
const VALUE_METADATA = 9;
// SummaryMetadata, its PluginData, and framework/tensor.proto's TensorProto and TensorShapeProto.
const METADATA_PLUGIN_DATA = 1;
const METADATA_DATA_CLASS = 4;
const PLUGIN_NAME = 1;
const DATA_CLASS_TENSOR = 2;
const TENSOR_DTYPE = 1;
const TENSOR_SHAPE = 2;
const TENSOR_CONTENT = 4;
const SHAPE_DIM = 2;
const DIM_SIZE = 1;
const DT_DOUBLE = 2;

/** The `Event` that opens an event file: its wall time (seconds since 1970) and `file_version`. */
export function fileVersionEvent(wallTime: number): Uint8Array {
  return new ProtobufWriter().double(EVENT_WALL_TIME, wallTime).string(EVENT_FILE_VERSION_FIELD, EVENT_FILE_VERSION).finish();
}

/** An `Event` holding one scalar (`Summary.Value.simple_value`, a float32) under `tag` at `step`. */
export function scalarEvent(wallTime: number, step: number, tag: string, value: number): Uint8Array {
  return summaryEvent(wallTime, step, new ProtobufWriter().string(VALUE_TAG, tag).float(VALUE_SIMPLE_VALUE, value).finish());
}

/**
 * An `Event` holding one histogram under `tag` at `step`, as TF 2's `tf.summary.histogram` writes
 * it: a float64 tensor of shape [k, 3] (each bucket's left edge, right edge and count) in
 * `tensor_content`, little-endian, with the metadata of TensorBoard's `histograms` plugin.
 */
export function histogramEvent(wallTime: number, step: number, tag: string, buckets: Float64Array): Uint8Array {
  const content = new Uint8Array(buckets.length * 8);
  const view = new DataView(content.buffer);
  buckets.forEach((value, i) => view.setFloat64(i * 8, value, true));
  const shape = new ProtobufWriter();
  for (const size of [buckets.length / 3, 3]) shape.bytes(SHAPE_DIM, new ProtobufWriter().uint(DIM_SIZE, size).finish());
  const tensor = new ProtobufWriter().uint(TENSOR_DTYPE, DT_DOUBLE).bytes(TENSOR_SHAPE, shape.finish()).bytes(TENSOR_CONTENT, content).finish();
  // The plugin's content, HistogramPluginData { version: 0 }, encodes to no bytes, so TensorFlow leaves it out.
  const pluginData = new ProtobufWriter().string(PLUGIN_NAME, 'histograms').finish();
  const metadata = new ProtobufWriter().bytes(METADATA_PLUGIN_DATA, pluginData).uint(METADATA_DATA_CLASS, DATA_CLASS_TENSOR).finish();
  return summaryEvent(wallTime, step, new ProtobufWriter().string(VALUE_TAG, tag).bytes(VALUE_TENSOR, tensor).bytes(VALUE_METADATA, metadata).finish());
}

/** An `Event` at `step` whose `Summary` holds the one encoded `Summary.Value`. */
function summaryEvent(wallTime: number, step: number, summaryValue: Uint8Array): Uint8Array {
  const summary = new ProtobufWriter().bytes(SUMMARY_VALUE, summaryValue).finish();
  return new ProtobufWriter().double(EVENT_WALL_TIME, wallTime).uint(EVENT_STEP, step).bytes(EVENT_SUMMARY, summary).finish();
}

type Fs = typeof import('node:fs/promises');

/** Event files opened by this process, which their names count so two opened in one second differ. */
let filesOpened = 0;

/**
 * One TensorBoard event file (Node only): scalars and histograms are kept in memory until
 * {@link flush} appends them, so a crash loses only what was not flushed, and each flush is one write.
 */
export class EventFileWriter {
  #pending: Uint8Array[] = [];

  private constructor(readonly path: string, private readonly fs: Fs) {}

  /**
   * Makes `dir` if needed and a new event file in it, named as TensorFlow 2 names them
   * (`events.out.tfevents.<seconds>.<hostname>.<pid>.<count>.v2`), holding the `file_version` event.
   * `subject` names the caller in errors.
   */
  static async create(dir: string, subject: string): Promise<EventFileWriter> {
    const fs = await import('node:fs/promises');
    const { hostname } = await import('node:os');
    const { join } = await import('node:path');
    try {
      await fs.mkdir(dir, { recursive: true });
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      const cause = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : message;
      throw new Error(`${subject} cannot make the folder '${dir}' for its event files: ${cause}. Pass a logDir that is a folder, or that does not exist yet.`);
    }
    const wallTime = Date.now() / 1000;
    const writer = new EventFileWriter(join(dir, `events.out.tfevents.${Math.floor(wallTime)}.${hostname()}.${process.pid}.${++filesOpened}.v2`), fs);
    writer.#pending.push(tfRecord(fileVersionEvent(wallTime)));
    await writer.flush();
    return writer;
  }

  /** Adds the scalar `value` under `tag` at `step`, stamped with the time now; written at the next flush. */
  scalar(tag: string, value: number, step: number): void {
    this.#pending.push(tfRecord(scalarEvent(Date.now() / 1000, step, tag, value)));
  }

  /** Adds the histogram of `values` (TensorBoard's 30 buckets) under `tag` at `step`; written at the next flush. */
  histogram(tag: string, values: ArrayLike<number>, step: number): void {
    this.#pending.push(tfRecord(histogramEvent(Date.now() / 1000, step, tag, histogramBuckets(values))));
  }

  /** Appends what was added since the last flush to the file. */
  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const records = this.#pending;
    this.#pending = [];
    const bytes = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
    let offset = 0;
    for (const record of records) {
      bytes.set(record, offset);
      offset += record.length;
    }
    await this.fs.appendFile(this.path, bytes);
  }
}
