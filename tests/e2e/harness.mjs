// Shared by the end-to-end tests and the demo: starts the demo server and a
// real browser (Debian's Chromium or Firefox ESR) with the built extension.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = join(ROOT, 'dist');
/** The browsers the suites run in: DESKSIDE_BROWSERS (comma-separated), by default both. */
export const BROWSERS = (process.env.DESKSIDE_BROWSERS || 'chromium,firefox').split(',');
const FIREFOX_ID = 'deskside@deskside.example';
const FIREFOX_UUID = '5e0c6a1e-7d2b-4c1a-9f3e-d35c51de0001';

/** A fresh key per run: if it shows up anywhere it must not, a test sees it. */
export function canaryKey() {
  return `canary-${randomBytes(12).toString('hex')}`;
}

/** Starts `deskside-demo` on a free loopback port; resolves once it listens. */
export async function startDemo({ key, port = 0 } = {}) {
  const bin = join(ROOT, 'target/release/deskside-demo');
  const args = ['--port', String(port)];
  if (key) args.push('--key', key);
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const requests = [];
  let buffered = '';
  const base = await new Promise((resolveBase, reject) => {
    const timer = setTimeout(() => reject(new Error('demo server did not start in 10 s')), 10_000);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`demo server exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const m = /^listening on (\S+)/.exec(line);
        if (m) { clearTimeout(timer); resolveBase(m[1]); }
        const r = /^request (\S+) (\S+) auth=(yes|no) status=(\d+)/.exec(line);
        if (r) requests.push({ method: r[1], url: r[2], auth: r[3] === 'yes', status: Number(r[4]) });
      }
    });
  });
  return { base, requests, stop: () => child.kill() };
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];

/**
 * Chromium with the unpacked extension at `dir`, and the extension's base
 * URL (from its service worker). Loaded with `--load-extension` (the
 * recipe of shared/TOOLCHAIN.md); a Chromium that ignores that switch gets
 * it through DevTools' `Extensions.loadUnpacked` instead (puppeteer's
 * `enableExtensions`). Debian's Chromium 148 answers puppeteer's
 * `enableExtensions` with "Method not available" (it does not pass
 * `--enable-unsafe-extension-debugging` there), and later Chromes may drop
 * the switch.
 */
async function launchChromium(dir, { headless, profile, viewport, args, env }) {
  const common = { browser: 'chrome', executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium', headless, pipe: true, userDataDir: profile, defaultViewport: viewport, env };
  const worker = (browser, timeout) => browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'), { timeout });
  const byFlag = await puppeteer.launch({
    ...common, ignoreDefaultArgs: ['--disable-extensions'],
    // (And DevTools' `Extensions.loadUnpacked` allowed, which an in-place update uses: tests/e2e/update.test.mjs.)
    args: [...args, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`, '--enable-unsafe-extension-debugging'],
  });
  const found = await worker(byFlag, 15_000).catch(() => null);
  if (found) return { browser: byFlag, extensionBase: new URL('/', found.url()).href };
  await byFlag.close().catch(() => {});
  const byProtocol = await puppeteer.launch({ ...common, enableExtensions: [dir], args });
  return { browser: byProtocol, extensionBase: new URL('/', (await worker(byProtocol, 15_000)).url()).href };
}

/**
 * Launches a browser with the built extension, its language set to `lang`
 * (a BCP 47 tag: the UI and the pages' preferred language). Returns the
 * browser, the extension's base URL and a close function. `dir`: another
 * build of the extension than dist/ (tests/bench/product.mjs compares two).
 */
export async function launch(kind, { headless = true, viewport = { width: 1280, height: 800 }, lang = 'en-US', env: extraEnv = {}, firefoxPrefs = {}, chromiumArgs = [], dir } = {}) {
  const profile = mkdtempSync(join(tmpdir(), `deskside-${kind}-`));
  let browser;
  let extensionBase;
  if (kind === 'chromium') {
    ({ browser, extensionBase } = await launchChromium(dir ?? join(DIST, 'chrome'), {
      headless, profile, viewport,
      args: [...CHROMIUM_ARGS, `--lang=${lang}`, `--accept-lang=${lang}`, `--window-size=${viewport.width},${viewport.height + 100}`, ...chromiumArgs],
      env: { ...process.env, LANGUAGE: lang.replace('-', '_'), LANG: `${lang.replace('-', '_')}.UTF-8`, ...extraEnv },
    }));
  } else if (kind === 'firefox') {
    browser = await puppeteer.launch({
      browser: 'firefox', executablePath: process.env.FIREFOX_BIN || '/usr/bin/firefox-esr', headless, userDataDir: profile,
      defaultViewport: viewport,
      // A fixed extension UUID so the test knows the options page's URL.
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ID]: FIREFOX_UUID }),
        // The app locale (needs a langpack to change the browser's own UI) and the pages' languages.
        'intl.locale.requested': lang, 'intl.accept_languages': lang,
        ...firefoxPrefs,
      },
      // Lets WebDriver BiDi reach moz-extension:// documents.
      args: ['--remote-allow-system-access'],
      // `extraEnv`: e.g. a HOME holding ~/.mozilla/managed-storage (tests/e2e/profiles.test.mjs).
      env: { ...process.env, ...extraEnv },
    });
    await browser.installExtension(dir ?? join(DIST, 'firefox'));
    extensionBase = `moz-extension://${FIREFOX_UUID}/`;
  } else {
    throw new Error(`unknown browser ${kind}`);
  }
  const close = async () => {
    await browser.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  return { kind, browser, extensionBase, close };
}

