// The content script's cost on the agent's page, in real Chromium: a
// generated ticket page of about 1 MB and 6,000 elements, the built extension
// loaded. Reads the content script's own record of its main-thread time (in
// its isolated world, through the DevTools protocol) for the first full scan
// and for each appended message, beside two reference points measured on the
// same page in the same run: reading the text with a TreeWalker, and
// `innerText` (which forces layout). Then a mutation storm (1,000 added nodes
// a second for 3 s): how often the page is read whole, and what it all costs.
//
//   node tests/bench/page.mjs [--no-write]
import { createServer } from 'node:http';
import { configure, launch, panelState, startDemo } from '../e2e/harness.mjs';
import { ticketText } from './gen.mjs';
import { writeSection } from './report.mjs';

const write = !process.argv.includes('--no-write');
const APPENDS = 20;
const STORM_TICKS = 300; // x 10 nodes, one tick per 10 ms: 3 s

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** About `bytes` of ticket thread: messages of a header and paragraphs. */
function ticketPage(bytes) {
  const { text } = ticketText(bytes, 11);
  const lines = text.split('\n');
  const out = [];
  let elements = 0;
  // About 830 bytes a message in five elements: ~6,000 elements a megabyte,
  // the density of a long real ticket thread.
  for (let i = 0, n = 0; i < lines.length; n++) {
    let body = '';
    while (i < lines.length && body.length < 800) body += esc(lines[i++]) + ' ';
    out.push(`<article class="msg"><header><b>Customer</b> <time>2026-11-2${n % 10}</time></header><p>${body}</p></article>`);
    elements += 5;
  }
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Ticket 9001</title></head><body>
<header class="top"><h1>Ticket 9001: parcel missing</h1><p>Requester: <a href="mailto:mia.fischer@globex.example">Mia Fischer</a></p></header>
<main id="conversation">${out.join('\n')}</main></body></html>`;
  return { html, elements };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const { html, elements } = ticketPage(1_000_000);
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
  res.end(html);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const pageUrl = `http://127.0.0.1:${server.address().port}/tickets/9001`;

const demo = await startDemo({ key: 'bench-key' });
const ext = await launch('chromium');
let result;
let storm;
try {
  const { page: options } = await configure(ext, { baseUrl: demo.base, key: 'bench-key' });
  await options.close();

  const page = await ext.browser.newPage();
  const cdp = await page.createCDPSession();
  const contexts = new Map();
  cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.set(context.id, context));
  await cdp.send('Runtime.enable');
  await page.goto(pageUrl);
  await panelState(page, { timeout: 30_000 });

  // Evaluates `expression` in the content script's isolated world.
  async function isolated(expression) {
    for (const c of contexts.values()) {
      if (c.auxData?.type !== 'isolated' || c.name !== 'Deskside') continue;
      const r = await cdp.send('Runtime.evaluate', { contextId: c.id, expression, returnByValue: true }).catch(() => null);
      const v = r?.result?.value && JSON.parse(r.result.value);
      if (v) return v;
    }
    throw new Error('the content script\'s isolated world was not found');
  }
  const stats = () => isolated('JSON.stringify(globalThis.__desksideContent ?? null)');

  // The rest of the page is read in slices after the first one.
  let first = await stats();
  for (let i = 0; i < 100 && !first.restDone; i++) {
    await new Promise((r) => setTimeout(r, 100));
    first = await stats();
  }
  if (!first.restDone) throw new Error('the content script did not finish reading the page');
  for (let i = 0; i < APPENDS; i++) {
    await page.evaluate((n) => {
      const a = document.createElement('article');
      a.className = 'msg';
      a.innerHTML = `<header><b>Customer</b> <time>now</time></header><p>Reply ${n}: still waiting for my parcel, please call 138 0013 ${String(8000 + n)} or write to mia.fischer@globex.example.</p><p>${'Thanks for looking into it. '.repeat(30)}</p>`;
      document.querySelector('#conversation').append(a);
    }, i);
    await new Promise((r) => setTimeout(r, 450)); // past the content script's quiet period
  }
  const after = await stats();

  const reference = await page.evaluate(() => {
    const walk = () => {
      const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      let n; let s = '';
      while ((n = w.nextNode())) s += n.data + '\n';
      return s.length;
    };
    const runs = { walker: [], innerText: [] };
    for (let i = 0; i < 7; i++) {
      let t = performance.now(); walk(); runs.walker.push(performance.now() - t);
      document.body.classList.toggle('x'); document.body.style.setProperty('--bench', String(i)); // dirty style/layout
      t = performance.now(); void document.body.innerText.length; runs.innerText.push(performance.now() - t);
    }
    return { ...runs, textBytes: document.body.textContent.length, elements: document.getElementsByTagName('*').length };
  });

  await isolated('JSON.stringify((globalThis.__desksideContent.restMax = 0, true))');
  // A mutation storm: ten nodes every 10 ms for 3 s (1,000 a second, as in
  // THREATS.md fault 9), then time for the last read to finish.
  await page.evaluate((STORM_TICKS) => new Promise((done) => {
    const box = document.querySelector('#conversation');
    let tick = 0;
    const timer = setInterval(() => {
      for (let i = 0; i < 10; i++) {
        const p = document.createElement('p');
        p.textContent = `typing… ${tick}.${i} at 10:${String(tick % 60).padStart(2, '0')}`;
        box.append(p);
      }
      if (++tick === STORM_TICKS) { clearInterval(timer); done(); }
    }, 10);
  }), STORM_TICKS);
  await new Promise((r) => setTimeout(r, 2500));
  const stormed = await stats();
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const newFull = stormed.full.slice(after.full.length);
  const newAppends = stormed.append.slice(after.append.length);
  storm = {
    fullScans: newFull.length,
    appends: newAppends.length,
    total: sum(newFull) + (stormed.restTotal - after.restTotal) + sum(newAppends) + (stormed.observer - after.observer),
    longest: Math.max(0, ...newFull, ...newAppends, stormed.restMax),
    observer: stormed.observer - after.observer,
  };

  result = {
    first: first.full[0],
    parts: first.fullParts,
    rest: first.rest,
    appends: after.append,
    appendReads: after.appendRead,
    observer: after.observer,
    fullScans: after.full.length,
    walker: median(reference.walker),
    walkerFirst: reference.walker[0],
    innerText: median(reference.innerText),
    textBytes: reference.textBytes,
    elements: reference.elements,
    version: await ext.browser.version(),
  };
} finally {
  await ext.close();
  demo.stop();
  server.close();
}

