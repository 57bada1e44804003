// The presets against their vendors' own API descriptions (issue 19).
//
// For each preset: a mock of the vendor's API on loopback (Prism, `prism mock
// --errors`, from the vendor's description; for HubSpot and Salesforce a small
// server written from the documented facts, see fixtures/README.md), a recording
// proxy in front of it, and the real Rust engine sending every request the preset
// can make (`deskside lookup --every-attempt`: every lookup kind, every attempt;
// with `--related`, then every follow-up request for the record found: its deals,
// tickets, notes, company).
// Fails when the mock reports a violation of the description (`sl-violations`,
// a 4xx/5xx), when a request is not the operation the preset means (method and
// path), when a JSON body does not have the operation's shape, or when an answer
// does not map through the preset.
//
//   node --test tests/contract/        (after `cargo build -p deskside-cli`)
//   DESKSIDE_VENDOR_SPECS=/path/to/vendor-specs   (default: ../shared/vendor-specs next to the repository, or /work/shared/vendor-specs; without them the suites for Zendesk, Freshdesk, Pipedrive and Zoho skip)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hubspotSearchProblem, hubspotCreateProblem, HUBSPOT_CREATE } from '../presetapi/server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
// The vendors' own descriptions are not redistributable (no licence is
// stated), so they are not in the repository: read from the shared folder
// beside it. Where it is absent, the suites that need them say so and skip;
// HubSpot, Salesforce and Intercom (fact server, CC0, MIT) always run.
const SPECS = [process.env.DESKSIDE_VENDOR_SPECS, path.resolve(ROOT, '../shared/vendor-specs'), '/work/shared/vendor-specs']
  .filter(Boolean)
  .find((d) => fs.existsSync(path.join(d, 'SOURCES.md')));
const NEEDS_SPECS = SPECS ? {} : { skip: "the vendors' descriptions are not here (../shared/vendor-specs, or set DESKSIDE_VENDOR_SPECS); they may not be redistributed" };
const CLI = process.env.DESKSIDE_CLI || path.join(ROOT, 'target/debug/deskside');
const PRISM = path.join(ROOT, 'tests/node_modules/.bin/prism');

const children = [];
const servers = [];
after(() => {
  for (const c of children) c.kill('SIGTERM');
  for (const s of servers) s.close();
});

before(() => {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: cargo build -p deskside-cli`);
  assert.ok(fs.existsSync(PRISM), `${PRISM} is missing: npm ci --prefix tests`);
});

function listen(server) {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

async function freePort() {
  const s = http.createServer();
  const port = await new Promise((r) => s.listen(0, '127.0.0.1', () => r(s.address().port)));
  await new Promise((r) => s.close(r));
  return port;
}

/** `prism mock --errors` on loopback; resolves with its port once it answers. */
async function prism(spec) {
  const port = await freePort();
  const child = spawn(PRISM, ['mock', '--errors', '-h', '127.0.0.1', '-p', String(port), spec], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prism stopped on ${spec}:\n${log}`);
    if (/Prism is listening/.test(log)) return port;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`prism did not start on ${spec} in 60 s:\n${log}`);
}

/** Prism's violations of an exchange: those of the request, and those of
 *  Prism's own answer (a defect of the description, not of the preset). */
function violations(header) {
  const all = header ? JSON.parse(header) : [];
  return { request: all.filter((v) => v.location?.[0] !== 'response'), response: all.filter((v) => v.location?.[0] === 'response') };
}

/** A proxy that records each exchange (request, status, Prism's violations).
 *  With `fixture`, an answer that breaks the description's own response
 *  schema (and only that) is replaced by the fixture, a documented shape.
 *  `route(url)` may send a request elsewhere: `{port, path?, fixture?, answer?, headers?}`
 *  (another description's mock, a description that predates a documented change). */
async function recorder(targetPort, fixture, route = () => null) {
  const exchanges = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const to = route(new URL(req.url, 'http://x'), req) || {};
      const port = to.port || targetPort;
      const fix = to.fixture || fixture;
      const fwd = http.request({ host: '127.0.0.1', port, method: req.method, path: to.path || req.url, headers: { ...req.headers, ...(to.headers || {}), host: `127.0.0.1:${port}` } }, (up) => {
        const out = [];
        up.on('data', (c) => out.push(c));
        up.on('end', () => {
          let answer = Buffer.concat(out);
          let status = up.statusCode;
          const v = violations(up.headers['sl-violations']);
          // `to.answer`: the documented answer instead of the description's example (checked by Prism all the same).
          const defect = (fix && v.request.length === 0 && v.response.length > 0) || (to.answer && v.request.length === 0);
          if (defect) {
            [status, answer] = [200, to.answer || fix];
          }
          exchanges.push({ method: req.method, url: new URL(req.url, 'http://x'), headers: req.headers, body: body.toString('utf8'), status, violations: v, defect, answer: answer.toString('utf8') });
          res.writeHead(status, { 'content-type': up.headers['content-type'] || 'application/json' });
          res.end(answer);
        });
      });
      fwd.on('error', (e) => { res.writeHead(502); res.end(String(e)); });
      fwd.end(body);
    });
  });
  return { port: await listen(server), exchanges };
}

const SECRETS = {
  DESKSIDE_KEY: 'contract-key-0123', DESKSIDE_USERNAME: 'agent@acme.example/token', DESKSIDE_PASSWORD: 'contract-token-0123',
  DESKSIDE_CLIENT_ID: 'contract-client-0123', DESKSIDE_CLIENT_SECRET: 'contract-secret-0123', DESKSIDE_REFRESH_TOKEN: 'contract-refresh-0123',
};

/** Every attempt of one lookup through the real engine (asynchronous: the
 *  recording proxy runs in this process). */
