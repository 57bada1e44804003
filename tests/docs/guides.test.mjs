// Keeps the guides honest (issue 22): docs/GUIDE.md and docs/GUIDE.zh-CN.md
// name the extension's controls in **bold**, exactly as the extension shows
// them, in that guide's language; this checks each against the catalog of that
// language (extension/_locales/<lang>/messages.json) and the shipped presets'
// names and setup labels. A catalog message's $PLACEHOLDER$ stands for any
// text, and so does "…" in a guide's label ("Create in …", "Your team's
// email domains…"). It also checks that every image a guide (or the README)
// shows exists, and that the two guides show the same screenshots, each in
// its own language where there is one.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const GUIDES = [
  { file: 'docs/GUIDE.md', locale: 'en', tag: 'en' },
  { file: 'docs/GUIDE.zh-CN.md', locale: 'zh_CN', tag: 'zh-CN' },
];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every label the extension can show in `locale`: catalog messages, preset names and setup labels. */
export function labelsOf(locale) {
  const messages = JSON.parse(readFileSync(join(ROOT, `extension/_locales/${locale}/messages.json`), 'utf8'));
  const labels = Object.values(messages).map((m) => m.message);
  const dir = join(ROOT, 'crates/deskside-core/connectors');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const def = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    labels.push(def.name);
    for (const s of def.setup ?? []) {
      if (s.label?.[locale]) labels.push(s.label[locale]);
      for (const c of s.choices ?? []) if (c.label?.[locale]) labels.push(c.label[locale]);
    }
  }
  return labels;
}

/** Whether the guide's `label` is one of `labels` ("…" in it and $X$ in a message stand for any text). */
export function isShown(label, labels) {
  const fromLabel = new RegExp(`^${label.split('…').map(escape).join('.*')}$`, 's');
  return labels.some((m) => {
    if (m === label || fromLabel.test(m)) return true;
    const fromMessage = new RegExp(`^${m.split(/\$[A-Za-z_0-9]+\$/).map(escape).join('.+')}$`, 's');
    return fromMessage.test(label);
  });
}

/** The **bold** spans of a markdown text, outside code blocks and code spans. */
export function boldLabels(markdown) {
  const text = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\*\*([^*\n]+?)\*\*/g)].map((m) => m[1].trim());
}

/** The images a markdown file shows (markdown and <img>), as paths relative to the repository. */
export function imagesOf(file) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const refs = [...text.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g), ...text.matchAll(/<img[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
  return refs.filter((r) => !/^https?:/.test(r)).map((r) => join(dirname(file), r));
}

describe('the matching rules can fail', () => {
  const labels = ['Open in $SOURCE$', 'Import configuration…', "Your team's email domains (never taken as the customer), one per line", 'Save'];
  test('a label as shown, with a placeholder filled, or cut short with "…"', () => {
    assert.ok(isShown('Save', labels));
    assert.ok(isShown('Open in Deskside demo CRM', labels));
    assert.ok(isShown('Open in …', labels));
    assert.ok(isShown("Your team's email domains…", labels));
    assert.ok(isShown('Import configuration…', labels));
  });
  test('a label the extension does not show', () => {
    assert.ok(!isShown('Save all', labels));
    assert.ok(!isShown('Open', labels));
    assert.ok(!isShown('Export configuration', labels));
    assert.ok(!isShown("Your team's domains…", labels));
  });
  test('bold outside code only', () => {
    assert.deepEqual(boldLabels('Press **Save**, not `**Cancel**`.\n```\n**Nope**\n```\n**Open in X**'), ['Save', 'Open in X']);
  });
});

for (const { file, locale, tag } of GUIDES) {
  describe(file, () => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const labels = labelsOf(locale);

    test(`every **bold** label is shown by the extension in ${locale}`, () => {
      const bold = boldLabels(text);
      assert.ok(bold.length > 50, `the guide names the controls (found ${bold.length})`);
      for (const b of bold) {
        const literal = b.replace(/…/g, '').replace(/[\s\p{P}]/gu, '');
        assert.ok(literal.length >= 2, `"${b}" is too little to check`);
      }
      const unknown = bold.filter((b) => !isShown(b, labels));
      assert.deepEqual(unknown, [], `${file} names labels the ${locale} catalog does not have`);
    });

    test('every image it shows exists, in its own language where there is one', () => {
      const images = imagesOf(file);
      assert.ok(images.length >= 15, `screenshots in the guide (found ${images.length})`);
      const missing = images.filter((p) => !existsSync(join(ROOT, p)));
      assert.deepEqual(missing, [], `${file} shows images that do not exist`);
      const other = tag === 'en' ? 'zh-CN' : 'en';
      const wrong = images.filter((p) => p.includes(`-${other}-`) || p.endsWith(`-${other}.png`));
      assert.deepEqual(wrong, [], `${file} shows the other language's screenshots`);
    });
  });
}

test('the two guides show the same screenshots (each in its language)', () => {
  const norm = (file) => imagesOf(file).map((p) => p.replace(/-(en|zh-CN)(?=-|\.png$)/, '-LANG'));
  assert.deepEqual(norm('docs/GUIDE.zh-CN.md'), norm('docs/GUIDE.md'));
});

test('every image the README shows exists, and it links both guides', () => {
  const missing = imagesOf('README.md').filter((p) => !existsSync(join(ROOT, p)));
  assert.deepEqual(missing, []);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.ok(readme.includes('](docs/GUIDE.md)') && readme.includes('](docs/GUIDE.zh-CN.md)'), 'the README links both guides');
});
