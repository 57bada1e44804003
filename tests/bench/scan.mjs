// Side-by-side benchmark of identifier scanning, in one Node process on the
// same generated inputs:
//   copy floor      TextEncoder.encodeInto the text (what handing it to wasm costs at least)
//   wasm scan       Deskside's shipped module: emails, phones (E.164), CN ID codes, ranked (copy included)
//   JS email regex  one hand-written email regular expression
//   JS regex set    email + Chinese mobile/landline + international phone regexes
//   libphonenumber  libphonenumber-js findNumbers (phones only), default region CN
// Prints a table and writes it into docs/BENCHMARKS.md. Ratios are what
// count: the machine is shared, so absolute numbers move between runs.
//
//   node tests/bench/scan.mjs [--quick] [--no-write]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNumbers } from 'libphonenumber-js/max';
import { ticketText } from './gen.mjs';
import { measure } from './measure.mjs';
import { writeSection } from './report.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const quick = process.argv.includes('--quick');
const write = !process.argv.includes('--no-write');

const wasmDir = join(ROOT, 'dist', 'chrome', 'wasm');
const glue = await import(join(wasmDir, 'deskside_background.js'));
glue.initSync({ module: readFileSync(join(wasmDir, 'deskside_background_bg.wasm')) });

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const PHONES = [
  /(?:\+86[- ]?|0086 ?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)/g,
  /(?:\(0\d{2,3}\)|0\d{2,3}-)\s?\d{3,4}[- ]?\d{4}(?!\d)/g,
  /\+(?:44|49|65)[\d ()-]{8,16}\d/g,
];

const encoder = new TextEncoder();
let copyBuf = new Uint8Array(0);

const contenders = [
  {
    name: 'copy floor (encodeInto)',
    run(text) {
      if (copyBuf.length < text.length * 3) copyBuf = new Uint8Array(text.length * 3);
      return { written: encoder.encodeInto(text, copyBuf).written };
    },
  },
  {
    name: 'wasm scan (Deskside)',
    run(text) {
      const found = JSON.parse(glue.scanText(text, 'CN'));
      return {
        emails: found.filter((c) => c.kind === 'email').map((c) => c.value),
        phones: found.filter((c) => c.kind === 'phone').map((c) => c.value),
      };
    },
  },
  {
    name: 'JS email regex',
    run(text) { return { emails: (text.match(EMAIL) ?? []).map((e) => e.toLowerCase()) }; },
  },
  {
    name: 'JS regex set (email + phones)',
    run(text) {
      const phones = [];
      for (const re of PHONES) for (const m of text.matchAll(re)) phones.push(toE164(m[0]));
      return { emails: (text.match(EMAIL) ?? []).map((e) => e.toLowerCase()), phones };
    },
  },
  {
    name: 'libphonenumber-js findNumbers',
    slow: true,
    run(text) { return { phones: findNumbers(text, { defaultCountry: 'CN', v2: true }).map((m) => m.number.number) }; },
  },
];

// What the regex set would have to do to be comparable: E.164.
function toE164(s) {
  let d = s.replace(/[^\d+]/g, '');
  if (d.startsWith('0086')) d = '+86' + d.slice(4);
  if (d.startsWith('+44') && s.includes('(0)')) d = '+44' + d.slice(4);
  if (d.startsWith('+')) return d;
  if (d.startsWith('0')) return '+86' + d.slice(1);
  return '+86' + d;
}

function score(found, truth) {
  if (!found) return null;
  const uniq = new Set(found);
  let hits = 0;
  for (const v of uniq) if (truth.has(v)) hits++;
  return { precision: uniq.size ? hits / uniq.size : 1, recall: truth.size ? hits / truth.size : 1 };
}

const SIZES = quick ? [[10e3, '10 KB'], [100e3, '100 KB'], [1e6, '1 MB']] : [[10e3, '10 KB'], [100e3, '100 KB'], [1e6, '1 MB'], [10e6, '10 MB']];
const rows = [];
const quality = new Map();
for (const [bytes, label] of SIZES) {
  const { text, emails, phones } = ticketText(bytes, 7);
  const mb = Buffer.byteLength(text) / 1e6;
  for (const c of contenders) {
    const budget = c.slow ? (bytes >= 10e6 ? 1 : 300) : 600;
    const ms = measure((t) => c.run(t), text, budget);
    rows.push({ size: label, name: c.name, mbps: mb / (ms / 1000), ms });
    if (bytes === 1e6) {
      const out = c.run(text);
      quality.set(c.name, { email: score(out.emails, emails), phone: score(out.phones, phones) });
    }
  }
  process.stdout.write(`${label} done\n`);
}

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const pct = (q) => (q ? `${(q.precision * 100).toFixed(1)} % / ${(q.recall * 100).toFixed(1)} %` : '–');
const lines = [];
lines.push(`Generated ticket text (English and Chinese, identifiers among dates, prices, order and tracking numbers, IP addresses, ISBNs, long ids); Node ${process.version}, one process, median of repeated runs.`);
lines.push('');
lines.push('| input | ' + contenders.map((c) => c.name).join(' | ') + ' |');
lines.push('|---|' + contenders.map(() => '---:').join('|') + '|');
for (const [, label] of SIZES) {
  const cells = contenders.map((c) => {
    const r = rows.find((x) => x.size === label && x.name === c.name);
    return `${fmt(r.mbps)} MB/s`;
  });
  lines.push(`| ${label} | ${cells.join(' | ')} |`);
}
lines.push('');
lines.push('Ratios (same input, same run):');
lines.push('');
lines.push('| input | wasm scan ÷ copy floor (time) | wasm scan ÷ libphonenumber-js (speed) | wasm scan ÷ JS regex set (speed) |');
lines.push('|---|---:|---:|---:|');
for (const [, label] of SIZES) {
  const get = (n) => rows.find((x) => x.size === label && x.name === n);
  const w = get('wasm scan (Deskside)');
  lines.push(`| ${label} | ${(w.ms / get('copy floor (encodeInto)').ms).toFixed(1)}× | ${(w.mbps / get('libphonenumber-js findNumbers').mbps).toFixed(0)}× | ${(w.mbps / get('JS regex set (email + phones)').mbps).toFixed(1)}× |`);
}
lines.push('');
lines.push('Quality on the 1 MB input (precision / recall against the planted identifiers; phones compared in E.164):');
lines.push('');
lines.push('| scanner | emails | phones |');
lines.push('|---|---|---|');
for (const c of contenders.slice(1)) {
  const q = quality.get(c.name);
  lines.push(`| ${c.name} | ${pct(q.email)} | ${pct(q.phone)} |`);
}
const table = lines.join('\n');
console.log('\n' + table);

if (write) writeSection('scan-bench', 'Identifier scan, side by side', table);