/**
 * Opens an extension page. Firefox does not report navigations into
 * moz-extension:// to WebDriver, so the navigation is not awaited; the
 * caller waits for something on the page instead.
 */
export async function openExtensionPage(ext, path) {
  const page = await ext.browser.newPage();
  const url = ext.extensionBase + path;
  if (ext.kind === 'firefox') page.goto(url, { timeout: 60_000 }).catch(() => {});
  else await page.goto(url);
  return page;
}

/**
 * Waits for an extension page to mark itself loaded. Retries: in Firefox the
 * wait may start on the about:blank that the navigation then replaces, which
 * ends that wait with an error rather than a match.
 */
export async function waitLoaded(page, { timeout = 20_000 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      await page.waitForSelector('body[data-loaded="true"]', { timeout: Math.max(1, deadline - Date.now()) });
      return;
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`the extension page did not load: ${last?.message}`);
}

async function setValue(page, selector, value) {
  await page.$eval(selector, (e, v) => { e.value = v; e.dispatchEvent(new Event('input', { bubbles: true })); }, value);
}

/** Fills and saves the options page like an admin would; returns the page and the status. */
export async function configure(ext, { baseUrl, key, sites = ['http://127.0.0.1/*'], teamDomains = ['acme-support.example'], expanded = true, sidePanel = false, page } = {}) {
  page = page ?? await openExtensionPage(ext, 'options.html');
  await waitLoaded(page);
  // The admin's "open the panel expanded": most tests read the whole panel.
  await page.$eval('#panel_opens_expanded', (e, v) => { e.checked = v; }, expanded);
  await page.$eval('#side_panel', (e, v) => { e.checked = v; }, sidePanel);
  if (baseUrl !== undefined) await setValue(page, '#base_url', baseUrl);
  if (key !== undefined) await setValue(page, '#api_key', key);
  await setValue(page, '#sites', sites.join('\n'));
  await setValue(page, '#team_domains', teamDomains.join('\n'));
  await page.$eval('#status', (e) => { e.textContent = ''; e.dataset.kind = ''; });
  await page.click('#save');
  await waitFor(page, () => ['ok', 'error'].includes(document.querySelector('#status').dataset.kind), { timeout: 20_000 });
  const status = await page.$eval('#status', (e) => ({ kind: e.dataset.kind, text: e.textContent }));
  return { page, status };
}

const FINAL = new Set(['found', 'choose', 'not_found', 'no_identifier', 'not_configured', 'error', 'failed', 'list', 'refused']);

/** Waits for the panel frame in `page` to reach a final state; returns it with its text. */
export async function panelState(page, { timeout = 20_000 } = {}) {
  const deadline = Date.now() + timeout;
  let last = 'no panel frame';
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      let info;
      try {
        info = await frame.evaluate(() => (location.pathname.endsWith('/panel.html')
          ? { state: document.querySelector('#root')?.dataset.state, text: document.body.innerText } : null));
      } catch { continue; }
      if (info) {
        last = `panel in state ${info.state}`;
        if (FINAL.has(info.state)) return { frame, ...info };
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the panel did not settle within ${timeout} ms (${last})`);
}

export function screenshotDir(name) {
  const dir = join(DIST, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Polls `fn` (every 150 ms) until it returns `{ ok: true, … }`; fails with `what` and the last answer. */
export async function until(what, fn, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await fn().catch((e) => ({ error: e.message }));
    if (last?.ok) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what}: ${JSON.stringify(last)}`);
}

/**
 * Waits until `fn` (run in `target`, a page or a frame, with `args`) gives
 * a truthy answer; throws after `timeout` ms. Polls with `evaluate`, not
 * puppeteer's `waitForFunction`: that builds its predicate with `Function()`
 * inside the page, which Firefox ESR 140.10 refuses on the extension's own
 * pages ("call to Function() blocked by CSP").
 */
