// Two or more builds of the scan module side by side, in one Node process on
// the same generated inputs (tests/bench/gen.mjs, seed 7): `scanText`
// (region CN) with the copy into wasm and the JSON answer parsed back, as
// `tests/bench/scan.mjs` times it, the builds' runs interleaved round by round
// so that a noisy neighbour hits them alike. Prints MB/s per build and size,
// each build's speed as a ratio of the first one's, and whether each build's
// answers equal the first one's (a speed change must keep every result).
//
//   node tests/bench/scan-compare.mjs [--sizes 10e3,1e6] [--rounds 5] NAME=DIR ...
//
// DIR holds `deskside_background.js` and `deskside_background_bg.wasm`
// (dist/chrome/wasm after ./build.sh, or a copy of an older build's).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ticketText } from './gen.mjs';
import { measure } from './measure.mjs';

const args = process.argv.slice(2);
let sizes = [10e3, 100e3, 1e6, 10e6];
let rounds = 5;
const builds = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--sizes') sizes = args[++i].split(',').map(Number);
  else if (args[i] === '--rounds') rounds = Number(args[++i]);
  else {
    const eq = args[i].indexOf('=');
    if (eq < 1) throw new Error(`expected NAME=DIR, got ${args[i]}`);
    builds.push({ name: args[i].slice(0, eq), dir: args[i].slice(eq + 1) });
  }
}
if (builds.length < 1 || sizes.some((s) => !(s > 0)) || !(rounds > 0)) {
  console.error('usage: node tests/bench/scan-compare.mjs [--sizes 10e3,1e6] [--rounds 5] NAME=DIR ...');
  process.exit(2);
}
for (const b of builds) {
  // A fresh copy of the glue per build: each has its own module instance.
  const glue = await import(`${join(b.dir, 'deskside_background.js')}?build=${encodeURIComponent(b.name)}`);
  glue.initSync({ module: readFileSync(join(b.dir, 'deskside_background_bg.wasm')) });
  b.scan = (text) => JSON.parse(glue.scanText(text, 'CN'));
  b.raw = (text) => glue.scanText(text, 'CN');
}

const label = (n) => (n >= 1e6 ? `${n / 1e6} MB` : `${n / 1e3} KB`);
console.log(`Node ${process.version}; ${rounds} rounds, builds interleaved; MB/s = best round's median`);
console.log(['input', ...builds.map((b) => b.name), ...builds.slice(1).map((b) => `${b.name} ÷ ${builds[0].name}`), 'same answers'].join(' | '));
for (const size of sizes) {
  const text = ticketText(size, 7).text;
  const bytes = Buffer.byteLength(text);
  const first = builds[0].raw(text);
  const same = builds.slice(1).map((b) => (b.raw(text) === first ? 'yes' : 'NO'));
  const best = builds.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    builds.forEach((b, i) => { best[i] = Math.min(best[i], measure(b.scan, text, size >= 1e7 ? 3000 : 1200)); });
  }
  const mbs = best.map((ms) => bytes / 1e6 / (ms / 1e3));
  console.log([label(size), ...mbs.map((m) => `${m.toFixed(0)} MB/s`), ...mbs.slice(1).map((m) => `${(m / mbs[0]).toFixed(2)}×`), same.join(',') || '–'].join(' | '));
}
