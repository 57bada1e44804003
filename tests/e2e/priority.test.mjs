// End-to-end (issue 20, "apply priority"): in real Chromium and Firefox ESR,
// the demo's Zendesk-shaped ticket page (/agent/tickets/4711, known by the
// Zendesk site adapter through its detect selector) shows Mia Fischer, whom a
// VIP rule matches (platinum in the demo CRM). The Zendesk preset, pointed at
// the loopback Zendesk-shaped API (tests/presetapi), offers "Apply priority";
// nothing is sent until the agent confirms; then one PUT
// /api/v2/tickets/4711 {"ticket":{"priority":"urgent"}} (the ticket id from
// the adapter's URL shape), the write is shown done, and the ticket's
// priority is read back from the API's own store. Then the same in the
// browser's side panel (sidepanel.html, opened for the tab): the write-back
// actions are the injected panel's. Then with the lookup cache emptied (no
// fresh answer for the background's VIP check): the write is refused with
// "Refresh and apply again", nothing is sent or looked up until the agent
// clicks it; the click refreshes the panel (its own lookup, audited as any
// show) and sends the write once. What the panel receives names neither
// record by its id (only by its handle). The same refusal and its one
// click in the side panel.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { BROWSERS, addDemoHelpdesk, canaryKey, configure, fillField, openExtensionPage, panelState, screenshotDir, startSuite, until, waitLoaded, tabId as harnessTabId, setViewport, click } from './harness.mjs';
import { startZendesk, ZENDESK_DATA } from '../presetapi/server.mjs';

const ZD_TOKEN = `zd-${Math.random().toString(16).slice(2)}`;

