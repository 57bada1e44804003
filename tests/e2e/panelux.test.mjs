// The agent's panel, state by state (issue 22), in real Chromium and Firefox:
// every state in plain words with the action that helps (and that action
// working), copy buttons, the keyboard, and axe-core injected into the panel
// and the options page, light and dark: no serious or critical violation.
//
// DESKSIDE_SCREENSHOTS=1 also writes the README's and the guides' screenshots
// (Chromium: English and Chinese, light and dark, cropped to the panel) to
// docs/screenshots/; Firefox's go to dist/test-screenshots/.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, ROOT, canaryKey, configure, lineStarts, openExtensionPage, screenshotDir, startConfigured, startDemo, startSuite, waitLoaded, waitFor } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = Boolean(process.env.DESKSIDE_SCREENSHOTS);
const LANGS = SHOTS ? ['en-US', 'zh-CN'] : ['en-US'];

/** A catalog message with its placeholders filled, as the pages render it. */
function catalog(lang) {
  const dir = lang === 'zh-CN' ? 'zh_CN' : 'en';
  const messages = JSON.parse(readFileSync(join(ROOT, `extension/_locales/${dir}/messages.json`), 'utf8'));
  return (key, ...args) => {
    const m = messages[key];
    assert.ok(m, `no message ${key}`);
    return m.message.replace(/\$([A-Za-z_]+)\$/g, (_, name) => {
      const ph = m.placeholders?.[name.toLowerCase()]?.content ?? '';
      return ph.replace(/\$(\d)/, (_, i) => String(args[Number(i) - 1]));
    });
  };
}

/** The panel frame of `page` with its state and text (undefined: none yet). */
async function panelOf(page) {
  for (const frame of page.frames()) {
    try {
      const info = await frame.evaluate(() => (location.pathname.endsWith('/panel.html')
        ? { state: document.querySelector('#root')?.dataset.state, text: document.body.innerText } : null));
      if (info) return { frame, ...info };
    } catch { /* a frame on its way */ }
  }
  return undefined;
}

/** Polls the panel until `pred(panel)` holds; fails with `what` and what it shows. */
async function waitPanel(page, pred, what, timeout = 25_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await panelOf(page);
    if (last && (await pred(last))) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  assert.fail(`${what}: the panel shows ${last?.state}: ${last?.text}`);
}

/** axe-core in `target` (a page or the panel frame): the serious and critical violations. */
async function axeViolations(target) {
  await target.evaluate(AXE);
  return target.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} ${n.failureSummary}`).join(' | ')}`);
  });
}

