// Writes a benchmark's table into docs/BENCHMARKS.md between its markers
// (`<!-- NAME:start -->` … `<!-- NAME:end -->`), or appends a new section.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'BENCHMARKS.md');

export function writeSection(name, title, table) {
  const doc = readFileSync(PATH, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${table}\n${end}`;
  const next = doc.includes(start)
    ? doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), () => block)
    : `${doc.trimEnd()}\n\n## ${title}\n\n${block}\n`;
  writeFileSync(PATH, next);
  console.log(`\nwritten to ${PATH}`);
}