export async function waitFor(target, fn, { timeout = 30_000 } = {}, ...args) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await target.evaluate(fn, ...args)) return;
      last = undefined;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`waited ${timeout} ms for ${String(fn).slice(0, 160)}${last ? ` (last error: ${last.message})` : ''}`);
}

/**
 * `page.setViewport(viewport)`, in Firefox ESR 140.10 too: puppeteer sends
 * WebDriver BiDi's `emulation.setScreenOrientationOverride` beside the
 * size, a command that Firefox answers "unknown command" (the size is set
 * all the same); that one refusal is let go, any other error is thrown.
 */
export async function setViewport(page, viewport) {
  try {
    await page.setViewport(viewport);
  } catch (e) {
    if (!/unknown command emulation\.setScreenOrientationOverride/.test(e.message)) throw e;
  }
}

/**
 * Clicks `selector` in `target` (a page, or a frame such as the panel's),
 * or `target` itself when it is an element handle and no selector is given,
 * as puppeteer's `click` does, with the mouse at the element's centre. In
 * a frame, Firefox ESR 140.10 cannot give puppeteer that point: WebDriver
 * BiDi's `browsingContext.locateNodes` refuses the "context" locator that
 * finds a frame's own element ('Expected "locator.type" to be one of
 * accessibility,css,innerText,xpath'), before any mouse event is sent. On
 * that refusal alone the element is clicked in the frame's DOM instead.
 */
export async function click(target, selector) {
  try {
    await (selector === undefined ? target.click() : target.click(selector));
  } catch (e) {
    if (!/locator\.type.*"context"/.test(e.message)) throw e;
    await (selector === undefined ? target.evaluate((el) => el.click()) : target.$eval(selector, (el) => el.click()));
  }
}

/** Types `value` into the options page's field `selector` as an admin would (an input event follows). */
export async function fillField(page, selector, value) {
  await page.$eval(selector, (e, v) => { e.value = v; e.dispatchEvent(new Event('input', { bubbles: true })); }, value);
}

/** Clicks Save on the options page and waits for its outcome: `{kind: 'ok'|'error', text}`. */
export async function saveOptions(page, { timeout = 30_000 } = {}) {
  await page.$eval('#status', (e) => { e.textContent = ''; e.dataset.kind = ''; });
  await page.click('#save');
  await waitFor(page, () => ['ok', 'error'].includes(document.querySelector('#status').dataset.kind), { timeout });
  return page.$eval('#status', (e) => ({ kind: e.dataset.kind, text: e.textContent }));
}

/** The demo helpdesk API's user (Zendesk's form: an agent's address and /token); the password is the demo's key. */
export const DEMO_HELPDESK_AGENT = 'agent@acme-support.example/token';

/**
 * On an open options page: adds connector 2, the Zendesk preset (a helpdesk)
 * pointed at the demo's Zendesk-shaped API, and marks the demo CRM's own
 * contact pages (`/crm/*`) as CRM pages. Save afterwards (e.g. `configure`).
 */
export async function addDemoHelpdesk(page, { base, key }) {
  await page.click('#add_connector');
  await page.waitForSelector('#kind-1');
  await page.select('#kind-1', 'zendesk');
  await waitFor(page, () => !document.querySelector('#username-1')?.closest('label').hidden, { timeout: 10_000 });
  await fillField(page, '#base_url-1', base);
  await fillField(page, '#username-1', DEMO_HELPDESK_AGENT);
  await fillField(page, '#password-1', key);
  await fillField(page, '#crm_pages', 'http://127.0.0.1/crm/*');
}

/** The browser's id of the tab showing `url`, asked from an extension context (the worker in Chromium, an extension page in Firefox). */
export async function tabId(ext, url) {
  if (ext.kind === 'chromium') {
    const target = await ext.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'));
    const worker = await target.worker();
    return worker.evaluate(async (u) => (await chrome.tabs.query({})).find((x) => x.url === u)?.id, url);
  }
  const page = await ext.browser.newPage();
  page.goto(`${ext.extensionBase}options.html`).catch(() => {});
  await until('an extension page', async () => ({ ok: await page.evaluate(() => location.protocol === 'moz-extension:') }));
  const id = await page.evaluate(async (u) => (await browser.tabs.query({})).find((x) => x.url === u)?.id, url);
  await page.close();
  return id;
}

/**
 * Chromium: stops the extension's service worker through the DevTools
 * protocol (`Target.closeTarget` on its target), as the browser does to an
 * idle worker, and waits until it is gone. (Firefox has no such command:
 * the suites reload the extension instead.)
 */