for (const kind of BROWSERS) {
  describe(`${kind}: apply priority on a VIP's Zendesk ticket`, () => {
    const key = canaryKey();
    let demo;
    let zd;
    let ext;
    let data;
    let env;
    const shots = screenshotDir(`test-screenshots/${kind}`);

    before(async () => {
      // The demo page's ticket, Mia's, at normal priority in the API's store.
      data = structuredClone(ZENDESK_DATA);
      data.tickets.push({ id: 4711, requester_id: 381001, subject: 'Delivery of order ORD-2026-004211 delayed', status: 'open', priority: 'normal', type: 'incident', created_at: '2026-11-22T09:00:00Z', updated_at: '2026-11-22T09:00:00Z' });
      env = await startSuite(kind, { key, servers: { zd: () => startZendesk({ email: 'agent@acme-support.example', token: ZD_TOKEN, data }) } });
      ({ demo, zd, ext } = env);
    });
    after(() => env?.close());

    // The audit trail's entries' actions (storage.local, read by an extension page).
    async function audited() {
      const p = await openExtensionPage(ext, 'options.html');
      try {
        await waitLoaded(p);
        return await p.evaluate(async () => ((await (globalThis.browser ?? globalThis.chrome).storage.local.get('audit')).audit ?? []).map((e) => e.action));
      } finally {
        await p.close().catch(() => {});
      }
    }

    test('offered for the VIP, sent once after the confirmation, the priority read back from the API', async () => {
      const options = await openExtensionPage(ext, 'options.html');
      await waitLoaded(options);
      await options.click('#add_vip_rule');
      await fillField(options, '#vip_rule_rows fieldset.vip-rule:last-of-type [data-vip="name"]', 'Key account');
      await fillField(options, '#vip_rule_rows fieldset.vip-rule:last-of-type [data-vip="tiers"]', 'platinum, diamond');
      await addDemoHelpdesk(options, { base: zd.base, key: ZD_TOKEN });
      const saved = await configure(ext, { baseUrl: demo.base, key, page: options });
      assert.equal(saved.status.kind, 'ok', saved.status.text);
      await options.close();

      const page = await ext.browser.newPage();
      await setViewport(page, { width: 1280, height: 1000 });
      await page.goto(demo.base + '/agent/tickets/4711');
      const found = await until('Mia Fischer with the VIP badge', async () => {
        const p = await panelState(page);
        return { ok: p.state === 'found' && /Mia Fischer/.test(p.text) && /Key account/.test(p.text), ...p };
      }, 40_000);
      const { frame } = found;
      await frame.waitForSelector('#writeback .wb-apply-priority', { timeout: 20_000 });
      assert.equal(await frame.$eval('.wb-apply-priority', (e) => e.textContent), 'Apply priority "Urgent"', 'the vendor\'s word as the panel names it');
      // A helpdesk is not a CRM (misc10): two sources, so the heading names
      // neither and each row says where it writes.
      assert.equal(await frame.$eval('#writeback h3', (e) => e.textContent), 'Write back');
      assert.deepEqual(await frame.$$eval('#writeback .wb-to', (l) => l.map((e) => e.textContent)), ['To Deskside demo CRM', 'To Zendesk Support']);
      const puts = () => zd.requests.filter((r) => r.method === 'PUT');
      await click(frame, '.wb-apply-priority');
      await frame.waitForSelector('#wb-confirm-priority');
      assert.match(await frame.$eval('.wb-confirm-question', (e) => e.textContent), /^Set this ticket's priority to "Urgent" in .*Zendesk.*\?$/);
      // Cancel sends nothing.
      await click(frame, '#wb-form .wb-cancel');
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(puts().length, 0, 'nothing before the agent confirms');
      await click(frame, '.wb-apply-priority');
      await frame.waitForSelector('#wb-confirm-priority');
      await page.screenshot({ path: join(shots, 'apply-priority-confirm.png') });
      const shown = await audited();
      assert.ok(shown.includes('lookup'), `the customer shown was audited: ${shown}`);
      await click(frame, '#wb-confirm-priority');
      const done = await until('the priority write done', async () => {
        const li = await frame.$$eval('.wb-op[data-kind="priority"]', (l) => l.map((e) => ({ state: e.dataset.state, text: e.innerText })));
        return { ok: li.length === 1 && li[0].state === 'done', li };
      }, 30_000);
      assert.match(done.li[0].text, /Urgent/);
      await page.screenshot({ path: join(shots, 'apply-priority-done.png') });
      // Read back from the API's own store: exactly one update, to this ticket.
      assert.equal(data.tickets.find((t) => t.id === 4711).priority, 'urgent');
      assert.equal(data.tickets.find((t) => t.id === 4521).priority, 'high', 'no other ticket changed');
      assert.equal(puts().length, 1, JSON.stringify(puts()));
      assert.equal(puts()[0].path, '/api/v2/tickets/4711');
      assert.deepEqual(JSON.parse(puts()[0].body), { ticket: { priority: 'urgent' } });
      // The background's VIP check read the customer it showed from its cache:
      // not logged as shown a second time.
      // (The write itself is audited, once.)
      const after = await audited();
      const writes = (l) => l.filter((a) => a === 'write_priority');
      assert.deepEqual(after.filter((a) => a !== 'write_priority'), shown.filter((a) => a !== 'write_priority'), `the VIP check added no lookup entry: ${after}`);
      assert.equal(writes(after).length, writes(shown).length + 1, `${after}`);
      await page.close();
    });

    const tabId = (url) => harnessTabId(ext, url);

    test('the same in the browser\'s side panel', async () => {
      data.tickets.find((t) => t.id === 4711).priority = 'normal';
      const before = zd.requests.filter((r) => r.method === 'PUT').length;
      const { page: options, status } = await configure(ext, { baseUrl: demo.base, key, sidePanel: true });
      assert.equal(status.kind, 'ok', status.text);
      await options.close();
      const page = await ext.browser.newPage();
      const url = demo.base + '/agent/tickets/4711';
      await page.goto(url);
      const id = await until('the tab id', async () => {
        const t = await tabId(url);
        return { ok: Number.isInteger(t), t };
      });
      const side = await ext.browser.newPage();
      await setViewport(side, { width: 360, height: 900 });
      side.goto(`${ext.extensionBase}sidepanel.html?tab=${id.t}`).catch(() => {});
      await until('the side panel with the apply button', async () => {
        const info = await side.evaluate(() => ({ state: document.querySelector('#root')?.dataset.state, text: document.body.innerText, button: Boolean(document.querySelector('.wb-apply-priority')) }));
        return { ok: info.state === 'found' && /Mia Fischer/.test(info.text) && info.button, ...info };
      }, 40_000);
      await click(side, '.wb-apply-priority');
      await side.waitForSelector('#wb-confirm-priority');
      await click(side, '#wb-confirm-priority');
      await until('the priority write done in the side panel', async () => {
        const li = await side.$$eval('.wb-op[data-kind="priority"]', (l) => l.map((e) => e.dataset.state));
        // Newest first; the first test's write to this ticket is listed too.
        return { ok: li.length === 2 && li[0] === 'done', li };
      }, 30_000);
      await side.screenshot({ path: join(shots, 'side-panel-apply-priority.png') });
      assert.equal(data.tickets.find((t) => t.id === 4711).priority, 'urgent');
      assert.equal(zd.requests.filter((r) => r.method === 'PUT').length, before + 1, 'one PUT');
      await side.close();
      await page.close();
    });

    // The lookup cache emptied (as when its answers have aged out): the
    // background has no fresh answer to check the VIP rule against.
    async function forgetCachedAnswers() {
      const p = await openExtensionPage(ext, 'options.html');
      try {
        await waitLoaded(p);
        await p.evaluate(async () => {
          const local = (globalThis.browser ?? globalThis.chrome).storage.local;
          const keys = Object.keys(await local.get(null)).filter((k) => k.startsWith('lc:') || k === 'lookup_cache');
          await local.remove(keys);
        });
      } finally {
        await p.close().catch(() => {});
      }
    }

    test('no fresh answer for the VIP check: "Refresh and apply again" refreshes, then sends the write once', async () => {
      data.tickets.find((t) => t.id === 4711).priority = 'normal';
      // The panel in the page again (the test before chose the browser's side panel).
      const { page: options, status } = await configure(ext, { baseUrl: demo.base, key });
      assert.equal(status.kind, 'ok', status.text);
      await options.close();
      const puts = () => zd.requests.filter((r) => r.method === 'PUT').length;
      const lookups = (l) => l.filter((a) => a === 'lookup').length;
      const writes = (l) => l.filter((a) => a === 'write_priority').length;
      const opened = await audited();
      const page = await ext.browser.newPage();
      await setViewport(page, { width: 1280, height: 1000 });
      await page.goto(demo.base + '/agent/tickets/4711');
      const { frame } = await until('Mia Fischer with the VIP badge', async () => {
        const p = await panelState(page);
        return { ok: p.state === 'found' && /Mia Fischer/.test(p.text) && /Key account/.test(p.text), ...p };
      }, 40_000);
      await frame.waitForSelector('#writeback .wb-apply-priority', { timeout: 20_000 });
      const shown = await audited();
      // One show: an entry per connector asked.
      const perShow = lookups(shown) - lookups(opened);
      assert.ok(perShow >= 1, `${shown}`);
      // What the panel receives names no demo CRM or Zendesk record by its id
      // (outside the record row, shown as the admin allows, and the CRM links).
      const view = await frame.evaluate(async () => {
        const rt = (globalThis.browser ?? globalThis.chrome).runtime;
        const token = new URLSearchParams(location.hash.slice(1)).get('t');
        return rt.sendMessage({ type: 'GetPanelState', token });
      });
      const strip = (v) => (Array.isArray(v) ? v.filter((x) => x?.field !== 'record').map(strip) : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'url').map(([k, x]) => [k, strip(x)])) : v);
      assert.equal(view.state.customer.sources.length, 2, JSON.stringify(view.state.customer.sources));
      for (const s of view.state.customer.sources) assert.match(s.record, /^[0-9a-f]{32}$/);
      // The ids as the record rows show them (demo CRM and Zendesk: cus_1001, 381001).
      const ids = view.state.customer.details.filter((d) => d.field === 'record').map((d) => d.value);
      assert.deepEqual(ids, ['cus_1001', '381001']);
      const text = JSON.stringify(strip(view.state));
      for (const raw of ids) assert.ok(!text.includes(raw), `${raw} in ${text}`);
      const beforeRefused = await audited();
      const putsBefore = puts();
      await forgetCachedAnswers();
      await click(frame, '.wb-apply-priority');
      await frame.waitForSelector('#wb-confirm-priority');
      await click(frame, '#wb-confirm-priority');
      // Refused: the reason, and one button to refresh and apply again.
      await frame.waitForSelector('#wb-error:not([hidden]) #wb-refresh-apply', { timeout: 20_000 });
      // The sentence names the button under it, which does both (misc10).
      const said = await frame.$eval('#wb-error', (e) => [...e.childNodes].filter((n) => n.id !== 'wb-refresh-apply').map((n) => n.textContent).join(''));
      assert.ok(said.includes('“Refresh and apply again”'), said);
      assert.doesNotMatch(said, /click Refresh in the panel|then apply priority again/);
      assert.equal(await frame.$eval('#wb-refresh-apply', (e) => e.textContent), 'Refresh and apply again');
      await page.screenshot({ path: join(shots, 'apply-priority-refresh-offered.png') });
      // Nothing sent, looked up or audited until the agent clicks.
      await new Promise((r) => setTimeout(r, 1_500));
      assert.equal(puts(), putsBefore, 'no write without the click');
      assert.deepEqual(await audited(), beforeRefused, 'the refused write looked nothing up');
      const listed = await frame.$$eval('.wb-op[data-kind="priority"]', (l) => l.length);
      await click(frame, '#wb-refresh-apply');
      const done = await until('the refreshed panel applies the priority', async () => {
        const p = await panelState(page);
        const li = await p.frame.$$eval('.wb-op[data-kind="priority"]', (l) => l.map((e) => e.dataset.state)).catch(() => []);
        return { ok: p.state === 'found' && li.length === listed + 1 && li[0] === 'done' && puts() === putsBefore + 1, li, frame: p.frame };
      }, 40_000);
      await done.frame.$eval('#writeback', (e) => e.scrollIntoView());
      await page.screenshot({ path: join(shots, 'apply-priority-refreshed-done.png') });
      assert.equal(data.tickets.find((t) => t.id === 4711).priority, 'urgent');
      await new Promise((r) => setTimeout(r, 1_500));
      assert.equal(puts(), putsBefore + 1, 'sent once');
      assert.equal(await done.frame.$('#wb-refresh-apply'), null, 'the offer is gone');
      // The refresh's own lookup (one entry per connector, as any show) and the write: nothing more.
      const after = await audited();
      assert.equal(lookups(after) - lookups(beforeRefused), perShow, `${after}`);
      assert.equal(writes(after) - writes(beforeRefused), 1, `${after}`);
      // Refreshing again by hand sends nothing more.
      await click(done.frame, '#refresh');
      await new Promise((r) => setTimeout(r, 2_000));
      assert.equal(puts(), putsBefore + 1, 'no write after a later refresh');
      await page.close();
    });

    // The same refusal in the browser's side panel (sidepanel.html for the
    // tab: Chrome's side panel and Firefox's sidebar show this one page,
    // which the test opens as a tab of its own, as the test above): its
    // writes are `TabWrite`s and its refresh `RefreshTabPanel`.
    test('side panel: no fresh answer for the VIP check, "Refresh and apply again" refreshes, then sends the write once', async () => {
      data.tickets.find((t) => t.id === 4711).priority = 'normal';
      const { page: options, status } = await configure(ext, { baseUrl: demo.base, key, sidePanel: true });
      assert.equal(status.kind, 'ok', status.text);
      await options.close();
      const puts = () => zd.requests.filter((r) => r.method === 'PUT').length;
      const lookups = (l) => l.filter((a) => a === 'lookup').length;
      const writes = (l) => l.filter((a) => a === 'write_priority').length;
      const page = await ext.browser.newPage();
      const url = demo.base + '/agent/tickets/4711';
      await page.goto(url);
      const id = await until('the tab id', async () => {
        const t = await tabId(url);
        return { ok: Number.isInteger(t), t };
      });
      const opened = await audited();
      const side = await ext.browser.newPage();
      await setViewport(side, { width: 360, height: 900 });
      side.goto(`${ext.extensionBase}sidepanel.html?tab=${id.t}`).catch(() => {});
      const info = () => side.evaluate(() => ({
        state: document.querySelector('#root')?.dataset.state,
        text: document.body.innerText,
        ops: [...document.querySelectorAll('.wb-op[data-kind="priority"]')].map((e) => e.dataset.state),
        offer: Boolean(document.querySelector('#wb-refresh-apply')),
      }));
      await until('the side panel with the apply button', async () => {
        const i = await side.evaluate(() => ({ state: document.querySelector('#root')?.dataset.state, text: document.body.innerText, button: Boolean(document.querySelector('.wb-apply-priority')) }));
        return { ok: i.state === 'found' && /Mia Fischer/.test(i.text) && /Key account/.test(i.text) && i.button, ...i };
      }, 40_000);
      const shown = await audited();
      const perShow = lookups(shown) - lookups(opened);
      assert.ok(perShow >= 1, `the side panel's show was audited: ${shown}`);
      // Each source's greyed-out write buttons say why once, under them (not once per button).
      const reasons = await side.$$eval('.wb-source', (rows) => rows.map((r) => [...r.querySelectorAll('.wb-unavailable')].map((e) => e.textContent)));
      assert.equal(reasons.length, 2, JSON.stringify(reasons));
      for (const r of reasons) assert.deepEqual(r, [...new Set(r)], `a reason said twice: ${JSON.stringify(reasons)}`);
      assert.ok(reasons.every((r) => r.length === 1 && /write definition/.test(r[0])), JSON.stringify(reasons));
      const beforeRefused = await audited();
      const putsBefore = puts();
      await forgetCachedAnswers();
      await click(side, '.wb-apply-priority');
      await side.waitForSelector('#wb-confirm-priority');
      await click(side, '#wb-confirm-priority');
      await side.waitForSelector('#wb-error:not([hidden]) #wb-refresh-apply', { timeout: 20_000 });
      const sideSaid = await side.$eval('#wb-error', (e) => [...e.childNodes].filter((n) => n.id !== 'wb-refresh-apply').map((n) => n.textContent).join(''));
      assert.ok(sideSaid.includes('“Refresh and apply again”'), sideSaid);
      assert.doesNotMatch(sideSaid, /click Refresh in the panel|then apply priority again/);
      assert.equal(await side.$eval('#wb-refresh-apply', (e) => e.textContent), 'Refresh and apply again');
      await side.$eval('#wb-error', (e) => e.scrollIntoView({ block: 'center' }));
      await side.screenshot({ path: join(shots, 'side-panel-refresh-offered.png') });
      // Nothing sent, looked up or audited until the agent clicks.
      await new Promise((r) => setTimeout(r, 1_500));
      assert.equal(puts(), putsBefore, 'no write without the click');
      assert.deepEqual(await audited(), beforeRefused, 'the refused write looked nothing up');
      assert.equal(data.tickets.find((t) => t.id === 4711).priority, 'normal');
      const listed = (await info()).ops.length;
      await click(side, '#wb-refresh-apply');
      const done = await until('the refreshed side panel applies the priority', async () => {
        const i = await info();
        return { ok: i.state === 'found' && i.ops.length === listed + 1 && i.ops[0] === 'done' && puts() === putsBefore + 1, ...i };
      }, 40_000);
      assert.equal(done.offer, false, 'the offer is gone');
      await side.$eval('#wb-list', (e) => e.scrollIntoView({ block: 'center' }));
      await side.screenshot({ path: join(shots, 'side-panel-refreshed-done.png') });
      assert.equal(data.tickets.find((t) => t.id === 4711).priority, 'urgent');
      await new Promise((r) => setTimeout(r, 1_500));
      assert.equal(puts(), putsBefore + 1, 'sent once');
      const last = zd.requests.filter((r) => r.method === 'PUT').at(-1);
      assert.equal(last.path, '/api/v2/tickets/4711');
      assert.deepEqual(JSON.parse(last.body), { ticket: { priority: 'urgent' } });
      // The refresh's own lookup (one entry per connector, as any show) and the write: nothing more.
      const after = await audited();
      assert.equal(lookups(after) - lookups(beforeRefused), perShow, `${after}`);
      assert.equal(writes(after) - writes(beforeRefused), 1, `${after}`);
      // Refreshing again by hand sends nothing more.
      await click(side, '#refresh');
      await new Promise((r) => setTimeout(r, 2_000));
      assert.equal(puts(), putsBefore + 1, 'no write after a later refresh');
      await side.close();
      await page.close();
    });
  });
}
