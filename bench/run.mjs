// `pnpm bench`: kerasm and TensorFlow.js 4.22 side by side in one process tree, interleaved,
// several repetitions, medians and kerasm/tfjs ratios. `pnpm bench -- --json` prints one JSON
// object; `--reps N` (default 3) and `--only mlp,cnn,predict,gemm,apply,activations,input-activations,gan,finetune,finetune-depthwise,toggle,custom-code,host-ops,audio,graph-model` choose what runs.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { CORES, km } from './suite/setup.mjs';
import { cnnTraining } from './suite/cnn.mjs';
import { gemmSpeed } from './suite/gemm.mjs';
import { mlpEpoch } from './suite/mlp.mjs';
import { predictSpeed } from './suite/predict.mjs';
import { applySpeed } from './suite/apply.mjs';
import { activationLayersSpeed } from './suite/activation_layers.mjs';
import { inputActivationsSpeed } from './suite/input_activations.mjs';
import { ganSpeed } from './suite/gan.mjs';
import { depthwiseFinetuneSpeed, finetuneSpeed } from './suite/finetune.mjs';
import { toggleSpeed } from './suite/toggle.mjs';
import { customCodeSpeed } from './suite/custom_code.mjs';
import { hostOpsSpeed } from './suite/host_ops.mjs';
import { audioSpeed } from './suite/audio.mjs';
import { graphModelSpeed } from './suite/graph_model.mjs';

// `pnpm bench -- --only cnn` hands the script a literal `--` first, after which parseArgs would
// read every flag as a positional argument.
const args = process.argv.slice(2);
if (args[0] === '--') args.shift();
const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, reps: { type: 'string' }, only: { type: 'string' } }, allowPositionals: true });
const repetitions = Number(values.reps ?? process.env.BENCH_REPS ?? 3);
if (!Number.isInteger(repetitions) || repetitions < 1) {
  console.error(`bench: --reps must be a positive integer; received '${values.reps}'.`);
  process.exit(2);
}
const log = (...args) => { if (!values.json) console.log(...args); };

// Each section runs kerasm and tfjs interleaved and returns { title, medians, ratios, ... }.
const SECTIONS = {
  mlp: (o) => mlpEpoch({ ...o, cpuSteps: 100 }),
  cnn: cnnTraining,
  predict: predictSpeed,
  gemm: gemmSpeed,
  apply: applySpeed,
  activations: activationLayersSpeed,
  'input-activations': inputActivationsSpeed,
  gan: ganSpeed,
  finetune: finetuneSpeed,
  'finetune-depthwise': depthwiseFinetuneSpeed,
  toggle: toggleSpeed,
  'custom-code': customCodeSpeed,
  'host-ops': hostOpsSpeed,
  audio: audioSpeed,
  'graph-model': graphModelSpeed,
};
const chosen = values.only ? values.only.split(',') : Object.keys(SECTIONS);
const unknown = chosen.filter((name) => !(name in SECTIONS));
if (unknown.length) {
  console.error(`bench: unknown section(s) ${unknown.join(', ')}; expected some of ${Object.keys(SECTIONS).join(', ')}.`);
  process.exit(2);
}

await km.ready();
const report = {
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model, cores: CORES, node: process.version, loadAverage: os.loadavg() },
  kernels: km.getBackendInfo().kernels,
  repetitions,
  sections: {},
};
log(`kerasm bench: ${report.machine.cpu}, ${CORES} cores, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${repetitions} reps, kernels ${report.kernels}`);
const started = performance.now();
for (const name of chosen) {
  log(`\n== ${name}`);
  const section = await SECTIONS[name]({ repetitions, log });
  report.sections[name] = section;
  log(section.title);
  for (const [k, v] of Object.entries(section.medians)) log(`  median ${k}: ${typeof v === 'number' ? v.toFixed(3) : Object.entries(v).map(([a, b]) => `${a} ${b.toFixed(1)}`).join(', ')}`);
  for (const [k, v] of Object.entries(section.ratios)) log(`  ratio ${k}: ${typeof v === 'number' ? v.toFixed(3) : Object.entries(v).map(([a, b]) => `${a} ${b.toFixed(2)}`).join(', ')}`);
}
report.seconds = (performance.now() - started) / 1000;
report.machine.loadAverageAfter = os.loadavg();
if (values.json) console.log(JSON.stringify(report));
else log(`\ndone in ${report.seconds.toFixed(0)} s; load average now ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