const f = (x) => `${x.toFixed(2)} ms`;
const table = [
  `Generated ticket page: ${(result.textBytes / 1e6).toFixed(2)} MB of text in ${result.elements} elements (${elements} in the thread), strict CSP; ${result.version}, headless, the built extension loaded; ${APPENDS} messages appended one by one.`,
  '',
  '| what (main thread, same page, same run) | time |',
  '|---|---:|',
  `| content script: first scan, one task (adapter fields, links, inputs and the first ${(result.parts.chars / 1e3).toFixed(0)} K characters of text, posted) | ${f(result.first)} |`,
  `| … of which reading | ${f(result.parts.read)} |`,
  `| … of which posting it (${result.parts.fields} fields) to the background over the port | ${f(result.parts.send)} |`,
  `| content script: the rest of the page, ${result.rest.length} further tasks (read a slice, post it), longest | ${f(Math.max(0, ...result.rest))} |`,
  `| content script: the whole page read and posted, all tasks together | ${f(result.first + result.rest.reduce((a, b) => a + b, 0))} |`,
  `| content script: per appended message, median (read the new nodes, send) | ${f(median(result.appends))} |`,
  `| … of which reading the new nodes, median | ${f(median(result.appendReads))} |`,
  `| content script: per appended message, worst | ${f(Math.max(...result.appends))} |`,
  `| content script: all mutation-observer callbacks, total over ${APPENDS} appends | ${f(result.observer)} |`,
  `| reference: TreeWalker over all text nodes, first run (cold, like the content script's first scan) | ${f(result.walkerFirst)} |`,
  `| reference: TreeWalker over all text nodes, warm, median of 7 | ${f(result.walker)} |`,
  `| reference: \`document.body.innerText\` after a style change, median of 7 | ${f(result.innerText)} |`,
  '',
  `Whole-page rescans during the appends: ${result.fullScans - 1} (each append was read on its own).`,
  '',
  `A mutation storm on the same page: ${STORM_TICKS * 10} nodes added over ${STORM_TICKS / 100} s (1,000 a second):`,
  '',
  '| during the storm (main thread) | |',
  '|---|---:|',
  `| whole-page reads (past ${150} added nodes; at most one a second while the page keeps changing) | ${storm.fullScans} |`,
  `| appends read on their own | ${storm.appends} |`,
  `| content script, all tasks together (observer callbacks, reads, posts) | ${f(storm.total)} |`,
  `| … of which observer callbacks (${STORM_TICKS * 10} nodes queued) | ${f(storm.observer)} |`,
  `| content script, longest single task | ${f(storm.longest)} |`,
].join('\n');
console.log(table);
console.log('slices (ms):', result.rest.map((x) => x.toFixed(1)).join(' '));

if (write) writeSection('page-bench', 'The content script on a 1 MB page', table);
