// End-to-end (issue 20): VIP rules and the other direction, in real Chromium
// and Firefox ESR against the demo server. A VIP rule set on the options page
// gives a matching customer a badge with the rule's name (in the card and on
// the collapsed tab), and nobody else. On a CRM contact page (the demo's
// HubSpot imitation, known by its site adapter, and the demo CRM's own page,
// marked by the admin's pattern) the panel asks the helpdesk connector (the
// Zendesk preset, pointed at the demo's Zendesk-shaped API) and not the CRM,
// and lists the contact's tickets: open ones first, then newest first, each
// with a link to it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { BROWSERS, addDemoHelpdesk, canaryKey, configure, fillField, openExtensionPage, panelState, screenshotDir, startSuite, until, waitLoaded } from './harness.mjs';

for (const kind of BROWSERS) {
  describe(`${kind}: VIP rules and the helpdesk's tickets on CRM pages`, () => {
    const key = canaryKey();
    let demo;
    let ext;
    let env;
    const shots = screenshotDir(`test-screenshots/${kind}`);

    before(async () => {
      env = await startSuite(kind, { key });
      ({ demo, ext } = env);
    });
    after(() => env?.close());

    async function open(path) {
      const page = await ext.browser.newPage();
      await page.goto(demo.base + path);
      return page;
    }

    /** Polls the panel until `ok(state)`; returns the last state. */
    async function settle(page, what, ok) {
      return until(what, async () => {
        const p = await panelState(page);
        return { ok: ok(p), ...p };
      }, 30_000);
    }

    /** Adds a VIP rule on the options page as an admin would. */
    async function addRule(page, fields) {
      await page.click('#add_vip_rule');
      const n = await page.$$eval('#vip_rule_rows fieldset.vip-rule', (l) => l.length);
      for (const [field, value] of Object.entries(fields)) {
        await fillField(page, `#vip_rule_rows fieldset.vip-rule:nth-of-type(${n}) [data-vip="${field}"]`, value);
      }
    }

    test('VIP: a customer matching a rule shows its name as a badge, in the card and on the collapsed tab; another shows none', async () => {
      const options = await openExtensionPage(ext, 'options.html');
      await waitLoaded(options);
      // A rule with a bad currency is refused, naming the field.
      await addRule(options, { name: 'Big spender', min_lifetime_value: '10000', currency: 'dollars' });
      let saved = await configure(ext, { baseUrl: demo.base, key, page: options });
      assert.equal(saved.status.kind, 'error', saved.status.text);
      assert.match(await options.$eval('fieldset.vip-rule [data-error-for="currency"]', (e) => e.textContent), /not a currency code/);
      await options.$eval('fieldset.vip-rule .remove', (b) => b.click());
      await addRule(options, { name: 'Key account', tiers: 'platinum, diamond' });
      saved = await configure(ext, { baseUrl: demo.base, key, page: options });
      assert.equal(saved.status.kind, 'ok', saved.status.text);
      await options.screenshot({ path: join(shots, 'options-vip-rules.png'), fullPage: true });
      await options.close();

      // Mia Fischer is platinum in the demo CRM: the rule's name.
      const mia = await open('/tickets/strict/1001');
      const found = await settle(mia, 'Mia Fischer with the badge', (p) => p.state === 'found' && /Mia Fischer/.test(p.text));
      assert.equal(await found.frame.$eval('.customer .head .vip', (e) => e.textContent), 'Key account');
      assert.match(await found.frame.$eval('.customer .head .vip', (e) => e.title), /VIP rule: Key account/);
      await mia.screenshot({ path: join(shots, 'vip-badge.png') });
      await mia.close();
      // 李娜 is gold: no badge.
      const li = await open('/tickets/plain/1002');
      const plain = await settle(li, '李娜 without a badge', (p) => p.state === 'found' && /李娜/.test(p.text));
      assert.equal(await plain.frame.$$eval('.vip', (l) => l.length), 0, plain.text);
      await li.close();

      // Collapsed: the tab carries the badge too.
      const collapsed = await configure(ext, { baseUrl: demo.base, key, expanded: false });
      assert.equal(collapsed.status.kind, 'ok', collapsed.status.text);
      await collapsed.page.close();
      const tab = await open('/tickets/strict/1001');
      const small = await settle(tab, 'the collapsed tab with the badge', (p) => p.state === 'found' && /Mia Fischer/.test(p.text));
      assert.equal(await small.frame.$eval('button.tab .vip', (e) => e.textContent), 'Key account');
      await tab.screenshot({ path: join(shots, 'vip-badge-tab.png') });
      await tab.close();
    });

    test('a CRM contact page shows the contact\'s helpdesk tickets, open first then newest first, from the helpdesk connector only', async () => {
      const options = await openExtensionPage(ext, 'options.html');
      await waitLoaded(options);
      // Connector 2: the Zendesk preset (a helpdesk), its address overridden
      // with the demo's; the demo CRM's own contact pages by the admin's pattern.
      await addDemoHelpdesk(options, { base: demo.base, key });
      assert.equal(await options.$eval('#crm_pages', (e) => e.value), 'http://127.0.0.1/crm/*');
      const saved = await configure(ext, { baseUrl: demo.base, key, page: options });
      assert.equal(saved.status.kind, 'ok', saved.status.text);
      await options.close();

      const crmAsked = () => demo.requests.filter((r) => r.url.startsWith('/api/v1/')).length;
      const before = crmAsked();
      // The HubSpot imitation: a CRM page by its site adapter.
      const hub = await open('/contacts/4242/record/0-1/5101');
      const shown = await settle(hub, "James O'Connor's tickets", (p) => p.state === 'found' && /Tickets in Zendesk Support/i.test(p.text));
      const { frame } = shown;
      const rows = await frame.$$eval('.helpdesk-tickets li.ticket', (l) => l.map((li) => ({
        subject: li.querySelector('.ticket-subject').textContent,
        status: li.querySelector('.ticket-status').textContent,
        priority: li.querySelector('.ticket-priority').textContent,
        date: li.querySelector('.ticket-date').textContent,
        link: li.querySelector('button.ticket-link')?.dataset.url,
      })));
      assert.deepEqual(rows.map((r) => [r.subject, r.status, r.priority]), [
        // Zendesk's codes shown as the preset's labels (issue 19).
        ['Add a second admin seat', 'Pending', 'Low'],
        ['Cannot export contacts to CSV', 'Open', 'High'],
        ['Invoice shows the wrong VAT rate', 'Solved', 'Normal'],
        ['Password reset link expired', 'Closed', 'Normal'],
      ], shown.text);
      assert.ok(rows.every((r) => r.date.length > 0), JSON.stringify(rows));
      assert.deepEqual(rows.map((r) => r.link), [5103, 5102, 5101, 5104].map((id) => `${demo.base}/agent/tickets/${id}`));
      assert.equal(await frame.$eval('h2.name', (e) => e.textContent), "James O'Connor");
      // No ticket on a CRM page: nothing to log in the CRM, so no write-back block
      // (it is asked for and answered with no forms).
      await until('the write-back block answered and hidden', async () => ({ ok: await frame.$eval('#writeback', (e) => e.hidden && e.childElementCount === 0).catch(() => false) }));
      await hub.screenshot({ path: join(shots, 'crm-page-tickets.png') });
      // The helpdesk was asked with its token; the CRM was not asked at all.
      assert.ok(demo.requests.some((r) => r.url.startsWith('/api/v2/users/search') && r.auth && r.status === 200), JSON.stringify(demo.requests.slice(-5)));
      assert.ok(demo.requests.some((r) => r.url.startsWith('/api/v2/search') && r.auth && r.status === 200));
      assert.equal(crmAsked(), before, 'the CRM connector was asked on a CRM page');
      await hub.close();

      // The demo CRM's own contact page, a CRM page by the admin's pattern.
      const own = await open('/crm/contacts/cus_1005');
      const priya = await settle(own, "Priya Raman's tickets", (p) => p.state === 'found' && /Tickets in Zendesk Support/i.test(p.text));
      assert.deepEqual(await priya.frame.$$eval('.helpdesk-tickets .ticket-subject', (l) => l.map((e) => e.textContent)), ['SSO login loops back to the start page']);
      assert.equal(crmAsked(), before, 'the CRM connector was asked on a CRM page');
      await own.close();

      // A helpdesk ticket page still shows the CRM's customer.
      const ticket = await open('/tickets/strict/1001');
      const mia = await settle(ticket, 'Mia Fischer from the CRM', (p) => p.state === 'found' && /Mia Fischer/.test(p.text));
      assert.equal(await mia.frame.$$eval('.helpdesk-tickets', (l) => l.length), 0);
      // (The CRM's answer for Mia may come from the cache: the sources say who answered.)
      const sources = await mia.frame.$$eval('p.source', (l) => l.map((e) => e.textContent));
      assert.ok(sources.some((t) => /Deskside demo CRM/.test(t)), JSON.stringify(sources));
      await ticket.close();
    });
  });
}
