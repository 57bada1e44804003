// End-to-end: the extension reloaded or updated while a helpdesk ticket is
// open, in real Chromium and Firefox ESR. Either browser ends (Firefox) or
// cuts off (Chromium) the page's content script, and leaves the panel frame
// on the page without a runtime: before, its next question was never
// answered and it showed "Looking up…" for good.
// 1. The new version's background injects the content script into the open
//    tabs of the configured sites (runtime.onInstalled), which replaces the
//    old panel: the customer is shown again without the agent doing anything,
//    in one panel, and the page was not reloaded.
// 2. A tab it does not inject into (here: its site was not configured when the
//    update started): the old frame, asked to refresh, says Deskside was
//    updated and offers "Reload this page", which loads the page again and
//    brings the panel back (an address with a #fragment too: loaded again,
//    not just scrolled to the fragment).
// Self-contained (its own demo server and browser). Chromium's update is the
// unpacked extension loaded again; Firefox's, `runtime.reload()`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { canaryKey, configure, DIST, launch, openExtensionPage, startDemo, until, waitLoaded, click } from './harness.mjs';

const BROWSERS = (process.env.DESKSIDE_BROWSERS || 'chromium,firefox').split(',');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every panel frame in the page: its token, state and text. */
async function panels(page) {
  const out = [];
  for (const frame of page.frames()) {
    const info = await frame.evaluate(() => (location.pathname.endsWith('/panel.html')
      ? { token: new URLSearchParams(location.hash.slice(1)).get('t'), state: document.querySelector('#root')?.dataset.state, text: document.body.innerText }
      : null)).catch(() => null);
    if (info) out.push({ frame, ...info });
  }
  return out;
}

/**
 * Updates the extension in place and waits until its pages load again.
 * Chromium: the unpacked extension loaded again (DevTools'
 * `Extensions.loadUnpacked`, the same id: an update; `runtime.reload()` of an
 * unpacked extension leaves it unloaded, loaded either way). Firefox:
 * `runtime.reload()` from one of its pages (the temporary add-on reinstalled).
 */
async function reloadExtension(ext) {
  if (ext.kind === 'chromium') {
    await ext.browser.installExtension(join(DIST, 'chrome'));
  } else {
    const options = await openExtensionPage(ext, 'options.html');
    await waitLoaded(options);
    await options.evaluate(() => { setTimeout(() => (globalThis.browser ?? globalThis.chrome).runtime.reload(), 50); });
    await sleep(1_500);
    await options.close().catch(() => {});
  }
  await until('the extension loaded again', async () => {
    const p = await openExtensionPage(ext, 'options.html');
    try {
      await waitLoaded(p, { timeout: 3_000 });
      return { ok: true };
    } finally {
      await p.close().catch(() => {});
    }
  }, 30_000);
}

for (const kind of BROWSERS) {
  describe(`${kind}: the extension updated while a ticket is open`, () => {
    const key = canaryKey();
    let demo;
    let ext;

    before(async () => {
      demo = await startDemo({ key });
      ext = await launch(kind);
    });
    after(async () => {
      await ext?.close();
      demo?.stop();
    });

    async function ticketWithCustomer(hash = '') {
      const page = await ext.browser.newPage();
      await page.goto(demo.base + '/tickets/plain/1002' + hash);
      const [first] = (await until('the customer in the panel', async () => {
        const found = (await panels(page)).filter((p) => p.state === 'found' && /李娜/.test(p.text));
        return { ok: found.length === 1, found };
      })).found;
      // Gone if the page loads again.
      await page.evaluate(() => { globalThis.__notReloaded = true; });
      return { page, token: first.token };
    }

    test('the panel comes back by itself: the new version injects its content script into the open ticket', async () => {
      const saved = await configure(ext, { baseUrl: demo.base, key });
      assert.equal(saved.status.kind, 'ok', saved.status.text);
      await saved.page.close();
      const { page, token } = await ticketWithCustomer();
      await reloadExtension(ext);
      const s = await until('a new panel with the customer, the old one gone', async () => {
        const all = await panels(page);
        const hosts = await page.evaluate(() => document.querySelectorAll('deskside-panel').length);
        return { ok: hosts === 1 && all.length === 1 && all[0].token !== token && all[0].state === 'found', hosts, all: all.map(({ token: t, state }) => ({ t, state })), text: all[0]?.text };
      }, 30_000);
      assert.match(s.text, /李娜/);
      assert.equal(await page.evaluate(() => globalThis.__notReloaded), true, 'the page was not reloaded');
      // The new panel is live: Refresh is answered.
      const [fresh] = await panels(page);
      await click(fresh.frame, '#refresh');
      await until('the refreshed customer', async () => {
        const [p] = await panels(page);
        return { ok: p?.state === 'found' && /李娜/.test(p.text), state: p?.state };
      });
      await page.close();
    });

    // With a #fragment in the address too: sending the window to the same
    // address would only scroll to the fragment (the page not loaded again).
    for (const hash of ['', '#latest']) test(`a tab it does not inject into${hash ? ', its address with a #fragment' : ''}: the cut-off panel says Deskside was updated, and "Reload this page" brings it back`, async () => {
      const saved = await configure(ext, { baseUrl: demo.base, key });
      assert.equal(saved.status.kind, 'ok', saved.status.text);
      await saved.page.close();
      const { page, token } = await ticketWithCustomer(hash);
      // The site is no longer configured when the update starts: the new
      // background injects nothing into this tab.
      const off = await configure(ext, { baseUrl: demo.base, key, sites: ['http://localhost/*'] });
      assert.equal(off.status.kind, 'ok', off.status.text);
      await off.page.close();
      await reloadExtension(ext);
      await sleep(1_000);
      const [old] = await panels(page);
      assert.equal(old?.token, token, 'the old frame is still on the page');
      // The agent asks the old frame again: no "Looking up…" for good.
      await click(old.frame, '#refresh');
      const cut = await until('the cut-off state', async () => {
        const [p] = await panels(page);
        return { ok: p?.state === 'updated', state: p?.state, text: p?.text };
      }, 20_000);
      assert.match(cut.text, /Deskside was updated or restarted/);
      // The site configured again, then the agent's click.
      const on = await configure(ext, { baseUrl: demo.base, key });
      assert.equal(on.status.kind, 'ok', on.status.text);
      await on.page.close();
      const [cutOff] = await panels(page);
      const reload = await cutOff.frame.$('#body button.action');
      assert.equal(await reload.evaluate((e) => e.textContent), 'Reload this page');
      await click(reload);
      await until('the page loaded again', async () => ({ ok: (await page.evaluate(() => globalThis.__notReloaded).catch(() => true)) === undefined }), 20_000);
      const back = await until('the panel back with the customer', async () => {
        const all = await panels(page);
        return { ok: all.length === 1 && all[0].state === 'found' && all[0].token !== token, all: all.map(({ state }) => state), text: all[0]?.text };
      }, 30_000);
      assert.match(back.text, /李娜/);
      // The same ticket, its fragment kept.
      assert.equal(new URL(page.url()).pathname, '/tickets/plain/1002');
      assert.equal(new URL(page.url()).hash, hash);
      await page.close();
    });
  });
}