export async function stopServiceWorker(ext) {
  const cdp = await ext.browser.target().createCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.endsWith('/background.js'));
    if (!sw) throw new Error('no service worker target to stop');
    await cdp.send('Target.closeTarget', { targetId: sw.targetId });
    await until('the service worker stopped', async () => {
      const { targetInfos: now } = await cdp.send('Target.getTargets');
      return { ok: !now.some((t) => t.targetId === sw.targetId) };
    }, 10_000);
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** Stops one started server; its stop() may be sync or async, and may already have run (a suite that stops it on purpose). */
async function stopQuietly(server) {
  try {
    await server?.stop();
  } catch { /* already stopped */ }
}

/**
 * One suite's before(): starts what the suite runs against and the browser.
 * - `key`: the demo CRM's API key (undefined: the demo asks for none).
 * - `demo`: false for a suite with no demo server.
 * - `servers`: more servers, `{ name: () => startX(…) }`, each resolving to
 *   something with `stop()`; started in order after the demo, each returned
 *   under its name.
 * - `browser`: launch()'s options (`lang`, `env`, `firefoxPrefs`, …).
 * Returns `{ ext, demo, …servers, close }`; `close()` (the suite's after())
 * closes the browser, then stops the demo and the servers. If a step fails,
 * what was already started is stopped before the error is thrown.
 */
export async function startSuite(kind, { key, demo = true, servers = {}, browser = {} } = {}) {
  const env = {};
  const started = [];
  env.close = async () => {
    await env.ext?.close();
    for (const server of started.reverse()) await stopQuietly(server);
    started.length = 0;
  };
  try {
    if (demo) started.push(env.demo = await startDemo({ key }));
    for (const [name, start] of Object.entries(servers)) {
      if (name in env || name === 'ext') throw new Error(`startSuite: the server name ${name} is taken`);
      started.push(env[name] = await start());
    }
    env.ext = await launch(kind, browser);
  } catch (e) {
    await env.close();
    throw e;
  }
  return env;
}

/**
 * startSuite, then the demo CRM's connector saved through the options page
 * (configure() with the demo's address and `key`, plus `configure`'s
 * options: `expanded`, `sidePanel`, …). Throws unless the options page said
 * Saved; the page is closed.
 */
export async function startConfigured(kind, { configure: settings = {}, ...options } = {}) {
  if (options.demo === false) throw new Error('startConfigured configures the demo CRM: use startSuite without one');
  const env = await startSuite(kind, options);
  try {
    const { page, status } = await configure(env.ext, { baseUrl: env.demo.base, key: options.key, ...settings });
    if (status.kind !== 'ok') throw new Error(`the options page did not save: ${status.text}`);
    await page.close();
  } catch (e) {
    await env.close();
    throw e;
  }
  return env;
}

/**
 * Clicks "This one" in a panel frame's record chooser for the record whose id
 * the chooser shows as `shown`. The button holds an opaque handle the
 * background resolves, never the record's id (which it checks).
 */
export async function chooseRecord(frame, shown, scope = 'section.matches:not([hidden])') {
  const found = await frame.evaluate((scope, shown) => {
    const items = [...document.querySelectorAll(`${scope} li.match`)];
    const li = items.find((x) => x.querySelector('.match-id')?.textContent === shown);
    const ids = items.map((x) => x.querySelector('button.choose-record')?.dataset.record ?? '');
    return { index: li ? items.indexOf(li) : -1, ids, shown: items.map((x) => x.querySelector('.match-id')?.textContent ?? '') };
  }, scope, shown);
  if (found.index < 0) throw new Error(`no record shown as ${shown} in the chooser: ${JSON.stringify(found.shown)}`);
  if (found.ids.some((h) => found.shown.includes(h) || !/^[0-9a-f]{32}$/.test(h))) throw new Error(`the chooser holds record ids: ${JSON.stringify(found.ids)}`);
  const buttons = await frame.$$(`${scope} li.match button.choose-record`);
  await click(buttons[found.index]);
}

/**
 * Where the text in `selector` (in `target`) wraps onto a new line: for each
 * line after the first, the character it starts with and the one before it
 * (text inside buttons and source tags left out).
 */
export async function lineStarts(target, selector) {
  return target.$eval(selector, (e) => {
    const starts = [];
    const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    let top = null;
    let prev = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest('button, .src')) continue;
      for (let i = 0; i < n.data.length; i++) {
        const r = document.createRange();
        r.setStart(n, i);
        r.setEnd(n, i + 1);
        const box = r.getClientRects()[0];
        if (!box) continue;
        if (top !== null && box.top > top + 2) starts.push({ before: prev, at: n.data[i] });
        top = box.top;
        prev = n.data[i];
      }
    }
    return starts;
  });
}