async function lookup(preset, base, flag, value, extra = []) {
  const child = spawn(CLI, ['lookup', '--connector', preset, '--base-url', base, flag, value, '--every-attempt', ...extra], { env: { ...process.env, ...SECRETS } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise((resolve) => child.on('close', resolve));
  const r = { status, stdout, stderr };
  let out;
  try { out = JSON.parse(r.stdout); } catch { throw new Error(`deskside lookup ${preset} ${flag} ${value}: exit ${r.status}\n${r.stdout}\n${r.stderr}`); }
  return { status: r.status, attempts: out.attempts, related: out.related, record: out.record, stderr: r.stderr };
}

/** One exchange's checks: the description's verdict on the request (and on
 *  its own answer), a success status, one of the operations meant, the body's shape. */
function checkExchange(x, what, ops, bodyOk, flag) {
  assert.deepEqual(x.violations.request, [], `${what}: the request violates the description: ${JSON.stringify(x.violations.request)}`);
  if (!x.defect) assert.deepEqual(x.violations.response, [], `${what}: Prism's answer violates the description: ${JSON.stringify(x.violations.response)}\n${x.answer}`);
  assert.ok(x.status >= 200 && x.status < 300, `${what}: status ${x.status}\n${x.answer}`);
  const op = ops.find(([m, p]) => m === x.method && p.test(x.url.pathname));
  assert.ok(op, `${what}: not one of the operations the preset means`);
  if (x.method === 'POST') {
    assert.match(x.headers['content-type'] || '', /^application\/json/, what);
    const check = op[2] || bodyOk;
    const problem = check(JSON.parse(x.body), flag);
    assert.equal(problem, null, `${what}: body ${x.body}: ${problem}`);
  }
}

/**
 * The follow-up requests for the record one lookup finds (`--related`): each
 * checked like a lookup, each answer read into the record without an error.
 * `ops`: [method, path regex, bodyOk?]; `into`: what each one fills, in order.
 */
async function proveRelated({ preset, rec, basePath = '', lookup: [flag, value], ops, into, extra = [] }) {
  const before = rec.exchanges.length;
  const r = await lookup(preset, `http://127.0.0.1:${rec.port}${basePath}`, flag, value, ['--related', ...extra]);
  assert.ok(r.record, `${preset} ${flag} ${value}: no record found, no follow-up sent\n${r.stderr}`);
  const mine = rec.exchanges.slice(before).filter((x) => !x.url.pathname.endsWith('/token'));
  const followUps = mine.slice(r.attempts.length);
  assert.deepEqual(r.related.map((f) => f.into), into, `${preset}: the follow-ups sent\n${JSON.stringify(r.related, null, 1)}`);
  assert.equal(followUps.length, into.length, `${preset}: follow-up requests seen by the mock`);
  for (const [i, x] of followUps.entries()) {
    const what = `${preset} follow-up ${i + 1} (${into[i]}): ${x.method} ${x.url.pathname}${x.url.search}`;
    checkExchange(x, what, ops, () => 'a body the test did not expect', flag);
    assert.equal(r.related[i].error, null, `${what}: the answer does not map: ${r.related[i].error}\n${x.answer}`);
  }
  assert.ok(!JSON.stringify(r).includes('contract-'), `${preset}: a secret in the output`);
  assert.equal(r.status, 0, `${preset} --related: exit ${r.status}\n${r.stderr}`);
  return r.record;
}

/**
 * Runs every lookup of a preset against a mock and checks each exchange.
 * `ops`: [method, path regex] of the operations the preset means;
 * `bodyOk(json)`: the operation's body shape, or null for GET.
 */
async function prove({ preset, mockPort, basePath = '', lookups, ops, bodyOk, found, fixture, route, extra = [], rec: given }) {
  const rec = given || await recorder(mockPort, fixture, route);
  const base = `http://127.0.0.1:${rec.port}${basePath}`;
  let sent = 0;
  let mapped = 0;
  for (const [flag, value, attempts] of lookups) {
    const before = rec.exchanges.length;
    const r = await lookup(preset, base, flag, value, extra);
    const mine = rec.exchanges.slice(before).filter((x) => !x.url.pathname.endsWith('/token'));
    assert.equal(r.attempts.length, attempts, `${preset} ${flag} ${value}: attempts\n${JSON.stringify(r.attempts, null, 1)}`);
    assert.equal(mine.length, attempts, `${preset} ${flag} ${value}: requests seen by the mock`);
    for (const [i, x] of mine.entries()) {
      const what = `${preset} ${flag} ${value} attempt ${i + 1}: ${x.method} ${x.url.pathname}${x.url.search}`;
      checkExchange(x, what, ops, bodyOk, flag);
      const a = r.attempts[i];
      assert.equal(a.error, null, `${what}: the answer does not map: ${a.error}\n${x.answer}`);
      assert.ok(!JSON.stringify(a).includes('contract-key') && !JSON.stringify(a).includes('contract-token'), `${what}: a secret in the output`);
      mapped += a.customers.length + a.near_misses;
    }
    assert.equal(r.status, 0, `${preset} ${flag} ${value}: exit ${r.status}\n${r.stderr}`);
    sent += mine.length;
  }
  if (found) assert.ok(mapped > 0, `${preset}: no answer held a record; the mapping was not exercised`);
  return { sent, rec };
}

const spec = (...p) => path.join(SPECS ?? '', ...p);
const fixture = (f) => fs.readFileSync(path.join(HERE, 'fixtures', f));

test('Zendesk Support against its oas.yaml (SearchUsers, ShowUser; ListSearchResults, ShowOrganization)', NEEDS_SPECS, async () => {
  const port = await prism(spec('zendesk/openapi-src.yaml'));
  const { sent, rec } = await prove({
    preset: 'zendesk', mockPort: port, found: true,
    lookups: [['--email', 'robert.jones@example.com', 1], ['--phone', '+14155550132', 3], ['--id', '35436', 1]],
    ops: [['GET', /^\/api\/v2\/users\/search$/], ['GET', /^\/api\/v2\/users\/\d+$/]],
  });
  assert.equal(sent, 5);
  // The ShowUser example has no organization_id: only the tickets are asked for.
  const record = await proveRelated({
    preset: 'zendesk', rec, lookup: ['--id', '35436'], into: ['tickets'],
    ops: [['GET', /^\/api\/v2\/search$/]],
  });
  assert.ok(record.tickets.length > 0, 'the SearchResponse example maps to tickets');
});

test('Freshdesk against the (unofficial) contacts and tickets descriptions (listContacts, getContact, listTickets; companies from the documentation)', NEEDS_SPECS, async () => {
  const contacts = await prism(spec('freshdesk-UNOFFICIAL/freshdesk-contacts-api-openapi.yml'));
  const tickets = await prism(spec('freshdesk-UNOFFICIAL/freshdesk-tickets-api-openapi.yml'));
  // GET /companies/{id} is in Freshdesk's documentation (developers.freshdesk.com/api, Companies: View a Company),
  // not in the unofficial descriptions: a server written from it answers the documented company.
  const companies = await factServer((req, url) => {
    // (An integer id: Prism makes up the contact's company_id from its schema.)
    if (req.method !== 'GET' || !/^\/companies\/-?\d+$/.test(url.pathname)) return `no operation ${req.method} ${url.pathname}`;
    if (!/^Basic \S+$/.test(req.headers.authorization || '')) return 'the API key is sent as Basic auth';
    return null;
  }, fixture('freshdesk-company.View_a_Company.json'));
  const route = (url) => (url.pathname === '/tickets' ? { port: tickets } : /^\/companies\//.test(url.pathname) ? { port: companies } : null);
  const { sent, rec } = await prove({
    preset: 'freshdesk', mockPort: contacts, route,
    lookups: [['--email', 'wang.fang@lianhe-trade.example', 1], ['--phone', '+8613912345678', 4], ['--id', '43000551234', 1]],
    ops: [['GET', /^\/contacts$/], ['GET', /^\/contacts\/\d+$/]],
  });
  assert.equal(sent, 6);
  await proveRelated({
    preset: 'freshdesk', rec, lookup: ['--id', '43000551234'], into: ['tickets', 'company'],
    ops: [['GET', /^\/tickets$/], ['GET', /^\/companies\/-?\d+$/]],
  });
});

test('Pipedrive against its openapi-v2.yaml (searchPersons, getPerson, getStages, getDeals, getActivities, getOrganization) and v1 (getNotes)', NEEDS_SPECS, async () => {
  const v2 = await prism(spec('pipedrive/pipedrive_openapi-v2.yaml'));
  const v1 = await prism(spec('pipedrive/pipedrive.oas.yaml'));
  // The descriptions' servers are …/api/v2 and …/v1. The v1 copy (2024) declares the token as
  // ?api_token=; Pipedrive's authentication page now says x-api-token for all requests, so the
  // proxy moves the header into the parameter that copy checks (and nothing else).
  const route = (url, req) => {
    if (url.pathname.startsWith('/api/v2/')) return { port: v2, path: url.pathname.slice('/api/v2'.length) + url.search };
    if (url.pathname.startsWith('/v1/')) {
      const moved = new URL(url);
      moved.searchParams.set('api_token', req.headers['x-api-token'] || '');
      return { port: v1, path: moved.pathname.slice('/v1'.length) + moved.search };
    }
    return null;
  };
  const { sent, rec } = await prove({
    preset: 'pipedrive', mockPort: v2, route, found: true,
    lookups: [['--email', 'jane@pipedrive.com', 1], ['--phone', '+372 555555555', 3], ['--id', '1', 1]],
    ops: [['GET', /^\/api\/v2\/persons\/search$/], ['GET', /^\/api\/v2\/persons\/\d+$/]],
  });
  assert.equal(sent, 5);
  const record = await proveRelated({
    preset: 'pipedrive', rec, lookup: ['--id', '1'], into: ['labels', 'deals', 'notes', 'notes', 'company'],
    ops: [['GET', /^\/api\/v2\/stages$/], ['GET', /^\/api\/v2\/deals$/], ['GET', /^\/v1\/notes$/], ['GET', /^\/api\/v2\/activities$/], ['GET', /^\/api\/v2\/organizations\/\d+$/]],
  });
  assert.ok(record.deals.length > 0 && record.notes.length > 0, 'the examples map to deals and notes');
  // getStages' example names the stage getDeals' example is in (a stage id without a name would stay a number).
  assert.ok(record.deals.every((d) => d.stage && !/^\d+$/.test(d.stage)), `stages named: ${JSON.stringify(record.deals.map((d) => d.stage))}`);
});

test('Intercom against its api.intercom.io.yaml 2.14 (SearchContacts; ListAttachedCompaniesForContact, searchConversations, listNotes)', async () => {
  const port = await prism(path.join(HERE, 'specs/intercom/api.intercom.io.yaml'));
  // The search_request schema is loose (Prism took {"query": "a string"}): its shape by hand.
  const fields = { '--email': ['email'], '--phone': ['phone'], '--id': ['id', 'external_id'] };
  const single = (q) => q && typeof q.field === 'string' && q.operator === '=' && typeof q.value === 'string';
  const bodyOk = (b, flag) => {
    if (!b.pagination || !Number.isInteger(b.pagination.per_page)) return 'pagination.per_page';
    const qs = b.query.operator === 'OR' ? b.query.value : [b.query];
    if (!Array.isArray(qs) || !qs.every(single)) return 'query is not {field, operator "=", value} or an OR of them';
    if (qs.map((q) => q.field).join() !== fields[flag].join()) return `fields ${qs.map((q) => q.field)}`;
    return null;
  };
  const { sent } = await prove({
    preset: 'intercom', mockPort: port, bodyOk,
    lookups: [['--email', 'joe@bloggs.com', 1], ['--phone', '+33612345678', 3], ['--id', '6762f0d01bb69f9f2193bb7d', 1]],
    ops: [['POST', /^\/contacts\/search$/]],
  });
  assert.equal(sent, 5);
  // The SearchContacts example is an empty list: the follow-ups are proved for the
  // contact of the documented contact_list shape (fixture), the lookup itself still checked by Prism.
  const rec = await recorder(port, null, (url) => (url.pathname === '/contacts/search' ? { answer: fixture('intercom-contacts-search.contact_list.json') } : null));
  const conversationsBody = (b) => (b.query?.field === 'contact_ids' && b.query.operator === '=' && typeof b.query.value === 'string' && Number.isInteger(b.pagination?.per_page) ? null : 'not a contact_ids search');
  const record = await proveRelated({
    preset: 'intercom', rec, lookup: ['--id', '6762f0d01bb69f9f2193bb7d'], into: ['company', 'tickets', 'notes'],
    ops: [['POST', /^\/contacts\/search$/, bodyOk], ['GET', /^\/contacts\/[^/]+\/companies$/], ['POST', /^\/conversations\/search$/, conversationsBody], ['GET', /^\/contacts\/[^/]+\/notes$/]],
  });
  assert.ok(record.notes.length > 0, 'the note_list example maps to notes');
});

test('Zoho CRM against its crm-oas v8.0 record.json (Search Records) and related_records.json (Get Related Records), $refs made local; the token from a refresh-token grant', NEEDS_SPECS, async () => {
  // The files refer to each other by the vendor repository's URLs: copy and rewrite.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoho-oas-'));
  const prefix = 'https://raw.githubusercontent.com/Zohocorp-Pvt-Ltd/crm-oas/refs/heads/main/v8.0/';
  for (const f of fs.readdirSync(spec('zoho-crm'))) {
    fs.writeFileSync(path.join(dir, f), fs.readFileSync(spec('zoho-crm', f), 'utf8').split(prefix).join('./'));
  }
  const port = await prism(path.join(dir, 'record.json'));
  const related = await prism(path.join(dir, 'related_records.json'));
  // Zoho's token endpoint (accounts.zoho<dc>/oauth/v2/token; Zoho's OAuth guide, "Refresh access token"):
  // a form POST of the refresh-token grant, answered {access_token, api_domain, token_type, expires_in}.
  const token = await factServer((req, url, body) => {
    if (req.method !== 'POST' || url.pathname !== '/oauth/v2/token') return `no operation ${req.method} ${url.pathname}`;
    const f = new URLSearchParams(body);
    for (const k of ['refresh_token', 'client_id', 'client_secret']) if (!f.get(k)) return `${k} is required`;
    return f.get('grant_type') === 'refresh_token' ? null : 'grant_type=refresh_token';
  }, JSON.stringify({ access_token: '1000.contract-access', api_domain: 'https://www.zohoapis.com', token_type: 'Bearer', expires_in: 3600 }));
  // Search Records answers `oneOf: [Response_Wrapper, API_Exception]`, and any
  // object matches both, so Prism refuses every answer it makes (a 500 with a
  // response-only violation): the request is still checked, and the answer
  // mapped is the documented Response_Wrapper shape. Get Related Records alike.
  // Prism checks an OAuth 2 scheme as `Authorization: Bearer`; Zoho's documentation has its own
  // prefix (`Zoho-oauthtoken`, which the preset sends and the test checks below): the proxy shows
  // Prism the same token as Bearer.
  const asBearer = (req) => ({ authorization: (req.headers.authorization || '').replace(/^Zoho-oauthtoken /, 'Bearer ') });
  const route = (url, req) => (/^\/crm\/v8\/\w+\/\d+\/\w+$/.test(url.pathname)
    ? { port: related, headers: asBearer(req), fixture: url.pathname.endsWith('/Deals') ? fixture('zoho-related-deals.Response_Wrapper.json') : fixture('zoho-related-notes.Response_Wrapper.json') }
    : { headers: asBearer(req) });
  const extra = ['--token-url', `http://127.0.0.1:${token}/oauth/v2/token`];
  const { sent, rec } = await prove({
    preset: 'zoho_crm', mockPort: port, basePath: '/crm/v8', fixture: fixture('zoho-search.Response_Wrapper.json'), found: true, route, extra,
    lookups: [['--email', 'ananya.iyer@kaveri-foods.example', 2], ['--phone', '+919845012345', 4]],
    ops: [['GET', /^\/crm\/v8\/(Contacts|Leads)\/search$/]],
  });
  assert.equal(sent, 6);
  assert.deepEqual([...new Set(rec.exchanges.map((x) => x.headers.authorization))], ['Zoho-oauthtoken 1000.contract-access'], 'the exchanged token, as Zoho wants it');
  const record = await proveRelated({
    preset: 'zoho_crm', rec, basePath: '/crm/v8', lookup: ['--email', 'ananya.iyer@kaveri-foods.example'], into: ['deals', 'notes'], extra,
    ops: [['GET', /^\/crm\/v8\/Contacts\/\d+\/(Deals|Notes)$/], ['GET', /^\/crm\/v8\/(Contacts|Leads)\/search$/]],
  });
  assert.ok(record.deals.length > 0 && record.notes.length > 0);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A loopback server: `check(req, url, body)` names a violation or null; answers
 *  `answer` (or `answer(req, url, body)`). */
async function factServer(check, answer) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, 'http://x');
      const body = Buffer.concat(chunks).toString('utf8');
      const problem = check(req, url, body);
      if (problem) {
        res.writeHead(422, { 'content-type': 'application/json', 'sl-violations': JSON.stringify([{ message: problem }]) });
        res.end(JSON.stringify({ message: problem }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(typeof answer === 'function' ? answer(req, url, body) : answer);
    });
  });
  return listen(server);
}

test('HubSpot against a server written from SOURCES.md (contacts search; companies, deals, tickets, notes searched by association; the deal and ticket pipelines; the description is not redistributable)', async () => {
  // The request's shape by the description (shared with the e2e suite's HubSpot server).
  const check = hubspotSearchProblem;
  const answers = {
    contacts: fixture('hubspot-contacts-search.CollectionResponseWithTotalSimplePublicObject.json'),
    companies: fixture('hubspot-companies-search.CollectionResponseWithTotalSimplePublicObject.json'),
    deals: fixture('hubspot-deals-search.CollectionResponseWithTotalSimplePublicObject.json'),
    tickets: fixture('hubspot-tickets-search.CollectionResponseWithTotalSimplePublicObject.json'),
    notes: fixture('hubspot-notes-search.CollectionResponseWithTotalSimplePublicObject.json'),
    'pipelines/deals': fixture('hubspot-pipelines-deals.CollectionResponsePipelineNoPaging.json'),
    'pipelines/tickets': fixture('hubspot-pipelines-tickets.CollectionResponsePipelineNoPaging.json'),
  };
  const port = await factServer(check, (req, url) => {
    const [, , , kind, type] = url.pathname.split('/');
    return answers[kind === 'pipelines' ? `pipelines/${type}` : type];
  });
  const { sent, rec } = await prove({
    preset: 'hubspot', mockPort: port, found: true,
    bodyOk: (b, flag) => {
      const names = b.filterGroups.map((g) => g.filters[0].propertyName).join();
      const want = { '--email': 'email', '--phone': 'phone,mobilephone', '--id': 'hs_object_id' }[flag];
      return names === want ? null : `filters on ${names}, expected ${want}`;
    },
    lookups: [['--email', 'maria.garcia@northwind.example', 1], ['--phone', '+16175550142', 3], ['--id', '51201', 1]],
    ops: [['POST', /^\/crm\/v3\/objects\/contacts\/search$/]],
  });
  assert.equal(sent, 5);
  // "Search through associations": the pseudo-property associations.contact, EQ the contact's id.
  const byContact = (b) => (b.filterGroups.length === 1 && b.filterGroups[0].filters.length === 1 && b.filterGroups[0].filters[0].propertyName === 'associations.contact' && b.filterGroups[0].filters[0].value === '51201' ? null : 'not a search by the contact');
  const record = await proveRelated({
    preset: 'hubspot', rec, lookup: ['--email', 'maria.garcia@northwind.example'], into: ['company', 'labels', 'labels', 'deals', 'tickets', 'notes'],
    ops: [['POST', /^\/crm\/v3\/objects\/contacts\/search$/, () => null], ['POST', /^\/crm\/v3\/objects\/(companies|deals|tickets|notes)\/search$/, byContact],
      ['GET', /^\/crm\/v3\/pipelines\/(deals|tickets)$/]],
  });
  assert.ok(record.deals.length && record.tickets.length && record.notes.length, JSON.stringify(record));
  // The associated company (not the contact's company property), stage ids as the portal labels them, the close date as a day.
  assert.equal(record.company, 'Northwind Traders Inc.');
  assert.deepEqual([record.deals[0].stage, record.deals[0].close_date, record.tickets[0].status, record.tickets[0].priority], ['Contract out for signature', '2026-12-15', 'New', 'High']);
});

test("Salesforce against the Postman collection's Search, Query and Refresh Token requests (method, path, parameters) and the documented shapes", async () => {
  const read = (f) => JSON.parse(fs.readFileSync(path.join(HERE, 'specs/salesforce', f), 'utf8'));
  const [search, query, refresh] = [read('search.json'), read('query.json'), read('refresh_token.json')];
  // "{{_endpoint}}/services/data/v{{version}}/search?q" → a path pattern.
  const pattern = (r) => new RegExp('^' + r.url.replace(/^\{\{\w+\}\}(\{\{\w+\}\})?/, '').split('?')[0].replace('v{{version}}', 'v\\d+\\.\\d') + '$');
  const [searchRe, queryRe, tokenRe] = [pattern(search), pattern(query), pattern(refresh)];
  const params = (r) => r.queryParams.map((p) => p.key);
  const check = (req, url, body) => {
    if (req.method === refresh.method && tokenRe.test(url.pathname)) {
      // The collection's form: grant_type=refresh_token, client_id, client_secret, refresh_token.
      const f = new URLSearchParams(body);
      const keys = refresh.data.map((d) => d.key);
      if (!/^application\/x-www-form-urlencoded/.test(req.headers['content-type'] || '')) return 'the token request is a form';
      if ([...f.keys()].sort().join() !== [...keys].sort().join()) return `form fields ${[...f.keys()]}, expected ${keys}`;
      return f.get('grant_type') === 'refresh_token' ? null : 'grant_type';
    }
    if (!/^Bearer \S+$/.test(req.headers.authorization || '')) return 'the collection authenticates with a Bearer token';
    const q = url.searchParams.get('q') || '';
    if (req.method === search.method && searchRe.test(url.pathname)) {
      for (const k of url.searchParams.keys()) if (!params(search).includes(k)) return `unknown parameter ${k}`;
      // One escaped term in braces, then the fields and the objects returned.
      if (!/^FIND \{(?:[^{}\\]|\\.)+\} IN (EMAIL|PHONE) FIELDS RETURNING Contact\(.+\), Lead\(.+\) LIMIT \d+$/.test(q)) return `not the SOSL the preset means: ${q}`;
      return null;
    }
    if (req.method === query.method && queryRe.test(url.pathname)) {
      for (const k of url.searchParams.keys()) if (!params(query).includes(k)) return `unknown parameter ${k}`;
      // A SELECT of one object filtered by a quoted, escaped literal.
      if (!/^SELECT [\w, ]+ FROM (Opportunity|Case) WHERE \w+ = '(?:[^'\\]|\\.)*'( AND IsClosed = false)? ORDER BY \w+( DESC)? LIMIT \d+$/.test(q)) return `not the SOQL the preset means: ${q}`;
      return null;
    }
    return `not one of the collection's requests: ${req.method} ${url.pathname}`;
  };
  const answer = (req, url) => {
    if (tokenRe.test(url.pathname)) return JSON.stringify({ access_token: '00Dcontract!access', instance_url: 'https://acme.my.salesforce.com', token_type: 'Bearer', issued_at: '1763424000000', signature: 'x' });
    if (searchRe.test(url.pathname)) return fixture('salesforce-search.searchRecords.json');
    return fixture(/FROM Opportunity/.test(url.searchParams.get('q')) ? 'salesforce-query.Opportunity.json' : 'salesforce-query.Case.json');
  };
  const port = await factServer(check, answer);
  const rec = await recorder(port);
  const extra = ['--token-url', `http://127.0.0.1:${rec.port}/services/oauth2/token`];
  const { sent } = await prove({
    preset: 'salesforce', rec, basePath: '/services/data/v62.0', found: true, extra,
    lookups: [['--email', "o'brien+x@brightpath.example", 1], ['--email', 'emily.chen@brightpath.example', 1], ['--phone', '+14155550132', 2]],
    ops: [['GET', searchRe]],
  });
  assert.equal(sent, 4);
  assert.equal(rec.exchanges.filter((x) => x.url.pathname.endsWith('/token')).length, 3, 'one token exchange per run');
  const record = await proveRelated({
    preset: 'salesforce', rec, basePath: '/services/data/v62.0', lookup: ['--email', 'emily.chen@brightpath.example'], into: ['deals', 'tickets'], extra,
    ops: [['GET', searchRe], ['GET', queryRe]],
  });
  assert.ok(record.deals.length && record.tickets.length, JSON.stringify(record));
});

// ---------------------------------------------------------------- writes (issue 20)
//
// Every preset's write-back requests, sent by the real engine (`deskside write
// --verify`: the note or task, then the check that searches for the operation's
// marker), each checked like a lookup: the vendor's description (Prism) or the
// documented facts (a fact server) must accept the request, the answer must be
// a 2xx, the request must be the operation the preset means, and its body must
// carry what the write is for (the record, the marker).

const WRITE_VALUES = {
  note: ['--subject', 'Parcel <missing> & late', '--status', 'open', '--ticket-url', 'https://acme.zendesk.com/agent/tickets/7', '--text', 'Re-sent "by courier"\nline 2'],
  task: ['--subject', 'Call back about ORD-1', '--due', '2026-12-15', '--text', 'ask <b>now</b>'],
};

/** One write and its check through the engine. */
async function write(preset, base, kind, record, extra = []) {
  const op = `op-contract-${kind}-${Date.now().toString(36)}`;
  const child = spawn(CLI, ['write', '--connector', preset, '--base-url', base, '--record', record, `--${kind}`, ...WRITE_VALUES[kind], '--op', op, '--verify', ...extra], { env: { ...process.env, ...SECRETS } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise((resolve) => child.on('close', resolve));
  let out;
  try { out = JSON.parse(stdout); } catch { throw new Error(`deskside write ${preset} --${kind}: exit ${status}\n${stdout}\n${stderr}`); }
  return { status, op, out, stderr };
}

/**
 * Each of `kinds` ([kind, writeOp, verifyOp, bodyOk(json, op)]) written for
 * `record` and checked: two exchanges seen (the write, then its check), each
 * accepted by the description, a 2xx, the operation meant; the write's body
 * as `bodyOk` wants it and carrying the marker; the answer read (the created
 * id) and the check's answer read without an error.
 */
async function proveWrites({ preset, rec, basePath = '', record, kinds, extra = [] }) {
  for (const [kind, writeOp, verifyOp, bodyOk] of kinds) {
    const before = rec.exchanges.length;
    const r = await write(preset, `http://127.0.0.1:${rec.port}${basePath}`, kind, record, extra);
    const mine = rec.exchanges.slice(before).filter((x) => !x.url.pathname.endsWith('/token'));
    assert.equal(mine.length, 2, `${preset} ${kind}: the write and its check\n${JSON.stringify(r.out, null, 1)}\n${r.stderr}`);
    const [w, v] = mine;
    const marker = `[deskside:${r.op}]`;
    checkExchange(w, `${preset} ${kind}: ${w.method} ${w.url.pathname}`, [[...writeOp, (b) => bodyOk(b, marker)]], null);
    assert.ok(w.body.includes(marker), `${preset} ${kind}: the write carries its marker: ${w.body}`);
    checkExchange(v, `${preset} ${kind} check: ${v.method} ${v.url.pathname}${v.url.search}`, [verifyOp], () => null);
    assert.equal(r.out.write.error, null, `${preset} ${kind}: ${r.out.write.error}`);
    assert.ok(r.out.write.created?.id, `${preset} ${kind}: the created id is read from the answer\n${w.answer}`);
    assert.equal(r.out.verify.error, null, `${preset} ${kind} check: the answer does not read: ${r.out.verify.error}\n${v.answer}`);
    assert.ok(!JSON.stringify(r.out).includes('contract-key') && !JSON.stringify(r.out).includes('contract-token'), `${preset} ${kind}: a secret in the output`);
    assert.equal(r.status, 0, `${preset} ${kind}: exit ${r.status}\n${r.stderr}`);
  }
}

/** A JSON text value that holds the note as HTML: the agent's markup escaped, line breaks as <br>. */
const htmlNote = (s, marker) => typeof s === 'string' && s.includes('Parcel &lt;missing&gt; &amp; late') && s.includes('Re-sent &quot;by courier&quot;<br>line 2') && s.endsWith(marker);
const htmlTask = (s, marker) => typeof s === 'string' && s.startsWith('ask &lt;b&gt;now&lt;/b&gt;') && s.endsWith(marker);

test('Writes: HubSpot notes and tasks (SimplePublicObjectInputForCreate with associations to the contact; the check a search by association)', async () => {
  const created = (type) => JSON.stringify({ id: '80001', properties: { hs_object_id: '80001' }, createdAt: '2026-11-30T09:00:00Z', updatedAt: '2026-11-30T09:00:00Z', archived: false, type });
  const port = await factServer(
    (req, url, body) => (HUBSPOT_CREATE.test(url.pathname) ? hubspotCreateProblem(req, url, body) : hubspotSearchProblem(req, url, body)),
    (req, url) => (HUBSPOT_CREATE.test(url.pathname) ? created(url.pathname) : fixture('hubspot-notes-search.CollectionResponseWithTotalSimplePublicObject.json')),
  );
  const rec = await recorder(port);
  const byContact = (b) => (b.filterGroups[0].filters[0].propertyName === 'associations.contact' && b.filterGroups[0].filters[0].value === '51201' ? null : 'not a search by the contact');
  await proveWrites({
    preset: 'hubspot', rec, record: '51201', kinds: [
      ['note', ['POST', /^\/crm\/v3\/objects\/notes$/], ['POST', /^\/crm\/v3\/objects\/notes\/search$/, byContact],
        (b, m) => (htmlNote(b.properties.hs_note_body, m) ? null : `hs_note_body ${b.properties.hs_note_body}`)],
      ['task', ['POST', /^\/crm\/v3\/objects\/tasks$/], ['POST', /^\/crm\/v3\/objects\/tasks\/search$/, byContact],
        (b, m) => (htmlTask(b.properties.hs_task_body, m) && b.properties.hs_timestamp === '2026-12-15T09:00:00Z' ? null : `properties ${JSON.stringify(b.properties)}`)],
    ],
  });
});

test("Writes: Salesforce Tasks (the Postman collection's SObject Create and Query; Task fields and picklists from the Object Reference)", async () => {
  const read = (f) => JSON.parse(fs.readFileSync(path.join(HERE, 'specs/salesforce', f), 'utf8'));
  const [create, query, refresh] = [read('sobject_create.json'), read('query.json'), read('refresh_token.json')];
  const pattern = (r) => new RegExp('^' + r.url.replace(/^\{\{\w+\}\}(\{\{\w+\}\})?/, '').split('?')[0].replace('v{{version}}', 'v\\d+\\.\\d').replace('<SOBJECT_API_NAME>', '(\\w+)') + '$');
  const [createRe, queryRe, tokenRe] = [pattern(create), pattern(query), pattern(refresh)];
  // Task (Object Reference): these fields are createable; Status and Priority are the standard picklists.
  const TASK_FIELDS = ['WhoId', 'WhatId', 'Subject', 'Description', 'Status', 'Priority', 'ActivityDate', 'OwnerId', 'TaskSubtype'];
  const STATUS = ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'];
  const check = (req, url, body) => {
    if (req.method === refresh.method && tokenRe.test(url.pathname)) return new URLSearchParams(body).get('grant_type') === 'refresh_token' ? null : 'grant_type';
    if (!/^Bearer \S+$/.test(req.headers.authorization || '')) return 'the collection authenticates with a Bearer token';
    const c = createRe.exec(url.pathname);
    if (req.method === create.method && c) {
      if (c[1] !== 'Task') return `not a Task: ${c[1]}`;
      if (!/^application\/json/.test(req.headers['content-type'] || '')) return "the collection's Content-Type is application/json";
      const b = JSON.parse(body);
      for (const k of Object.keys(b)) if (!TASK_FIELDS.includes(k)) return `Task has no createable field ${k}`;
      if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(b.WhoId || '')) return 'WhoId is a 15 or 18 character id';
      if (b.Status && !STATUS.includes(b.Status)) return `Status ${b.Status}`;
      if (b.Priority && !['High', 'Normal', 'Low'].includes(b.Priority)) return `Priority ${b.Priority}`;
      if (b.ActivityDate && !/^\d{4}-\d{2}-\d{2}$/.test(b.ActivityDate)) return 'ActivityDate is a date';
      if (b.TaskSubtype && !['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'].includes(b.TaskSubtype)) return 'TaskSubtype';
      return null;
    }
    if (req.method === query.method && queryRe.test(url.pathname)) {
      for (const k of url.searchParams.keys()) if (k !== 'q') return `unknown parameter ${k}`;
      const q = url.searchParams.get('q') || '';
      return /^SELECT Id, Description FROM Task WHERE WhoId = '(?:[^'\\]|\\.)*' ORDER BY CreatedDate DESC LIMIT \d+$/.test(q) ? null : `not the SOQL the preset means: ${q}`;
    }
    return `not one of the collection's requests: ${req.method} ${url.pathname}`;
  };
  const answer = (req, url) => {
    if (tokenRe.test(url.pathname)) return JSON.stringify({ access_token: '00Dcontract!access', instance_url: 'https://acme.my.salesforce.com', token_type: 'Bearer', issued_at: '1763424000000', signature: 'x' });
    if (createRe.test(url.pathname)) return JSON.stringify({ id: '00TDn00000abcdEMAQ', success: true, errors: [] });
    return JSON.stringify({ totalSize: 1, done: true, records: [{ attributes: { type: 'Task', url: '/services/data/v62.0/sobjects/Task/00TDn00000abcdXMAQ' }, Id: '00TDn00000abcdXMAQ', Description: 'Called.' }] });
  };
  const rec = await recorder(await factServer(check, answer));
  const extra = ['--token-url', `http://127.0.0.1:${rec.port}/services/oauth2/token`];
  const plain = (s, marker) => typeof s === 'string' && s.endsWith(marker);
  await proveWrites({
    preset: 'salesforce', rec, basePath: '/services/data/v62.0', record: '003Dn00000QX9fPIAT', extra, kinds: [
      ['note', ['POST', createRe], ['GET', queryRe], (b, m) => (b.Status === 'Completed' && plain(b.Description, m) && b.Description.includes('Parcel <missing> & late [open]') ? null : JSON.stringify(b))],
      ['task', ['POST', createRe], ['GET', queryRe], (b, m) => (b.Status === 'Not Started' && b.ActivityDate === '2026-12-15' && plain(b.Description, m) ? null : JSON.stringify(b))],
    ],
  });
});