for (const kind of BROWSERS) {
  for (const lang of LANGS) {
    describe(`${kind} (${lang}): the agent's panel, state by state`, () => {
      const key = canaryKey();
      const t = catalog(lang);
      const tag = lang === 'zh-CN' ? 'zh-CN' : 'en';
      const docs = SHOTS && kind === 'chromium' ? join(ROOT, 'docs/screenshots') : screenshotDir(`test-screenshots/${kind}-panelux`);
      let demo;
      let crm;
      let ext;
      let env;
      // Whether this browser lets the test switch prefers-color-scheme per page.
      let darkWorks = true;
      // The demo connector's default label, in the panel's language (misc10).
      const SOURCE = t('opt_demo_crm');

      async function openTicket(path) {
        const page = await ext.browser.newPage();
        await page.goto(demo.base + path);
        return page;
      }

      async function scheme(page, frame, value) {
        const features = [{ name: 'prefers-color-scheme', value }];
        await page.emulateMediaFeatures(features).catch(() => {});
        const isDark = () => frame.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
        if ((await isDark()) === (value === 'dark')) return true;
        // Chromium runs the extension's frame in a process of its own: its
        // own DevTools session takes the emulation.
        if (kind === 'chromium') {
          const target = ext.browser.targets().find((x) => x.url() === frame.url());
          const session = await target?.createCDPSession().catch(() => undefined);
          await session?.send('Emulation.setEmulatedMedia', { features }).catch(() => {});
        }
        return (await isDark()) === (value === 'dark');
      }

      /** axe light and dark, and the screenshots (cropped to the panel). */
      async function check(page, panel, name) {
        const { frame } = panel;
        for (const mode of ['light', 'dark']) {
          if (!(await scheme(page, frame, mode))) {
            darkWorks = false;
            continue;
          }
          const found = await axeViolations(frame);
          assert.deepEqual(found, [], `${name} (${mode}): axe found serious or critical problems`);
          const box = await frame.evaluate(() => {
            const root = document.querySelector('#root');
            return { w: innerWidth, h: Math.ceil(root.getBoundingClientRect().bottom), side: root.dataset.side };
          });
          const vp = page.viewport() ?? { width: 1280, height: 800 };
          const x = box.side === 'left' ? 0 : vp.width - box.w;
          const height = Math.min(vp.height, Math.max(box.h + 12, 120));
          await page.screenshot({ path: join(docs, `${name}-${tag}-${mode}.png`), clip: { x, y: 0, width: box.w, height } });
        }
        await scheme(page, frame, 'light');
      }

      // The SPA ticket page with `email` as the requester (the panel follows).
      async function spaWith(page, email, path) {
        await page.evaluate((email, path) => {
          history.pushState({}, '', path);
          const h = document.createElement('h1');
          h.textContent = 'Ticket';
          const card = document.createElement('div');
          card.className = 'card';
          const mail = document.createElement('a');
          mail.href = `mailto:${email}`;
          mail.textContent = email;
          card.append('Requester: ', mail);
          document.getElementById('view').replaceChildren(h, card);
        }, email, path);
      }

      /** A tab whose address satisfies `pred` (Firefox reports no navigation into extension pages: each is asked). */
      async function findPage(pred, what) {
        const deadline = Date.now() + 15_000;
        while (Date.now() < deadline) {
          for (const page of await ext.browser.pages()) {
            const href = await page.evaluate(() => location.href).catch(() => '');
            if (pred(href)) return { page, href };
          }
          await new Promise((r) => setTimeout(r, 200));
        }
        assert.fail(`${what} did not open`);
      }

      /** The options page opened at `connector`: its block marked and the focus in it. */
      async function atConnector(connector) {
        const { page } = await findPage((href) => href.includes(`options.html#connector=${connector}`), `the options page at ${connector}`);
        await page.waitForSelector(`fieldset.connector[data-id="${connector}"][data-focused="true"]`, { timeout: 15_000 });
        const focused = await page.evaluate(() => document.activeElement?.closest('fieldset.connector')?.dataset.id);
        assert.equal(focused, connector, 'the focus is in that connector');
        await page.close();
      }

      before(async () => {
        mkdirSync(docs, { recursive: true });
        env = await startSuite(kind, { key, servers: { crm: () => startDemo({ key }) }, browser: { lang } });
        ({ demo, crm, ext } = env);
      });
      after(() => env?.close());

      test('not configured: says so and opens the settings', async () => {
        const page = await openExtensionPage(ext, 'options.html');
        await waitLoaded(page);
        await page.$eval('#enabled', (e) => { e.checked = false; });
        const { status } = await configure(ext, { baseUrl: demo.base, key, page });
        assert.equal(status.kind, 'ok', status.text);
        await page.close();
        const ticket = await openTicket('/tickets/strict/1001');
        const panel = await waitPanel(ticket, (p) => p.state === 'not_configured', 'not configured');
        assert.ok(panel.text.includes(t('panel_not_configured')), panel.text);
        assert.ok(panel.text.includes(t('panel_open_settings')), panel.text);
        await check(ticket, panel, 'panel-not-configured');
        await ticket.close();
      });

      test('no identifier on the page', async () => {
        const page = await openExtensionPage(ext, 'options.html');
        await waitLoaded(page);
        await page.$eval('#enabled', (e) => { e.checked = true; });
        const { status } = await configure(ext, { baseUrl: demo.base, key, page });
        assert.equal(status.kind, 'ok', status.text);
        await page.close();
        const ticket = await openTicket('/');
        const panel = await waitPanel(ticket, (p) => p.state === 'no_identifier', 'no identifier');
        assert.ok(panel.text.includes(t('panel_no_identifier')), panel.text);
        assert.ok(panel.text.includes(t('panel_no_identifier_help')), panel.text);
        await check(ticket, panel, 'panel-no-identifier');
        await ticket.close();
      });

      test('loading: a skeleton in the shape of a customer', async () => {
        const page = await openTicket('/app/tickets/1001');
        await waitPanel(page, (p) => p.state === 'found', 'first ticket');
        await spaWith(page, 'slow@faults.example', '/app/tickets/7002');
        const panel = await waitPanel(page, (p) => p.state === 'loading' && p.frame.evaluate(() => document.querySelectorAll('.skeleton div').length > 3), 'the skeleton');
        assert.equal(await panel.frame.$eval('.skeleton', (e) => e.getAttribute('aria-busy')), 'true');
        await check(page, panel, 'panel-loading');
        await page.close();
      });

      test('found: the customer, each block with its source and age, refresh, copy buttons', async () => {
        const page = await openTicket('/tickets/plain/1002');
        const panel = await waitPanel(page, (p) => p.state === 'found', 'found');
        assert.ok(panel.text.includes(t('panel_source', SOURCE)), panel.text);
        assert.ok(panel.text.includes(t('panel_updated_just_now')), 'the age of the data');
        assert.ok(panel.text.includes(t('panel_refresh')), 'a refresh button');
        // Copy buttons: the email, the (masked) phone, the record id and order ids.
        const copies = await panel.frame.$$eval('button.copy', (bs) => bs.map((b) => b.dataset.copy));
        assert.ok(copies.includes('li.na@yunfan-tech.example'), copies.join());
        const phone = copies.find((c) => c.includes('*'));
        assert.ok(phone, `the phone is copied as shown, masked: ${copies.join()}`);
        assert.ok(copies.some((c) => /^ORD-/.test(c)), `order ids: ${copies.join()}`);
        await check(page, panel, 'panel-found');
        // What the button hands to the clipboard is the value as shown.
        await panel.frame.evaluate(() => {
          globalThis.copied = [];
          const real = navigator.clipboard?.writeText?.bind(navigator.clipboard);
          Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (s) => { globalThis.copied.push(s); if (real) await real(s).catch(() => {}); } } });
        });
        await panel.frame.$eval(`button.copy[data-copy="${phone}"]`, (b) => b.click());
        await panel.frame.waitForSelector('button.copy[data-copied="true"]', { timeout: 5_000 });
        assert.deepEqual(await panel.frame.evaluate(() => globalThis.copied), [phone]);
        assert.equal(await panel.frame.$eval('button.copy[data-copied]', (b) => b.textContent), t('panel_copied'));

        // Refresh asks the CRM again, past the cache.
        const asked = () => demo.requests.filter((r) => r.url.includes('yunfan-tech')).length;
        const before = asked();
        await panel.frame.$eval('#refresh', (b) => b.click());
        await waitPanel(page, async (p) => p.state === 'found' && asked() > before, 'refresh asks the CRM again');
        await page.close();
      });

      test('keyboard: every control is reached by Tab and shows a focus ring', async () => {
        const page = await openTicket('/tickets/plain/1002');
        const panel = await waitPanel(page, (p) => p.state === 'found' && /ORD-/.test(p.text), 'found');
        const { frame } = panel;
        // Every control the keyboard can reach: disabled ones are skipped by Tab
        // (the write-back block greys out what a connector cannot write).
        const controls = await frame.$$eval('button:not([hidden]), select, a[href], input:not([type=hidden]), textarea', (all) => all.filter((e) => e.offsetParent !== null && !e.disabled).length);
        assert.ok(controls >= 5, `controls: ${controls}`);
        // From the first control on, by the keyboard only (focus rings show
        // for keyboard focus: each control is checked once Tab reached it).
        await frame.evaluate(() => { window.focus(); document.querySelector('button').focus(); });
        const seen = new Set();
        for (let i = 0; i < controls + 2; i++) {
          await page.keyboard.press('Tab');
          const f = await frame.evaluate(() => {
            const e = document.activeElement;
            const style = getComputedStyle(e);
            const path = [];
            for (let n = e; n && n !== document.body; n = n.parentElement) path.unshift(`${n.tagName}:${[...n.parentElement.children].indexOf(n)}`);
            return { path: path.join('/'), tag: e.tagName, ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
          });
          // Firefox: once Tab has left the frame and come back in, its
          // controls no longer match :focus-visible over BiDi (measured; a
          // real keyboard is not tried here), so the first round is checked.
          if (f.tag === 'BODY' && kind === 'firefox') break;
          if (f.tag !== 'BODY') {
            assert.ok(f.ring, `no visible focus ring on ${f.path}`);
            seen.add(f.path);
          }
        }
        assert.ok(seen.size >= controls - 1, `Tab reached ${seen.size} of the ${controls - 1} controls after the first`);
        await page.close();
      });

      test('not found: says so, offers "create in CRM" with the address', async () => {
        const page = await openTicket('/tickets/strict/1003');
        const panel = await waitPanel(page, (p) => p.state === 'not_found', 'not found');
        assert.ok(panel.text.includes(t('panel_create_in', SOURCE)), panel.text);
        await check(page, panel, 'panel-not-found');
        await panel.frame.$eval('button.create', (b) => b.click());
        // The CRM's new-customer page opens in a tab, with the address.
        const tab = await findPage((href) => href.includes('/crm/customers/new'), 'the CRM\'s new-customer page');
        assert.match(tab.href, /\/crm\/customers\/new\?email=sam%40unknown-prospect\.example$/);
        assert.ok(demo.requests.some((r) => r.url === '/crm/customers/new?email=sam%40unknown-prospect.example'));
        await tab.page.close();
        await page.close();
      });

      test('a long email address wraps before its @ or a dot, never mid-word', async () => {
        const page = await openTicket('/app/tickets/1001');
        await waitPanel(page, (p) => p.state === 'found', 'first ticket');
        const email = 'alexandrina.konstantinopoulou@globalshippinglogistics.example';
        await spaWith(page, email, '/app/tickets/7010');
        const panel = await waitPanel(page, (p) => p.state === 'not_found' && p.text.includes(email), 'the long address not found');
        const starts = await lineStarts(panel.frame, '.identifier');
        assert.ok(starts.length >= 1, 'the address wraps in the panel');
        for (const s of starts) assert.ok(['@', '.'].includes(s.at) || /\s/.test(s.before), `a line starts mid-word: ${JSON.stringify(starts)}`);
        assert.equal(await panel.frame.$eval('.identifier', (e, v) => e.textContent.includes(v), email), true, 'the text is the address as it is');
        await page.close();
      });

      test('several matches: a chooser', async () => {
        const page = await openTicket('/app/tickets/1008');
        const panel = await waitPanel(page, (p) => p.state === 'choose', 'several matches');
        assert.ok(panel.text.includes(t('panel_matches_in', 2, SOURCE)), panel.text);
        assert.equal(await panel.frame.$$eval('button.choose-record', (b) => b.length), 2);
        await check(page, panel, 'panel-matches');
        await page.close();
      });

      test('rate limited: retrying in N s, counting down', async () => {
        const page = await openTicket('/app/tickets/1001');
        await waitPanel(page, (p) => p.state === 'found', 'first ticket');
        await spaWith(page, 'ratelimit@faults.example', '/app/tickets/7003');
        const secs = (p) => p.frame.evaluate(() => Number(document.querySelector('.retry-in')?.dataset.secs ?? NaN));
        const panel = await waitPanel(page, async (p) => p.state === 'error' && (await secs(p)) > 3, 'rate limited');
        const first = await secs(panel);
        await waitPanel(page, async (p) => (await secs(p)) < first, 'the countdown', 5_000);
        assert.ok(panel.text.includes(t('panel_retrying_in', first).split(String(first))[0].trim()), panel.text);
        // One state with one time (misc10): the wait's own words, not "try again shortly" beside the countdown.
        const line = await panel.frame.$eval('.state.error', (e) => e.textContent);
        assert.ok(line.includes(t('err_rate_limited_waiting')), line);
        assert.ok(!line.includes(t('err_rate_limited')), line);
        assert.equal(line.match(/\d+/g)?.length, 1, `one time in: ${line}`);
        await check(page, panel, 'panel-rate-limited');
        await page.close();
      });

      // Once failed in Firefox only, after the suite's earlier tests: a lookup
      // job still running under the previous settings (the loading test's
      // slow@faults.example, retried up to its 20 s deadline) ended after this
      // test's Save and pruned the cache by the settings it had started with,
      // dropping the new connector's last answer. Jobs now prune by the settings
      // stored when they end (`background.rs::live_now`).
      test('CRM unreachable: the last known data, marked stale with its age', async () => {
        const { status, page: options } = await configure(ext, { baseUrl: crm.base, key });
        assert.equal(status.kind, 'ok', status.text);
        await options.close();
        const page = await openTicket('/tickets/strict/1001');
        await waitPanel(page, (p) => p.state === 'found', 'found from the second CRM');
        // The answer is cached once a second view is served from it (the
        // first view's cache write may still be under way in a slow browser).
        await page.reload();
        const found = await waitPanel(page, (p) => p.state === 'found', 'found again, from the cache');
        crm.stop();
        await found.frame.$eval('#refresh', (b) => b.click());
        const panel = await waitPanel(page, async (p) => p.state === 'found' && (await p.frame.$('.state.stale')) !== null
          && !p.text.includes(t('panel_refreshing')), 'stale', 40_000);
        const line = await panel.frame.$eval('.state.stale', (e) => e.textContent);
        assert.ok(line.includes(t('panel_updated_just_now')) || /\d/.test(line), line);
        await check(page, panel, 'panel-stale');
        await page.close();
      });

      test('key refused: "reconnect" opens the options page at that connector', async () => {
        const { status, page: options } = await configure(ext, { baseUrl: demo.base, key: 'wrong-key-0000' });
        assert.equal(status.kind, 'ok', status.text);
        await options.close();
        const page = await openTicket('/tickets/strict/1001');
        const panel = await waitPanel(page, (p) => p.state === 'error', 'key refused');
        assert.ok(panel.text.includes(t('panel_reconnect', SOURCE)), panel.text);
        await check(page, panel, 'panel-key-refused');
        const connector = await panel.frame.$eval('button.reconnect', (b) => b.dataset.connector);
        await panel.frame.$eval('button.reconnect', (b) => b.click());
        await atConnector(connector);
        await page.close();
      });

      test('host permission missing: a button that asks for it', async () => {
        const { status, page: options } = await configure(ext, { baseUrl: demo.base, key });
        assert.equal(status.kind, 'ok', status.text);
        // A CRM on an origin the browser has not granted (as after the admin
        // removed the permission): written to storage as Save would.
        await options.evaluate(async () => {
          const api = globalThis.browser ?? globalThis.chrome;
          const { settings } = await api.storage.local.get('settings');
          settings.connectors[0].base_url = 'http://127.0.0.2:9';
          await api.storage.local.set({ settings });
        });
        await options.close();
        const page = await openTicket('/tickets/strict/1001');
        const panel = await waitPanel(page, (p) => p.state === 'error', 'permission missing');
        assert.ok(panel.text.includes(t('panel_no_permission', '127.0.0.2')), panel.text);
        assert.ok(panel.text.includes(t('panel_allow_access', '127.0.0.2')), panel.text);
        await check(page, panel, 'panel-permission');
        // The button asks the browser for exactly that origin (where the
        // frame has no permissions API, Firefox's, the options page opens
        // at the connector: its Save asks).
        const api = await panel.frame.evaluate(() => {
          const api = globalThis.browser ?? globalThis.chrome;
          if (!api.permissions) return false;
          globalThis.asked = [];
          api.permissions.request = async ({ origins }) => { globalThis.asked.push(...origins); return false; };
          return true;
        });
        await panel.frame.$eval('button.grant', (b) => b.click());
        if (api) {
          await waitFor(panel.frame, () => globalThis.asked.length > 0, { timeout: 5_000 });
          assert.deepEqual(await panel.frame.evaluate(() => globalThis.asked), ['http://127.0.0.2/*']);
        } else {
          await atConnector(await panel.frame.$eval('button.grant', (b) => b.dataset.connector));
        }
        assert.ok(!demo.requests.some((r) => r.url.includes('127.0.0.2')), 'no request was sent');
        await page.close();
        const restore = await configure(ext, { baseUrl: demo.base, key });
        await restore.page.close();
      });

      test('options page: axe finds no serious problem, light or dark', async () => {
        let page = await openExtensionPage(ext, 'options.html');
        await waitLoaded(page);
        // No identifier patterns: a sentence instead of a table of bare headers (misc10).
        const patterns = () => page.evaluate(() => ({
          table: document.querySelector('table.patterns').getBoundingClientRect().height,
          empty: document.querySelector('#id_patterns_empty')?.getBoundingClientRect().height ?? 0,
          text: document.querySelector('#id_patterns_empty')?.textContent ?? '',
        }));
        const none = await patterns();
        assert.equal(none.table, 0, 'the empty table is not shown');
        assert.ok(none.empty > 0 && none.text === t('opt_no_patterns'), JSON.stringify(none));
        await page.click('#add_id_pattern');
        const one = await patterns();
        assert.ok(one.table > 0 && one.empty === 0, JSON.stringify(one));
        await page.close();
        page = await openExtensionPage(ext, 'options.html');
        await waitLoaded(page);
        for (const mode of ['light', 'dark']) {
          await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: mode }]).catch(() => {});
          const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
          if (dark !== (mode === 'dark')) continue;
          assert.deepEqual(await axeViolations(page), [], `options (${mode})`);
          await page.screenshot({ path: join(docs, `options-${tag}-${mode}.png`), clip: { x: 300, y: 0, width: 680, height: 800 } });
        }
        await page.close();
        if (!darkWorks) console.log(`# ${kind}: prefers-color-scheme cannot be switched per page here; dark mode is checked in a browser started dark (the suite below)`);
      });
    });
  }
}

