// End-to-end: the shipped HubSpot and Zendesk presets (issue 19) in real
// Chromium and Firefox ESR, against loopback APIs of the vendors' documented
// shapes (tests/presetapi/server.mjs: HubSpot's CRM search with filter groups
// and association searches, Bearer; Zendesk's users search, search API and
// organizations, Basic `email/token`). The admin picks each preset on the
// options page, types its setup value, the loopback address as the base URL
// override and the secrets (a wrong one is refused on save); the panel on the
// demo's tickets then shows the contact, the company, deals and tickets; a
// chooser when two people share the office number; "not found" for an
// address neither knows; and which follow-up block failed when one does.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { BROWSERS, chooseRecord, openExtensionPage, panelState, screenshotDir, startSuite, waitLoaded, until, fillField, saveOptions, waitFor, setViewport, click } from './harness.mjs';
import { hubspotMissingScope, startHubSpot, startZendesk } from '../presetapi/server.mjs';

const HUB_TOKEN = `pat-na1-${Math.random().toString(16).slice(2)}`;
const ZD_AGENT = 'agent@acme-support.example';
const ZD_TOKEN = `zd-${Math.random().toString(16).slice(2)}`;

const MIA = '/tickets/strict/1001';
const SAM = '/tickets/strict/1003'; // sam@unknown-prospect.example: in neither CRM
const CHEN = '/tickets/strict/1008';
const FRONT_DESK = '/tickets/strict/1009'; // +1 206-555-0199: two people in each CRM

