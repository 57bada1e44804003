// End-to-end: the generic REST connector (issue 18) in real Chromium and
// Firefox ESR. The admin types a whole definition for an API Deskside has no
// preset for (tests/testapi: OAuth 2 client credentials with expiring
// tokens, a fuzzy search in a paginated envelope, names in parts, phones as
// objects, custom fields) into the options page; the panel then shows the
// mapped customer, the custom fields and no near miss.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { BROWSERS, ROOT, openExtensionPage, panelState, screenshotDir, startSuite, waitLoaded, until, fillField, saveOptions, waitFor, setViewport } from './harness.mjs';
import { startTestApi } from '../testapi/server.mjs';

const DEFINITION = readFileSync(join(ROOT, 'tests/testapi/definition.json'), 'utf8');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (const kind of BROWSERS) {
  describe(`${kind}: a generic REST connector`, () => {
    const secret = `secret-${Math.random().toString(16).slice(2)}`;
    let demo;
    let api;
    let ext;
    let env;
    const shots = screenshotDir(`test-screenshots/${kind}`);

    const fill = fillField;
    const save = saveOptions;


    before(async () => {
      env = await startSuite(kind, { servers: { api: () => startTestApi({ clientSecret: secret, tokenTtlSeconds: 3600 }) } });
      ({ demo, api, ext } = env);
    });
    after(() => env?.close());

    test('the admin types the definition and its secrets; mistakes are named with their path', async () => {
      const page = await openExtensionPage(ext, 'options.html');
      await waitLoaded(page);
      await page.select('#kind', 'generic');
      assert.equal(await page.$eval('.generic', (e) => e.hidden), false, 'the generic connector\'s fields are hidden');
      await fill(page, '#label', 'Acme People');
      await fill(page, '#base_url', api.base);
      await fill(page, '#sites', 'http://127.0.0.1/*');
      await fill(page, '#team_domains', 'acme-support.example');
      await page.$eval('#panel_opens_expanded', (e) => { e.checked = true; });
      // A definition with two mistakes, and no client secret yet.
      const broken = JSON.parse(DEFINITION);
      broken.results.list = 'result/items';
      broken.lookups.email[0].query.q = '{value} {secret}';
      await fill(page, '#definition', JSON.stringify(broken, null, 2));
      await fill(page, '#client_id', 'deskside-test');
      const refused = await save(page);
      assert.equal(refused.kind, 'error', refused.text);
      const errors = await page.$eval('[data-error-for="definition"]', (e) => e.textContent);
      assert.match(errors, /lookups\.email\.0\.query\.q/);
      assert.match(errors, /results\.list/);
      // Corrected: now its auth kind is known, and it needs a client secret.
      await fill(page, '#definition', DEFINITION);
      assert.equal((await save(page)).kind, 'error');
      assert.match(await page.$eval('[data-error-for="client_secret"]', (e) => e.textContent), /.+/);
      assert.equal(await page.$eval('[data-error-for="definition"]', (e) => e.textContent), '');
      // Test connection before saving: a wrong secret is named as such…
      const test = async () => {
        await page.$eval('#test_result', (e) => { e.textContent = ''; e.dataset.kind = ''; });
        await page.click('#test');
        await waitFor(page, () => ['ok', 'error'].includes(document.querySelector('#test_result').dataset.kind), { timeout: 20_000 });
        return page.$eval('#test_result', (e) => ({ kind: e.dataset.kind, text: e.innerText }));
      };
      await fill(page, '#sample', 'mia.fischer@globex.example');
      await fill(page, '#client_secret', 'not-the-secret');
      const wrong = await test();
      assert.equal(wrong.kind, 'error', wrong.text);
      assert.match(wrong.text, /refused the API key \(HTTP 401\)/);
      assert.match(wrong.text, /POST http:\/\/127\.0\.0\.1:\d+\/oauth\/token/);
      assert.ok(!wrong.text.includes('not-the-secret'), 'the typed secret is shown back');
      // …and the right one shows each request, secrets redacted, and the customer.
      await fill(page, '#client_secret', secret);
      const right = await test();
      assert.equal(right.kind, 'ok', right.text);
      assert.match(right.text, /found Mia Fischer/);
      assert.match(right.text, /Authorization: Bearer <redacted>/);
      assert.match(right.text, /GET http:\/\/127\.0\.0\.1:\d+\/v2\/people\/search\?per_page=20&q=mia\.fischer%40globex\.example/);
      assert.match(right.text, /"person_id"/);
      // Each value with the path it came from.
      assert.match(right.text, /name\s+Mia Fischer\s+\/given_name \+ \/family_name/);
      assert.match(right.text, /company\s+Globex GmbH\s+\/org\/display_name/);
      assert.match(right.text, /tier\s+platinum\s+\/segment \(mapped\)/);
      assert.match(right.text, /"access_token":"<redacted>"/, 'the access token is shown');
      assert.ok(!right.text.includes(secret), 'the client secret is shown in the test');
      await page.screenshot({ path: join(shots, 'options-test-connection.png'), fullPage: true });
      // Saving with a sample runs the test first: a wrong secret is not saved.
      await fill(page, '#client_secret', 'not-the-secret');
      const untested = await save(page);
      assert.equal(untested.kind, 'error', untested.text);
      assert.match(await page.$eval('#test_result', (e) => e.innerText), /refused the API key/);
      await fill(page, '#client_secret', secret);
      // With the secret: saved (after a passing test), and the secrets never shown again.
      const saved = await save(page);
      assert.equal(saved.kind, 'ok', saved.text);
      const html = await page.evaluate(() => document.documentElement.outerHTML);
      assert.ok(!html.includes(secret), 'the client secret is back on the options page');
      await page.screenshot({ path: join(shots, 'options-generic.png'), fullPage: true });
      await page.close();
    });

    test('a ticket shows the mapped customer, its custom fields and no near miss; one token serves every lookup', async () => {
      // (Test connection exchanged a token of its own, never stored.)
      const grantsBefore = api.tokens;
      const page = await ext.browser.newPage();
      await page.goto(demo.base + '/tickets/strict/1001');
      const panel = await until('the customer from the test API', async () => {
        const p = await panelState(page);
        return { ok: p.state === 'found' && /Mia Fischer/.test(p.text), ...p };
      });
      assert.match(panel.text, /Globex GmbH/);
      assert.match(panel.text, /Platinum|PLATINUM/, 'the segment mapped onto a tier');
      assert.match(panel.text, /Contract renewal/);
      assert.match(panel.text, /2027/);
      assert.match(panel.text, /Seats\s*42/);
      assert.ok(!/Jr\./.test(panel.text), 'the near miss is shown');
      // One near miss in the singular, no 'record(s)' (misc10).
      assert.match(panel.text, /The CRM's search also returned 1 record for a different address or number; it is not shown\./);
      assert.doesNotMatch(panel.text, /record\(s\)|1 records/);
      assert.match(panel.text, /Acme People/);
      await page.screenshot({ path: join(shots, 'panel-generic.png') });
      // The search went out with the token, the identifier encoded.
      const searches = api.requests.filter((r) => r.url.startsWith('/v2/people/search'));
      assert.ok(searches.some((r) => r.url.includes('q=mia.fischer%40globex.example') && r.auth === 'bearer' && r.status === 200), JSON.stringify(api.requests));
      // Another ticket: the token is reused, not exchanged again.
      const other = await ext.browser.newPage();
      await other.goto(demo.base + '/tickets/plain/1002');
      await until('the second customer', async () => {
        const p = await panelState(other);
        return { ok: p.state === 'found' && /娜/.test(p.text), ...p };
      });
      assert.equal(api.tokens - grantsBefore, 1, `${api.tokens - grantsBefore} token exchanges for two lookups`);
      // Nothing of the secret reached a page or a request other than the token endpoint.
      for (const p of [page, other]) {
        assert.ok(!(await p.evaluate(() => document.documentElement.outerHTML)).includes(secret));
      }
      assert.ok(api.requests.filter((r) => r.url !== '/oauth/token').every((r) => !r.url.includes(secret)));
      await other.close();
      await page.close();
    });

    test('a preset asks only what its system needs: a Zendesk subdomain, checked on the field', async () => {
      const page = await openExtensionPage(ext, 'options.html');
      await waitLoaded(page);
      await page.click('#add_connector');
      await page.waitForSelector('#kind-1');
      const kinds = await page.$$eval('#kind-1 option', (l) => l.map((o) => o.value));
      for (const k of ['hubspot', 'salesforce', 'zendesk', 'freshdesk', 'pipedrive', 'zoho_crm', 'intercom', 'generic']) assert.ok(kinds.includes(k), `${k} is not offered: ${kinds}`);
      await page.select('#kind-1', 'zendesk');
      const block = 'fieldset.connector:nth-of-type(2)';
      await page.waitForSelector(`${block} [data-setup-name]`);
      assert.match(await page.$eval(`${block} [data-f="help"]`, (e) => e.textContent), /API token/i, 'the help line says where the key is made');
      // Only the secrets Zendesk's auth needs are offered.
      const shown = await page.$$eval(`${block} label.secret`, (l) => l.filter((e) => e.offsetParent !== null).map((e) => e.dataset.secret));
      assert.ok(!shown.includes('client_secret') && !shown.includes('app_secret') && shown.length > 0, JSON.stringify(shown));
      assert.equal(await page.$eval('#base_url-1', (e) => e.placeholder), 'Built from the fields above; type a whole address only to override it');
      await page.$eval(`${block} [data-setup-name]`, (e) => { e.value = 'acme.evil.test/x'; });
      const refused = await save(page);
      assert.equal(refused.kind, 'error', refused.text);
      const name = await page.$eval(`${block} [data-setup-name]`, (e) => e.dataset.setupName);
      assert.match(await page.$eval(`${block} [data-error-for="setup.${name}"]`, (e) => e.textContent), /.+/, 'the problem is shown under the field');
      await page.screenshot({ path: join(shots, 'options-preset-zendesk.png'), fullPage: true });
      // The generic type starts from a small valid definition; the common
      // fields' form and the JSON are one: typing a path edits the JSON.
      await page.select('#kind-1', 'generic');
      const starter = JSON.parse(await page.$eval('#definition-1', (e) => e.value));
      assert.equal(starter.map.name, '/name');
      assert.equal(await page.$eval(`${block} [data-map="map.name"]`, (e) => e.value), '/name');
      await page.$eval(`${block} [data-map="map.company"]`, (e) => { e.value = '/org/display_name'; e.dispatchEvent(new Event('input', { bubbles: true })); });
      await page.$eval(`${block} [data-map="map.emails"]`, (e) => { e.value = '/email, /emails/*/address'; e.dispatchEvent(new Event('input', { bubbles: true })); });
      const edited = JSON.parse(await page.$eval('#definition-1', (e) => e.value));
      assert.equal(edited.map.company, '/org/display_name');
      assert.deepEqual(edited.map.emails, ['/email', '/emails/*/address']);
      assert.equal(edited.lookups.email[0].path, starter.lookups.email[0].path, 'the rest of the JSON is kept');
      await page.close();
    });

    // Runs last: it stops the test API.
    test('two sources that know one customer make one view naming each value\'s source; one down, the other still shows', async () => {
      const page = await openExtensionPage(ext, 'options.html');
      await waitLoaded(page);
      assert.equal(await page.$$eval('fieldset.connector', (l) => l.length), 1);
      // The admin adds the demo CRM as a second source, as typed on the page.
      await page.click('#add_connector');
      await page.waitForSelector('#kind-1');
      assert.equal(await page.$eval('#remove', (e) => e.hidden), false, 'two connectors: each can be removed');
      await fill(page, '#label-1', 'Demo CRM');
      await fill(page, '#base_url-1', demo.base);
      await fill(page, '#api_key-1', 'demo-key-7f3a9c2e5b1d4e86');
      // Tier from the demo CRM; everything else in connector order (the test API first).
      assert.equal(await page.$eval('#field_sources_block', (e) => e.hidden), false);
      await page.select('#source-tier', await page.$eval('fieldset.connector:nth-of-type(2)', (e) => e.dataset.id));
      // Every view asks the CRMs again (the cache shows the last answer only when one is down).
      await fill(page, '#cache_ttl_secs', '0');
      const saved = await save(page);
      assert.equal(saved.kind, 'ok', saved.text);
      assert.equal(await page.$$eval('fieldset.connector', (l) => l.length), 2, 'both connectors are kept');
      assert.equal(await page.$eval('#source-tier', (e) => e.value), await page.$eval('fieldset.connector:nth-of-type(2)', (e) => e.dataset.id));
      await page.screenshot({ path: join(shots, 'options-two-connectors.png'), fullPage: true });
      await page.close();

      const ticket = await ext.browser.newPage();
      await setViewport(ticket, { width: 1280, height: 1000 });
      await ticket.goto(demo.base + '/tickets/strict/1001');
      const merged = await until('one merged view of Mia Fischer', async () => {
        const p = await panelState(ticket);
        return { ok: p.state === 'found' && /from Demo CRM/.test(p.text) && /from Acme People/.test(p.text), ...p };
      });
      const { frame } = merged;
      // One card, both sources listed; each value names where it came from.
      assert.equal(await frame.$$eval('article.customer', (l) => l.length), 1, merged.text);
      assert.deepEqual(await frame.$$eval('p.source', (l) => l.map((e) => e.dataset.source)).then((l) => l.length), 2);
      const tierSource = await frame.$eval('.head .src', (e) => e.textContent);
      assert.match(tierSource, /Demo CRM/, 'the tier comes from the preferred source');
      assert.match(await frame.$eval('.company .src', (e) => e.textContent), /Acme People/, 'the company follows the connector order');
      // The test API's orders came from a follow-up request by the person's id.
      assert.match(merged.text, /SO-88012/);
      assert.ok(api.requests.some((r) => r.url === '/v2/people/P-1001/orders' && r.status === 200), 'no follow-up request');
      await ticket.screenshot({ path: join(shots, 'panel-merged.png') });

      // The test API goes down: the demo CRM's data, the other source's last
      // answer marked with its age, and the failure named.
      await api.stop();
      await ticket.reload();
      const partial = await until('the demo CRM, the other stale and named', async () => {
        const p = await panelState(ticket);
        // Past "refreshing…": the failed attempt named, its retry counting down.
        return { ok: p.state === 'found' && /Acme People: shown as updated/.test(p.text) && /Could not reach the CRM/.test(p.text), ...p };
      });
      assert.match(partial.text, /Mia Fischer/);
      assert.match(partial.text, /Could not reach the CRM/, partial.text);
      assert.match(partial.text, /Deskside asks again in \d+ s\./, partial.text);
      await ticket.screenshot({ path: join(shots, 'panel-one-source-down.png') });
      await ticket.close();
    });
  });
}
