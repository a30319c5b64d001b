// Writes blobs-train.csv and blobs-test.csv: a synthetic 3-class problem, four features drawn
// around three centres, the same bytes on every run (seeded generator). Run: node examples/make_blobs.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(2024);
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const centres = [
  [0, 0, 2, -1],
  [2.5, 1, 0, 1],
  [0, 2.5, -1, 2],
];

function rows(perClass) {
  const out = [];
  for (let i = 0; i < perClass; i++) {
    centres.forEach((centre, label) => out.push([...centre.map((c) => (c + normal()).toFixed(3)), label]));
  }
  return out;
}

const here = dirname(fileURLToPath(import.meta.url));
const header = 'sepal,petal,stem,leaf,label';
for (const [name, perClass] of [['blobs-train.csv', 200], ['blobs-test.csv', 60]]) {
  writeFileSync(join(here, name), [header, ...rows(perClass).map((r) => r.join(','))].join('\n') + '\n');
}