for (const kind of BROWSERS) {
  describe(`${kind}: the HubSpot and Zendesk presets against vendor-shaped APIs`, () => {
    let demo;
    let hub;
    let zd;
    let ext;
    let env;
    const shots = screenshotDir(`test-screenshots/${kind}`);

    const fill = fillField;
    const save = saveOptions;

    /** The secret fields shown for the connector's auth kind. */
    const shownSecrets = (page) => page.$$eval('fieldset.connector:first-of-type label.secret', (l) => l.filter((e) => !e.hidden && e.offsetParent !== null).map((e) => e.dataset.secret));

    /**
     * Configures connector 1 as `preset` as an admin would: the type, its
     * setup values, the loopback base URL override, the secrets; a sample
     * address so Save tests the connection first. `wrong` first saves with
     * wrong secrets and expects the refusal.
     */
    async function configurePreset(preset, { setup = {}, base, secrets, wrong, expectSecrets, shot }) {
      const page = await openExtensionPage(ext, 'options.html');
      await waitLoaded(page);
      await page.select('#kind', preset);
      await waitFor(page, () => document.querySelector('fieldset.connector [data-f="help"]')?.textContent.length > 0, { timeout: 10_000 });
      const help = await page.$eval('fieldset.connector [data-f="help"]', (e) => e.textContent);
      assert.deepEqual((await shownSecrets(page)).sort(), [...expectSecrets].sort(), `${preset}: the secret fields offered`);
      for (const [name, value] of Object.entries(setup)) await fill(page, `fieldset.connector [data-setup-name="${name}"]`, value);
      await fill(page, '#label', '');
      await fill(page, '#base_url', base);
      await fill(page, '#sites', 'http://127.0.0.1/*');
      await fill(page, '#team_domains', 'acme-support.example');
      await page.$eval('#panel_opens_expanded', (e) => { e.checked = true; });
      // Every view asks the CRM again: each case below sees the API's answer of the moment.
      await fill(page, '#cache_ttl_secs', '0');
      await fill(page, '#sample', 'mia.fischer@globex.example');
      if (wrong) {
        for (const [id, value] of Object.entries(wrong)) await fill(page, `#${id}`, value);
        const refused = await save(page);
        assert.equal(refused.kind, 'error', `${preset}: saved with a wrong secret: ${refused.text}`);
        assert.match(await page.$eval('#test_result', (e) => e.innerText), /refused the API key \(HTTP 401\)/);
      }
      for (const [id, value] of Object.entries(secrets)) await fill(page, `#${id}`, value);
      // Test connection, as typed: the request, the answer, the customer.
      await page.$eval('#test_result', (e) => { e.textContent = ''; e.dataset.kind = ''; });
      await page.click('#test');
      await waitFor(page, () => ['ok', 'error'].includes(document.querySelector('#test_result').dataset.kind), { timeout: 30_000 });
      const tested = await page.$eval('#test_result', (e) => ({ kind: e.dataset.kind, text: e.innerText }));
      assert.equal(tested.kind, 'ok', tested.text);
      assert.match(tested.text, /found Mia Fischer/);
      assert.match(tested.text, new RegExp(`${base.replace(/[.]/g, '\\.')}/`), 'the loopback override is the address used');
      await page.screenshot({ path: join(shots, shot.replace('.png', '-test.png')), fullPage: true });
      const saved = await save(page);
      assert.equal(saved.kind, 'ok', `${preset}: ${saved.text}\n${await page.$eval('#test_result', (e) => e.innerText)}`);
      await page.screenshot({ path: join(shots, shot), fullPage: true });
      await page.close();
      return help;
    }

    async function open(path) {
      const page = await ext.browser.newPage();
      await setViewport(page, { width: 1280, height: 1000 });
      await page.goto(demo.base + path);
      return page;
    }

    async function settle(page, what, ok) {
      return until(what, async () => {
        const p = await panelState(page);
        return { ok: ok(p), ...p };
      }, 40_000);
    }

    const texts = (frame, selector) => frame.$$eval(selector, (l) => l.map((e) => e.textContent.trim()));
    /** The company line without its "from X" source tag. */
    const company = (frame) => frame.$eval('p.company', (e) => e.firstChild.textContent.trim());

    before(async () => {
      env = await startSuite(kind, {
        servers: { hub: () => startHubSpot({ token: HUB_TOKEN }), zd: () => startZendesk({ email: ZD_AGENT, token: ZD_TOKEN }) },
      });
      ({ demo, hub, zd, ext } = env);
    });
    after(() => env?.close());

    test('HubSpot: the contact, its associated company, deals and tickets with their stage labels, notes; a chooser; not found; a follow-up refused for a missing scope', async () => {
      const help = await configurePreset('hubspot', {
        setup: { portal_id: '4711' }, base: hub.base, secrets: { api_key: HUB_TOKEN }, wrong: { api_key: 'pat-na1-not-the-token' }, expectSecrets: ['api_key'], shot: 'options-preset-hubspot.png',
      });
      assert.match(help, /Private Apps/);
      assert.match(help, /crm\.objects\.contacts\.read/);
      // The wrong token reached HubSpot and was refused there, as HubSpot refuses it.
      assert.ok(hub.requests.some((r) => r.status === 401 && r.authorization === 'Bearer pat-na1-not-the-token'), 'the wrong token was not sent');

      // One contact: its record, and its deals, tickets and notes by association.
      const page = await open(MIA);
      const found = await settle(page, 'Mia Fischer from HubSpot', (p) => p.state === 'found' && /Mia Fischer/.test(p.text) && /Globex renewal 2027/.test(p.text));
      const { frame } = found;
      assert.equal(await frame.$eval('h2.name', (e) => e.textContent), 'Mia Fischer');
      // The associated company, not the contact's free-text company property.
      assert.equal(await company(frame), 'Globex GmbH');
      assert.ok(!/typed by hand/.test(found.text), found.text);
      assert.match(found.text, /Head of Operations/);
      assert.deepEqual(await texts(frame, 'ul.deals .deal-name'), ['Globex warehouse add-on', 'Globex renewal 2027'], 'deals, latest close date first');
      assert.match(await frame.$eval('ul.deals', (e) => e.textContent), /12,500\.50/);
      // Stage ids named: HubSpot's label, and the portal's own name for a renamed stage (the pipelines API).
      assert.deepEqual(await texts(frame, 'ul.deals .deal-stage'), ['Appointment Scheduled', 'Contract out for signature']);
      // A close date is a day: no time of day.
      const closes = await texts(frame, 'ul.deals .deal-date');
      assert.equal(closes.length, 2);
      for (const d of closes) assert.ok(/2027|2026/.test(d) && !/\d:\d\d|AM|PM/.test(d), `a close date with a time: ${closes}`);
      assert.deepEqual(await texts(frame, 'ul.tickets .ticket-subject'), ['Parcel for ORD-2026-004211 not delivered', 'VAT number on invoices']);
      assert.deepEqual(await texts(frame, 'ul.tickets .ticket-status'), ['New', 'Closed']);
      assert.deepEqual(await texts(frame, 'ul.tickets .ticket-priority'), ['High', 'Low']);
      // The account id typed on the options page makes the record link.
      assert.equal(await frame.$$eval('button.link', (l) => l.length), 1, 'no link to the contact in HubSpot');
      assert.deepEqual(await texts(frame, 'ul.notes .note-text'), ['Asked for a quote on 40 seats.']);
      assert.ok(!/could not be loaded/.test(found.text), found.text);
      await page.screenshot({ path: join(shots, 'preset-hubspot-found.png') });
      // What HubSpot received: the email search, then one association search per type, with the token.
      const searches = hub.requests.filter((r) => r.status === 200 && r.authorization === `Bearer ${HUB_TOKEN}`);
      const byEmail = searches.find((r) => r.op === 'contacts' && JSON.parse(r.body).filterGroups[0].filters[0].value === 'mia.fischer@globex.example');
      assert.ok(byEmail, JSON.stringify(hub.requests.map((r) => [r.path, r.status])));
      for (const type of ['companies', 'deals', 'tickets', 'notes']) {
        assert.ok(searches.some((r) => r.op === type && JSON.parse(r.body).filterGroups[0].filters[0].propertyName === 'associations.contact' && JSON.parse(r.body).filterGroups[0].filters[0].value === '501'), `no ${type} search by the contact`);
      }
      for (const type of ['deals', 'tickets']) assert.ok(searches.some((r) => r.op === `pipelines/${type}` && r.path === `/crm/v3/pipelines/${type}`), `no ${type} pipelines read`);

      // Write-back with the preset as configured above (issue 20): "Log this ticket" from the
      // panel creates one note on the contact, read back from the HubSpot API's own store.
      await frame.waitForSelector('#writeback .wb-open-note', { timeout: 20_000 });
      const before = await frame.$$eval('.wb-op', (l) => l.map((e) => e.dataset.op));
      await click(frame, '.wb-open-note');
      await frame.waitForSelector('#wb-text');
      const agentText = 'Courier re-sent <b>today</b> & confirmed';
      await frame.$eval('#wb-text', (e, v) => { e.value = v; e.dispatchEvent(new Event('input', { bubbles: true })); }, agentText);
      assert.ok((await frame.$eval('#wb-preview', (e) => e.textContent)).includes(agentText), 'the preview shows the text as typed');
      await click(frame, '#wb-send');
      const op = await until('the note in the panel', async () => {
        const ids = await frame.$$eval('.wb-op', (l) => l.map((e) => e.dataset.op));
        const fresh = ids.find((id) => !before.includes(id));
        return { ok: Boolean(fresh), id: fresh };
      });
      const done = await until('the note written', async () => {
        const li = await frame.$eval(`.wb-op[data-op="${op.id}"]`, (e) => ({ state: e.dataset.state, text: e.innerText }));
        return { ok: ['done', 'failed'].includes(li.state), ...li };
      }, 40_000);
      assert.equal(done.state, 'done', done.text);
      const written = hub.data.notes.filter((n) => n.properties.hs_note_body.includes(`[deskside:${op.id}]`));
      assert.equal(written.length, 1, 'exactly one note in HubSpot');
      assert.deepEqual(written[0].contacts, ['501'], 'associated with the contact shown');
      assert.ok(written[0].properties.hs_note_body.includes('Courier re-sent &lt;b&gt;today&lt;/b&gt; &amp; confirmed'), written[0].properties.hs_note_body);
      assert.ok(hub.requests.some((r) => r.op === 'create-notes' && r.status === 201 && r.authorization === `Bearer ${HUB_TOKEN}`));
      await page.screenshot({ path: join(shots, 'preset-hubspot-note-written.png') });

      // "Create follow-up task": one task on the contact, with its due date and priority.
      const beforeTask = await frame.$$eval('.wb-op', (l) => l.map((e) => e.dataset.op));
      await click(frame, '.wb-open-task');
      await frame.waitForSelector('#wb-task-subject');
      for (const [sel, v] of [['#wb-task-subject', 'Call Globex back about the delivery'], ['#wb-due', '2026-12-15']]) {
        await frame.$eval(sel, (e, val) => { e.value = val; e.dispatchEvent(new Event('input', { bubbles: true })); }, v);
      }
      await frame.select('#wb-priority', 'HIGH');
      await click(frame, '#wb-send');
      const taskOp = await until('the task in the panel', async () => {
        const ids = await frame.$$eval('.wb-op', (l) => l.map((e) => e.dataset.op));
        const fresh = ids.find((id) => !beforeTask.includes(id));
        return { ok: Boolean(fresh), id: fresh };
      });
      const taskDone = await until('the task written', async () => {
        const li = await frame.$eval(`.wb-op[data-op="${taskOp.id}"]`, (e) => ({ state: e.dataset.state, text: e.innerText }));
        return { ok: ['done', 'failed'].includes(li.state), ...li };
      }, 40_000);
      assert.equal(taskDone.state, 'done', taskDone.text);
      const tasks = hub.data.tasks.filter((x) => x.properties.hs_task_body.includes(`[deskside:${taskOp.id}]`));
      assert.equal(tasks.length, 1, 'exactly one task in HubSpot');
      assert.deepEqual(tasks[0].contacts, ['501']);
      const tp = tasks[0].properties;
      assert.deepEqual([tp.hs_task_subject, tp.hs_timestamp, tp.hs_task_priority, tp.hs_task_status], ['Call Globex back about the delivery', '2026-12-15T09:00:00Z', 'HIGH', 'NOT_STARTED']);
      await page.close();

      // Two contacts behind the office number: the agent chooses.
      const desk = await open(FRONT_DESK);
      const asked = await settle(desk, 'the chooser', (p) => p.state === 'choose');
      assert.match(asked.text, /2 records in HubSpot match/);
      assert.match(asked.text, /Jie Chen/);
      assert.match(asked.text, /Dana Kim/);
      const phoneSearch = hub.requests.filter((r) => r.op === 'contacts').map((r) => JSON.parse(r.body)).find((b) => b.filterGroups.length === 2);
      assert.deepEqual(phoneSearch.filterGroups.map((g) => [g.filters[0].propertyName, g.filters[0].value]), [['phone', '+12065550199'], ['mobilephone', '+12065550199']]);
      await desk.screenshot({ path: join(shots, 'preset-hubspot-chooser.png') });
      await chooseRecord(asked.frame, '602');
      const chosen = await settle(desk, 'the chosen contact', (p) => p.state === 'found' && /Dana Kim/.test(p.text) && /Harbor fleet tracking/.test(p.text));
      assert.match(chosen.text, /Chosen by you among 2 matches/);
      assert.equal(await company(chosen.frame), 'Harbor Logistics');
      await desk.close();

      // Nobody under the address: an empty result is "not found", not an error.
      const sam = await open(SAM);
      const none = await settle(sam, 'not found', (p) => p.state === 'not_found');
      assert.match(none.text, /No customer with this email/);
      assert.match(none.text, /HubSpot/);
      assert.ok(hub.requests.some((r) => r.op === 'contacts' && r.status === 200 && r.body.includes('sam@unknown-prospect.example')));
      await sam.screenshot({ path: join(shots, 'preset-hubspot-not-found.png') });
      await sam.close();

      // The private app lacks the deals scope: the contact, tickets and notes
      // are shown; the panel names the deals as what failed.
      hub.fail('deals', hubspotMissingScope('crm.objects.deals.read'));
      try {
        const chen = await open(CHEN);
        const partial = await settle(chen, 'Jie Chen without deals', (p) => p.state === 'found' && /Jie Chen/.test(p.text) && /could not be loaded/.test(p.text));
        // A missing scope is not a refused key: the panel names the scope to grant.
        assert.match(partial.text, /HubSpot: Deals could not be loaded: The CRM accepted the API key, but it lacks a permission this request needs: grant crm\.objects\.deals\.read/);
        assert.ok(!/refused the API key/.test(partial.text), partial.text);
        assert.ok(!/Tickets could not|Notes could not/.test(partial.text), partial.text);
        assert.deepEqual(await texts(partial.frame, 'ul.tickets .ticket-subject'), ['Invoice address for October']);
        assert.deepEqual(await texts(partial.frame, 'ul.notes .note-text'), ['Prefers invoices by post.']);
        assert.equal(await partial.frame.$$eval('ul.deals', (l) => l.length), 0);
        assert.ok(hub.requests.some((r) => r.op === 'deals' && r.status === 403), 'the deals search was not refused');
        // Once per view: the lookup job's failure is kept with the cached answer, not sent again by the panel.
        assert.equal(hub.requests.filter((r) => r.op === 'deals' && r.status === 403).length, 1, 'the failed follow-up was sent again');
        await chen.screenshot({ path: join(shots, 'preset-hubspot-related-failed.png') });
        await chen.close();
      } finally {
        hub.fail('deals', null);
      }
    });

    test('Zendesk: the user, organization and requested tickets; a chooser; not found; the organization request failing', async () => {
      const help = await configurePreset('zendesk', {
        setup: { subdomain: 'acme' }, base: zd.base, secrets: { username: `${ZD_AGENT}/token`, password: ZD_TOKEN },
        wrong: { username: `${ZD_AGENT}/token`, password: 'not-the-token' }, expectSecrets: ['username', 'password'], shot: 'options-preset-zendesk.png',
      });
      assert.match(help, /API token/);
      assert.ok(zd.requests.some((r) => r.status === 401), 'the wrong token was not refused by the API');

      const page = await open(MIA);
      const found = await settle(page, 'Mia Fischer from Zendesk', (p) => p.state === 'found' && /Mia Fischer/.test(p.text) && /Globex GmbH/.test(p.text));
      const { frame } = found;
      assert.equal(await company(frame), 'Globex GmbH', 'the company from the organization');
      assert.deepEqual(await texts(frame, 'ul.tickets .ticket-subject'), ['Delivery of order ORD-2026-004211 delayed', 'Copy of invoice for September'], 'requested tickets, newest first');
      assert.deepEqual(await texts(frame, 'ul.tickets .ticket-status'), ['Open', 'Solved'], "Zendesk's status words as its screens name them");
      assert.ok(!/could not be loaded/.test(found.text), found.text);
      await page.screenshot({ path: join(shots, 'preset-zendesk-found.png') });
      const ok = zd.requests.filter((r) => r.status === 200);
      assert.ok(ok.some((r) => r.op === 'users' && new URLSearchParams(r.query).get('query') === 'email:mia.fischer@globex.example'));
      assert.ok(ok.some((r) => r.op === 'search' && new URLSearchParams(r.query).get('query') === 'type:ticket requester:381001'));
      assert.ok(ok.some((r) => r.op === 'organizations' && r.path === '/api/v2/organizations/3001'));
      await page.close();

      const desk = await open(FRONT_DESK);
      const asked = await settle(desk, 'the chooser', (p) => p.state === 'choose');
      assert.match(asked.text, /2 records in Zendesk Support match/);
      assert.match(asked.text, /Chen Jie/);
      assert.match(asked.text, /Dana Kim/);
      assert.ok(zd.requests.some((r) => r.op === 'users' && new URLSearchParams(r.query).get('query') === 'phone:+12065550199'));
      await desk.screenshot({ path: join(shots, 'preset-zendesk-chooser.png') });
      await chooseRecord(asked.frame, '381101');
      const chosen = await settle(desk, 'the chosen user', (p) => p.state === 'found' && /Chen Jie/.test(p.text) && /Harbor Logistics Inc\./.test(p.text));
      assert.deepEqual(await texts(chosen.frame, 'ul.tickets .ticket-subject'), ['Invoice address for the October order']);
      await desk.close();

      const sam = await open(SAM);
      const none = await settle(sam, 'not found', (p) => p.state === 'not_found');
      assert.match(none.text, /Zendesk Support/);
      await sam.screenshot({ path: join(shots, 'preset-zendesk-not-found.png') });
      await sam.close();

      // Zendesk's organizations endpoint fails (500, retried, still failing):
      // the user and the tickets are shown, the company is named as missing.
      zd.fail('organizations', { status: 500, body: { error: 'InternalError', description: 'Something went wrong' } });
      try {
        const chen = await open(CHEN);
        const partial = await settle(chen, 'Chen Jie without the organization', (p) => p.state === 'found' && /Chen Jie/.test(p.text) && /could not be loaded/.test(p.text));
        assert.match(partial.text, /Zendesk Support: Company could not be loaded: .*HTTP 500/);
        assert.ok(!/Tickets could not/.test(partial.text), partial.text);
        assert.deepEqual(await texts(partial.frame, 'ul.tickets .ticket-subject'), ['Invoice address for the October order']);
        assert.equal(await partial.frame.$$eval('p.company', (l) => l.length), 0, 'a company was shown');
        assert.ok(zd.requests.some((r) => r.op === 'organizations' && r.status === 500));
        await chen.screenshot({ path: join(shots, 'preset-zendesk-related-failed.png') });
        await chen.close();
      } finally {
        zd.fail('organizations', null);
      }
    });

    test('both presets at once: one view of Mia Fischer, deals from HubSpot and tickets from both, each naming its source', async () => {
      const page = await openExtensionPage(ext, 'options.html');
      await waitLoaded(page);
      await page.click('#add_connector');
      await page.waitForSelector('#kind-1');
      await page.select('#kind-1', 'hubspot');
      await fill(page, '#base_url-1', hub.base);
      await fill(page, '#api_key-1', HUB_TOKEN);
      await fill(page, '#sample', '');
      const saved = await save(page);
      assert.equal(saved.kind, 'ok', saved.text);
      await page.close();

      const ticket = await open(MIA);
      const merged = await settle(ticket, 'one merged view', (p) => p.state === 'found' && /from HubSpot/.test(p.text) && /from Zendesk Support/.test(p.text));
      const { frame } = merged;
      assert.equal(await frame.$$eval('article.customer', (l) => l.length), 1, merged.text);
      // The company from the first connector (Zendesk's organization, a follow-up), said so.
      assert.equal(await company(frame), 'Globex GmbH');
      assert.match(await frame.$eval('.company .src', (e) => e.textContent), /Zendesk Support/, merged.text);
      assert.deepEqual(await texts(frame, 'ul.deals .deal-name'), ['Globex warehouse add-on', 'Globex renewal 2027']);
      const tickets = await texts(frame, 'ul.tickets .ticket-subject');
      for (const t of ['Delivery of order ORD-2026-004211 delayed', 'Parcel for ORD-2026-004211 not delivered']) assert.ok(tickets.includes(t), `${t} missing: ${tickets}`);
      assert.ok(!/could not be loaded/.test(merged.text), merged.text);
      await ticket.screenshot({ path: join(shots, 'preset-hubspot-zendesk-merged.png') });
      await ticket.close();
    });
  });
}
