// End-to-end: the audit trail and monitoring on the options page, in real
// Chromium and Firefox ESR: a ticket is opened, then the options page lists
// the lookup (the identifier's kind and a salted hash, never the address),
// counts the connector's requests, and exports the rows as CSV.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { BROWSERS, canaryKey, openExtensionPage, panelState, screenshotDir, startConfigured, until, waitLoaded } from './harness.mjs';

const EMAIL = 'mia.fischer@globex.example';

for (const kind of BROWSERS) {
  describe(`${kind}: audit trail and monitoring`, () => {
    const key = canaryKey();
    let demo;
    let ext;
    let env;
    const shots = screenshotDir(`test-screenshots/${kind}`);

    before(async () => {
      env = await startConfigured(kind, { key });
      ({ demo, ext } = env);
    });
    after(() => env?.close());

    test('a lookup is audited as kind + hash, counted, and exported as CSV', async () => {
      const ticket = await ext.browser.newPage();
      await ticket.goto(demo.base + '/tickets/strict/1001');
      const panel = await panelState(ticket);
      assert.equal(panel.state, 'found', panel.text);
      assert.match(panel.text, new RegExp(EMAIL.replaceAll('.', '\\.')));
      await ticket.close();

      const page = await openExtensionPage(ext, 'options.html');
      await waitLoaded(page);
      const seen = await until('the audit row and the request count', () => page.evaluate(() => {
        const rows = [...document.querySelectorAll('#audit_rows tr')].map((r) => [...r.cells].map((c) => c.textContent));
        const blocks = [...document.querySelectorAll('.monitor-connector')].map((b) => ({
          connector: b.dataset.connector, hour: Number(b.dataset.requestsHour), day: Number(b.dataset.requestsDay),
          text: b.textContent, bars: b.querySelectorAll('svg.monitor-chart rect').length,
        }));
        return { ok: rows.length > 0 && blocks.some((b) => b.hour > 0), rows, blocks };
      }));
      const lookup = seen.rows.find((r) => r[2] === 'lookup');
      assert.ok(lookup, JSON.stringify(seen.rows));
      assert.match(lookup[3], /^Email · [0-9a-f]{32}$/, 'the identifier is its kind and a hash');
      assert.equal(lookup[4], demo.base.replace(/\/$/, ''));
      assert.match(lookup[5], /\bname\b/);
      assert.match(lookup[6], /^found:1$/);
      const block = seen.blocks.find((b) => b.hour > 0);
      assert.ok(block.day >= block.hour && block.hour >= 1, JSON.stringify(block));
      assert.match(block.text, /Last hour.*\d+ requests?, 100% succeeded/s);
      assert.ok(block.bars >= 1, 'the chart has a bar for this hour');

      // No address anywhere in the page, the hash only.
      const html = await page.evaluate(() => document.documentElement.outerHTML);
      assert.ok(!html.includes(EMAIL) && !html.includes('mia.fischer'), 'the identifier reached the options page');

      // The filters: another outcome hides the row, the origin text keeps it.
      await page.select('#audit_outcome', 'error');
      assert.equal(await page.$$eval('#audit_rows tr', (r) => r.filter((x) => x.cells[2].textContent === 'lookup').length), 0);
      await page.select('#audit_outcome', 'found');
      await page.$eval('#audit_origin', (e) => { e.value = '127.0.0.1'; e.dispatchEvent(new Event('input', { bubbles: true })); });
      assert.ok(await page.$$eval('#audit_rows tr', (r) => r.length) >= 1);

      await page.click('#audit_export');
      const csv = await page.$eval('#audit_export', (e) => e.dataset.csv);
      const lines = csv.split('\r\n');
      assert.equal(lines[0], 'time,connector,label,action,id_kind,subject_hash,page_origin,fields,outcome');
      const row = lines.find((l) => l.includes(',lookup,email,'));
      assert.ok(row, csv);
      assert.match(row, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,[^,]+,[^,]*,lookup,email,[0-9a-f]{32},http:\/\/127\.0\.0\.1:\d+,[a-z_ ]+,found:1$/);
      assert.ok(row.includes(lookup[3].split(' · ')[1]), 'the CSV holds the same hash');
      assert.ok(!csv.includes('mia.fischer'), 'the identifier reached the CSV');
      await page.screenshot({ path: join(shots, 'options-activity.png'), fullPage: true });
      await page.close();
    });
  });
}