test('Writes: Pipedrive notes (v1 addNote, getNotes) and activities (v2 addActivity, getActivities)', NEEDS_SPECS, async () => {
  const v2 = await prism(spec('pipedrive/pipedrive_openapi-v2.yaml'));
  const v1 = await prism(spec('pipedrive/pipedrive.oas.yaml'));
  const route = (url, req) => {
    if (url.pathname.startsWith('/api/v2/')) return { port: v2, path: url.pathname.slice('/api/v2'.length) + url.search };
    const moved = new URL(url);
    moved.searchParams.set('api_token', req.headers['x-api-token'] || '');
    return { port: v1, path: moved.pathname.slice('/v1'.length) + moved.search };
  };
  const rec = await recorder(v2, null, route);
  await proveWrites({
    preset: 'pipedrive', rec, record: '1', kinds: [
      ['note', ['POST', /^\/v1\/notes$/], ['GET', /^\/v1\/notes$/], (b, m) => (b.person_id === 1 && htmlNote(b.content, m) ? null : JSON.stringify(b))],
      ['task', ['POST', /^\/api\/v2\/activities$/], ['GET', /^\/api\/v2\/activities$/], (b, m) => (b.person_id === 1 && b.type === 'task' && b.due_date === '2026-12-15' && htmlTask(b.note, m) ? null : JSON.stringify(b))],
    ],
  });
});

