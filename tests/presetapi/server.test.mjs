// The vendor-shaped APIs the presets' e2e suite runs against: auth refused as
// the vendor refuses it, the searches the presets send answered with the
// documented shapes, several matches, none, and a fault on demand.
//   node --test tests/presetapi/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hubspotMissingScope, startHubSpot, startZendesk } from './server.mjs';

const search = (filters, extra = {}) => JSON.stringify({ filterGroups: filters.map((f) => ({ filters: [f] })), properties: ['email', 'firstname', 'phone', 'mobilephone'], sorts: [], limit: 20, after: '0', ...extra });
const eq = (propertyName, value) => ({ propertyName, operator: 'EQ', value });

test('HubSpot: Bearer only, filter groups ORed, association searches, paging, a missing scope', async () => {
  const hub = await startHubSpot({ token: 'pat-1' });
  try {
    const post = (path, body, token = 'pat-1') => fetch(hub.base + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    const contacts = '/crm/v3/objects/contacts/search';
    let r = await post(contacts, search([eq('email', 'mia.fischer@globex.example')]), 'wrong');
    assert.equal(r.status, 401);
    assert.equal((await r.json()).category, 'INVALID_AUTHENTICATION');
    r = await fetch(hub.base + contacts, { method: 'POST', headers: { authorization: 'Basic cGF0LTE6', 'content-type': 'application/json' }, body: search([eq('email', 'x@y.z')]) });
    assert.equal(r.status, 401, 'the token as Basic');
    // The description's required fields.
    r = await post(contacts, JSON.stringify({ filterGroups: [{ filters: [eq('email', 'a@b.c')] }] }));
    assert.equal(r.status, 400);
    assert.match((await r.json()).message, /after is required/);

    r = await post(contacts, search([eq('email', 'MIA.FISCHER@globex.example')]));
    const one = await r.json();
    assert.equal(one.total, 1);
    assert.deepEqual(Object.keys(one.results[0]).sort(), ['archived', 'createdAt', 'id', 'properties', 'updatedAt']);
    assert.deepEqual(one.results[0].properties, { hs_object_id: '501', email: 'mia.fischer@globex.example', firstname: 'Mia', phone: '+49 30 901820', mobilephone: null });
    // phone OR mobilephone: two people.
    const two = await (await post(contacts, search([eq('phone', '+12065550199'), eq('mobilephone', '+12065550199')]))).json();
    assert.deepEqual(two.results.map((c) => c.id).sort(), ['601', '602']);
    const none = await (await post(contacts, search([eq('email', 'sam@unknown-prospect.example')]))).json();
    assert.deepEqual(none, { total: 0, results: [] });
    // One page of one, then the next.
    const first = await (await post(contacts, search([eq('phone', '+12065550199'), eq('mobilephone', '+12065550199')], { limit: 1 }))).json();
    assert.equal(first.paging.next.after, '1');
    // Deals by association, sorted; the v3 object type id 0-3 is deals too.
    const deals = await (await post('/crm/v3/objects/0-3/search', search([eq('associations.contact', '501')], { properties: ['dealname', 'closedate'], sorts: [{ propertyName: 'closedate', direction: 'DESCENDING' }] }))).json();
    assert.deepEqual(deals.results.map((d) => d.properties.dealname), ['Globex warehouse add-on', 'Globex renewal 2027']);
    hub.fail('deals', hubspotMissingScope('crm.objects.deals.read'));
    r = await post('/crm/v3/objects/deals/search', search([eq('associations.contact', '501')]));
    assert.equal(r.status, 403);
    assert.equal((await r.json()).category, 'MISSING_SCOPES');
    hub.fail('deals', null);
    assert.equal((await post('/crm/v3/objects/deals/search', search([eq('associations.contact', '501')]))).status, 200);
    assert.equal((await fetch(hub.base + '/crm/v3/objects/contacts/501', { headers: { authorization: 'Bearer pat-1' } })).status, 404);
    // The contact's associated company, and the pipelines whose stage ids deals and tickets carry.
    const companies = await (await post('/crm/v3/objects/companies/search', search([eq('associations.contact', '602')], { properties: ['name'] }))).json();
    assert.deepEqual(companies.results.map((c) => c.properties.name), ['Harbor Logistics']);
    const pipelines = (type, token = 'pat-1') => fetch(`${hub.base}/crm/v3/pipelines/${type}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await pipelines('deals', 'wrong')).status, 401);
    const dealStages = (await (await pipelines('deals')).json()).results.flatMap((p) => p.stages);
    assert.equal(dealStages.find((st) => st.id === 'contractsent').label, 'Contract out for signature');
    const ticketStages = (await (await pipelines('tickets')).json()).results[0].stages;
    assert.deepEqual(ticketStages.map((st) => [st.id, st.label]), [['1', 'New'], ['2', 'Waiting on contact'], ['3', 'Waiting on us'], ['4', 'Closed']]);
    assert.equal((await fetch(`${hub.base}/crm/v3/pipelines/deals?limit=5`, { headers: { authorization: 'Bearer pat-1' } })).status, 400, 'an unknown parameter');
    hub.fail('pipelines/deals', { status: 500, body: { status: 'error', message: 'internal error' } });
    assert.equal((await pipelines('deals')).status, 500);
    hub.fail('pipelines/deals', null);
  } finally {
    await hub.stop();
  }
});

test('Zendesk: Basic email/token, users search by email and phone, tickets through the search API, organizations', async () => {
  const zd = await startZendesk({ email: 'agent@acme.example', token: 'tok' });
  try {
    const basic = (u, p) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
    const get = (path, auth = basic('agent@acme.example/token', 'tok')) => fetch(zd.base + path, { headers: { authorization: auth } });
    for (const auth of [basic('agent@acme.example', 'tok'), basic('agent@acme.example/token', 'nope'), 'Bearer tok', '']) {
      const r = await get('/api/v2/users/search?query=email:mia.fischer@globex.example', auth);
      assert.equal(r.status, 401, auth);
      assert.deepEqual(await r.json(), { error: "Couldn't authenticate you" });
    }
    const mia = await (await get(`/api/v2/users/search?query=${encodeURIComponent('email:mia.fischer@globex.example')}`)).json();
    assert.equal(mia.count, 1);
    assert.equal(mia.users[0].url, `${zd.base}/api/v2/users/381001.json`);
    assert.equal(mia.users[0].organization_id, 3001);
    const shared = await (await get(`/api/v2/users/search?query=${encodeURIComponent('phone:+12065550199')}`)).json();
    assert.deepEqual(shared.users.map((u) => u.name), ['Chen Jie', 'Dana Kim']);
    assert.ok(shared.users.every((u) => u.shared_phone_number));
    assert.equal((await (await get('/api/v2/users/search?query=email:sam@unknown-prospect.example')).json()).count, 0);
    assert.equal((await get('/api/v2/users/search')).status, 400);
    const tickets = await (await get(`/api/v2/search?${new URLSearchParams({ query: 'type:ticket requester:381001', sort_by: 'created_at', sort_order: 'desc' })}`)).json();
    assert.deepEqual(tickets.results.map((t) => [t.id, t.result_type]), [[4521, 'ticket'], [4388, 'ticket']]);
    const asc = await (await get(`/api/v2/search?${new URLSearchParams({ query: 'type:ticket requester:381001', sort_by: 'created_at', sort_order: 'asc' })}`)).json();
    assert.deepEqual(asc.results.map((t) => t.id), [4388, 4521]);
    assert.equal((await (await get('/api/v2/organizations/3001')).json()).organization.name, 'Globex GmbH');
    assert.equal((await get('/api/v2/organizations/9')).status, 404);
    assert.equal((await get('/api/v2/users/381001/tickets/requested')).status, 404, 'not in the description: not served');
    zd.fail('organizations', { status: 500, body: { error: 'InternalError' } });
    assert.equal((await get('/api/v2/organizations/3001')).status, 500);
    zd.fail('organizations', null);
    assert.equal((await get('/api/v2/organizations/3001')).status, 200);
  } finally {
    await zd.stop();
  }
});

test('HubSpot: a note and a task created with the contact association are stored and found by search', async () => {
  const { startHubSpot, hubspotCreateProblem } = await import('./server.mjs');
  const hub = await startHubSpot({ token: 'pat-w' });
  try {
    const post = (path, body) => fetch(`${hub.base}${path}`, { method: 'POST', headers: { authorization: 'Bearer pat-w', 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const assoc = (typeId) => [{ to: { id: '501' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }] }];
    const note = await post('/crm/v3/objects/notes', { properties: { hs_timestamp: '2026-11-30T06:00:00Z', hs_note_body: 'hi [deskside:op-x]' }, associations: assoc(202) });
    assert.equal(note.status, 201);
    const { id } = await note.json();
    assert.equal(hub.data.notes.at(-1).id, id);
    const wrongType = await post('/crm/v3/objects/notes', { properties: { hs_timestamp: '2026-11-30T06:00:00Z', hs_note_body: 'x' }, associations: assoc(204) });
    assert.equal(wrongType.status, 400, 'a note is associated with a contact by type 202');
    const task = await post('/crm/v3/objects/tasks', { properties: { hs_timestamp: '2026-12-15T09:00:00Z', hs_task_subject: 'Call', hs_task_priority: 'URGENT' }, associations: assoc(204) });
    assert.equal(task.status, 400, 'URGENT is not a HubSpot priority');
    assert.equal((await post('/crm/v3/objects/tasks', { properties: { hs_timestamp: '2026-12-15T09:00:00Z', hs_task_subject: 'Call', hs_task_body: 'b [deskside:op-y]' }, associations: assoc(204) })).status, 201);
    const search = await post('/crm/v3/objects/tasks/search', { filterGroups: [{ filters: [{ propertyName: 'associations.contact', operator: 'EQ', value: '501' }] }], properties: ['hs_task_body'], sorts: [], limit: 100, after: '0' });
    const found = await search.json();
    assert.deepEqual(found.results.map((r) => r.properties.hs_task_body), ['b [deskside:op-y]']);
    assert.equal(hubspotCreateProblem({ method: 'POST', headers: { authorization: 'Bearer x' } }, new URL('http://h/crm/v3/objects/notes'), JSON.stringify({ properties: { hs_note_body: 'x' }, associations: assoc(202) })), 'hs_timestamp is required (a UTC time)');
  } finally {
    await hub.stop();
  }
});

test("HubSpot: the preset's own note and task requests (deskside write, the engine the extension runs) are accepted, stored and found by their check", async (t) => {
  const { spawn } = await import('node:child_process');
  const { existsSync } = await import('node:fs');
  const cli = process.env.DESKSIDE_CLI || new URL('../../target/debug/deskside', import.meta.url).pathname;
  if (!existsSync(cli)) return t.skip(`${cli} is missing: cargo build -p deskside-cli`);
  const hub = await startHubSpot({ token: 'pat-engine' });
  const run = (args) => new Promise((resolve) => {
    const c = spawn(cli, ['write', '--connector', 'hubspot', '--base-url', hub.base, '--record', '501', '--verify', ...args], { env: { ...process.env, DESKSIDE_KEY: 'pat-engine' } });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('close', (status) => resolve({ status, out: JSON.parse(out) }));
  });
  try {
    const note = await run(['--note', '--subject', 'Parcel <missing>', '--status', 'open', '--text', 'Re-sent & tracked', '--op', 'op-presetapi-0001']);
    assert.equal(note.status, 0);
    const stored = hub.data.notes.filter((n) => n.properties.hs_note_body.includes('[deskside:op-presetapi-0001]'));
    assert.equal(stored.length, 1);
    assert.deepEqual(stored[0].contacts, ['501']);
    assert.match(stored[0].properties.hs_note_body, /^Parcel &lt;missing&gt; \[open\]<br><br>Re-sent &amp; tracked<br><br>\[deskside:op-presetapi-0001\]$/);
    assert.deepEqual(note.out.verify.found, { id: stored[0].id, link: null }, 'the check finds the note by its marker');
    const task = await run(['--task', '--subject', 'Call back', '--due', '2026-12-15', '--priority', 'HIGH', '--op', 'op-presetapi-0002']);
    assert.equal(task.status, 0);
    const t1 = hub.data.tasks.find((x) => x.properties.hs_task_body === '[deskside:op-presetapi-0002]');
    assert.deepEqual([t1.properties.hs_task_subject, t1.properties.hs_timestamp, t1.properties.hs_task_priority, t1.contacts], ['Call back', '2026-12-15T09:00:00Z', 'HIGH', ['501']]);
    // With two notes on the contact, the check finds the one its marker names.
    const { status, out } = await run(['--note', '--text', 'x', '--op', 'op-presetapi-0003']);
    assert.equal(status, 0);
    assert.equal(out.verify.found.id, out.write.created.id);
    assert.notEqual(out.write.created.id, stored[0].id);
  } finally {
    await hub.stop();
  }
});