/** The first opaque background colour from `#root` (or the body) up, as [r, g, b]. */
function background(target) {
  return target.evaluate(() => {
    for (let e = document.querySelector('#root') ?? document.body; e; e = e.parentElement) {
      const m = getComputedStyle(e).backgroundColor.match(/rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)/);
      if (m && (m[4] === undefined || Number(m[4]) > 0.5)) return [Number(m[1]), Number(m[2]), Number(m[3])];
    }
    return [255, 255, 255];
  });
}
const luminance = ([r, g, b]) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;

// Firefox takes no prefers-color-scheme emulation over WebDriver BiDi, and
// an extension frame does not follow a page's: the browser is started dark
// instead, the way a user's dark system theme starts it (the prefs below),
// and the panel and the options page are checked there.
if (BROWSERS.includes('firefox')) {
  describe('firefox: dark mode, the browser started dark', () => {
    const key = canaryKey();
    const shots = screenshotDir('test-screenshots/firefox-panelux');
    let demo;
    let ext;
    let env;
    before(async () => {
      env = await startConfigured('firefox', { key, browser: { firefoxPrefs: { 'ui.systemUsesDarkTheme': 1, 'layout.css.prefers-color-scheme.content-override': 0 } } });
      ({ demo, ext } = env);
    });
    after(() => env?.close());

    for (const [name, path, state] of [['panel-found', '/tickets/plain/1002', 'found'], ['panel-no-identifier', '/', 'no_identifier']]) {
      test(`${name}: dark, readable, axe finds no serious problem`, async () => {
        const page = await ext.browser.newPage();
        await page.goto(demo.base + path);
        const panel = await waitPanel(page, (p) => p.state === state, state);
        assert.equal(await panel.frame.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), true, 'the panel frame is dark');
        const bg = await background(panel.frame);
        assert.ok(luminance(bg) < 0.25, `the panel's background is dark: rgb(${bg})`);
        assert.deepEqual(await axeViolations(panel.frame), [], `${name} (dark)`);
        const box = await panel.frame.evaluate(() => ({ w: innerWidth, h: Math.ceil(document.querySelector('#root').getBoundingClientRect().bottom) }));
        const vp = page.viewport() ?? { width: 1280, height: 800 };
        await page.screenshot({ path: join(shots, `${name}-en-dark.png`), clip: { x: vp.width - box.w, y: 0, width: box.w, height: Math.min(vp.height, Math.max(box.h + 12, 120)) } });
        await page.close();
      });
    }

    test('options page: dark, axe finds no serious problem', async () => {
      const page = await openExtensionPage(ext, 'options.html');
      await waitLoaded(page);
      assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), true, 'the options page is dark');
      const bg = await background(page);
      assert.ok(luminance(bg) < 0.25, `the options page's background is dark: rgb(${bg})`);
      assert.deepEqual(await axeViolations(page), [], 'options (dark)');
      await page.screenshot({ path: join(shots, 'options-en-dark.png'), clip: { x: 300, y: 0, width: 680, height: 800 } });
      await page.close();
    });
  });
}