test('Writes: Zoho CRM Notes (notes.json Create Notes) on a contact and on a lead, and Tasks (record.json Create Records), checked by Get Related Records', NEEDS_SPECS, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoho-oas-'));
  const prefix = 'https://raw.githubusercontent.com/Zohocorp-Pvt-Ltd/crm-oas/refs/heads/main/v8.0/';
  for (const f of fs.readdirSync(spec('zoho-crm'))) {
    fs.writeFileSync(path.join(dir, f), fs.readFileSync(spec('zoho-crm', f), 'utf8').split(prefix).join('./'));
  }
  // notes.json's one Note schema serves the answers and the Create Notes request alike: it
  // requires the fields Zoho fills in (id, Owner, Created_Time, $attachments, …), which no
  // create can send. The copy Prism reads requires, for a request, what the v8 guide's
  // Create Notes requires: Note_Content and Parent_Id. And it keeps only the operation the
  // preset uses (POST /crm/v8/Notes): the others refer to a parameter the file lacks
  // (If-Modified-Since), which stops Prism. Nothing else in the file is changed.
  const notes = JSON.parse(fs.readFileSync(path.join(dir, 'notes.json'), 'utf8'));
  notes.components.schemas.Note.required = ['Note_Content', 'Parent_Id'];
  notes.paths = { '/crm/v8/Notes': { post: notes.paths['/crm/v8/Notes'].post } };
  fs.writeFileSync(path.join(dir, 'notes.json'), JSON.stringify(notes));
  // Parent_Id.module is modules.json's Minified_Module, which requires a (nullable) id beside
  // api_name; the v8 guide's Create Notes request names the module by api_name alone (a module's
  // id differs from one organisation to the next): the copy requires api_name.
  const modules = JSON.parse(fs.readFileSync(path.join(dir, 'modules.json'), 'utf8'));
  modules.components.schemas.Minified_Module.required = ['api_name'];
  fs.writeFileSync(path.join(dir, 'modules.json'), JSON.stringify(modules));
  const [notesPort, records, related] = [await prism(path.join(dir, 'notes.json')), await prism(path.join(dir, 'record.json')), await prism(path.join(dir, 'related_records.json'))];
  const token = await factServer((req, url, body) => (req.method === 'POST' && url.pathname === '/oauth/v2/token' && new URLSearchParams(body).get('grant_type') === 'refresh_token' ? null : 'a refresh-token grant'),
    JSON.stringify({ access_token: '1000.contract-access', api_domain: 'https://www.zohoapis.com', token_type: 'Bearer', expires_in: 3600 }));
  // The answers' schemas are `oneOf`s any object matches (see the lookup test): where Prism
  // refuses its own answer, the documented one (Success_Response, Response_Wrapper) stands in.
  const added = Buffer.from(JSON.stringify({ data: [{ code: 'SUCCESS', details: { Modified_Time: '2026-11-30T10:00:00+05:30', Modified_By: { name: 'Agent', id: '5725767000000235011' }, Created_Time: '2026-11-30T10:00:00+05:30', id: '5725767000000640001', Created_By: { name: 'Agent', id: '5725767000000235011' } }, message: 'record added', status: 'success' }] }));
  const asBearer = (req) => ({ authorization: (req.headers.authorization || '').replace(/^Zoho-oauthtoken /, 'Bearer ') });
  const route = (url, req) => {
    if (url.pathname === '/crm/v8/Notes') return { port: notesPort, headers: asBearer(req), fixture: added };
    if (url.pathname === '/crm/v8/Tasks') return { port: records, headers: asBearer(req), fixture: added };
    return { port: related, headers: asBearer(req), fixture: fixture('zoho-related-notes.Response_Wrapper.json') };
  };
  const rec = await recorder(related, null, route);
  const tokenUrl = ['--token-url', `http://127.0.0.1:${token}/oauth/v2/token`];
  await proveWrites({
    preset: 'zoho_crm', rec, basePath: '/crm/v8', record: '5725767000000412001', extra: [...tokenUrl, '--record-type', 'Contacts'], kinds: [
      ['note', ['POST', /^\/crm\/v8\/Notes$/], ['GET', /^\/crm\/v8\/Contacts\/\d+\/Notes$/],
        (b, m) => (b.data.length === 1 && b.data[0].Parent_Id.module.api_name === 'Contacts' && b.data[0].Parent_Id.id === '5725767000000412001' && htmlNote(b.data[0].Note_Content, m) ? null : JSON.stringify(b))],
      ['task', ['POST', /^\/crm\/v8\/Tasks$/], ['GET', /^\/crm\/v8\/Contacts\/\d+\/Tasks$/],
        (b, m) => (b.data.length === 1 && b.data[0].Who_Id.id === '5725767000000412001' && b.data[0].Due_Date === '2026-12-15' && b.data[0].Description.endsWith(m) ? null : JSON.stringify(b))],
    ],
  });
  // A lead, found by the Leads search (the lookup's record_type): its note goes to Leads and is
  // checked in the lead's own related Notes; its task names it as What_Id with $se_module Leads
  // (Who_Id is a contact's), checked in the lead's own related Tasks.
  await proveWrites({
    preset: 'zoho_crm', rec, basePath: '/crm/v8', record: '5725767000000500002', extra: [...tokenUrl, '--record-type', 'Leads'], kinds: [
      ['note', ['POST', /^\/crm\/v8\/Notes$/], ['GET', /^\/crm\/v8\/Leads\/5725767000000500002\/Notes$/],
        (b, m) => (b.data.length === 1 && b.data[0].Parent_Id.module.api_name === 'Leads' && b.data[0].Parent_Id.id === '5725767000000500002' && htmlNote(b.data[0].Note_Content, m) ? null : JSON.stringify(b))],
      ['task', ['POST', /^\/crm\/v8\/Tasks$/], ['GET', /^\/crm\/v8\/Leads\/5725767000000500002\/Tasks$/],
        (b, m) => (b.data.length === 1 && b.data[0].What_Id?.id === '5725767000000500002' && b.data[0].$se_module === 'Leads' && !('Who_Id' in b.data[0]) && b.data[0].Description.endsWith(m) ? null : JSON.stringify(b))],
    ],
  });
  assert.ok(rec.exchanges.every((x) => x.headers.authorization === 'Zoho-oauthtoken 1000.contract-access'));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('Writes: Intercom notes (createNote, listNotes; Intercom has no tasks)', async () => {
  // createNote declares its contact_id path parameter an integer, against its own request
  // examples ("contact_id": "6762f0ad1bb69f9f2193bb62"), listNotes' string on the same path and
  // every contact id the API hands out (24 hex digits): the copy Prism reads says string there.
  const text = fs.readFileSync(path.join(HERE, 'specs/intercom/api.intercom.io.yaml'), 'utf8');
  const at = text.indexOf('operationId: createNote');
  const param = "description: The unique identifier of a given contact.\n        example: '123'\n        schema:\n          type: integer";
  const cut = text.lastIndexOf(param, at);
  assert.ok(cut > 0 && at - cut < 2000, "createNote's contact_id parameter, as the description has it");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intercom-oas-'));
  fs.writeFileSync(path.join(dir, 'api.intercom.io.yaml'), text.slice(0, cut) + param.replace(/integer$/, 'string') + text.slice(cut + param.length));
  const port = await prism(path.join(dir, 'api.intercom.io.yaml'));
  const rec = await recorder(port);
  await proveWrites({
    preset: 'intercom', rec, record: '6762f0d01bb69f9f2193bb7d', kinds: [
      ['note', ['POST', /^\/contacts\/[^/]+\/notes$/], ['GET', /^\/contacts\/[^/]+\/notes$/], (b, m) => (Object.keys(b).join() === 'body' && htmlNote(b.body, m) ? null : JSON.stringify(b))],
    ],
  });
  const r = await write('intercom', `http://127.0.0.1:${rec.port}`, 'task', '6762f0d01bb69f9f2193bb7d').catch((e) => ({ error: String(e) }));
  assert.match(r.error || '', /no writes\.task/, 'a task is refused before anything is sent');
});
