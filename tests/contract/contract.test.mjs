// The presets against their vendors' own API descriptions (issue 19).
//
// For each preset: a mock of the vendor's API on loopback (Prism, `prism mock
// --errors`, from the vendor's description; for HubSpot and Salesforce a small
// server written from the documented facts, see fixtures/README.md), a recording
// proxy in front of it, and the real Rust engine sending every request the preset
// can make (`deskside lookup --every-attempt`: every lookup kind, every attempt).
// Fails when the mock reports a violation of the description (`sl-violations`,
// a 4xx/5xx), when a request is not the operation the preset means (method and
// path), when a JSON body does not have the operation's shape, or when an answer
// does not map through the preset.
//
//   node --test tests/contract/        (after `cargo build -p deskside-cli`)
//   DESKSIDE_VENDOR_SPECS=/path/to/vendor-specs   (default: ../shared/vendor-specs next to the repository)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const SPECS = process.env.DESKSIDE_VENDOR_SPECS || path.resolve(ROOT, '../shared/vendor-specs');
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
  assert.ok(fs.existsSync(path.join(SPECS, 'SOURCES.md')), `the vendors' descriptions are not at ${SPECS} (set DESKSIDE_VENDOR_SPECS)`);
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
 *  schema (and only that) is replaced by the fixture, a documented shape. */
async function recorder(targetPort, fixture) {
  const exchanges = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const fwd = http.request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${targetPort}` } }, (up) => {
        const out = [];
        up.on('data', (c) => out.push(c));
        up.on('end', () => {
          let answer = Buffer.concat(out);
          let status = up.statusCode;
          const v = violations(up.headers['sl-violations']);
          const defect = fixture && v.request.length === 0 && v.response.length > 0;
          if (defect) {
            [status, answer] = [200, fixture];
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

const SECRETS = { DESKSIDE_KEY: 'contract-key-0123', DESKSIDE_USERNAME: 'agent@acme.example/token', DESKSIDE_PASSWORD: 'contract-token-0123' };

/** Every attempt of one lookup through the real engine (asynchronous: the
 *  recording proxy runs in this process). */
async function lookup(preset, base, flag, value) {
  const child = spawn(CLI, ['lookup', '--connector', preset, '--base-url', base, flag, value, '--every-attempt'], { env: { ...process.env, ...SECRETS } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise((resolve) => child.on('close', resolve));
  const r = { status, stdout, stderr };
  let out;
  try { out = JSON.parse(r.stdout); } catch { throw new Error(`deskside lookup ${preset} ${flag} ${value}: exit ${r.status}\n${r.stdout}\n${r.stderr}`); }
  return { status: r.status, attempts: out.attempts, stderr: r.stderr };
}

/**
 * Runs every lookup of a preset against a mock and checks each exchange.
 * `ops`: [method, path regex] of the operations the preset means;
 * `bodyOk(json)`: the operation's body shape, or null for GET.
 */
async function prove({ preset, mockPort, basePath = '', lookups, ops, bodyOk, found, fixture }) {
  const rec = await recorder(mockPort, fixture);
  const base = `http://127.0.0.1:${rec.port}${basePath}`;
  let sent = 0;
  let mapped = 0;
  for (const [flag, value, attempts] of lookups) {
    const before = rec.exchanges.length;
    const r = await lookup(preset, base, flag, value);
    const mine = rec.exchanges.slice(before);
    assert.equal(r.attempts.length, attempts, `${preset} ${flag} ${value}: attempts\n${JSON.stringify(r.attempts, null, 1)}`);
    assert.equal(mine.length, attempts, `${preset} ${flag} ${value}: requests seen by the mock`);
    for (const [i, x] of mine.entries()) {
      const what = `${preset} ${flag} ${value} attempt ${i + 1}: ${x.method} ${x.url.pathname}${x.url.search}`;
      assert.deepEqual(x.violations.request, [], `${what}: the request violates the description: ${JSON.stringify(x.violations.request)}`);
      if (!x.defect) assert.deepEqual(x.violations.response, [], `${what}: Prism's answer violates the description: ${JSON.stringify(x.violations.response)}\n${x.answer}`);
      assert.ok(x.status >= 200 && x.status < 300, `${what}: status ${x.status}\n${x.answer}`);
      const op = ops.find(([m, p]) => m === x.method && p.test(x.url.pathname));
      assert.ok(op, `${what}: not one of the operations the preset means`);
      if (x.method === 'POST') {
        assert.match(x.headers['content-type'] || '', /^application\/json/, what);
        const problem = bodyOk(JSON.parse(x.body), flag);
        assert.equal(problem, null, `${what}: body ${x.body}: ${problem}`);
      }
      const a = r.attempts[i];
      assert.equal(a.error, null, `${what}: the answer does not map: ${a.error}\n${x.answer}`);
      assert.ok(!JSON.stringify(a).includes('contract-key') && !JSON.stringify(a).includes('contract-token'), `${what}: a secret in the output`);
      mapped += a.customers.length + a.near_misses;
    }
    assert.equal(r.status, 0, `${preset} ${flag} ${value}: exit ${r.status}\n${r.stderr}`);
    sent += mine.length;
  }
  if (found) assert.ok(mapped > 0, `${preset}: no answer held a record; the mapping was not exercised`);
  return sent;
}

const spec = (...p) => path.join(SPECS, ...p);

test('Zendesk Support against its oas.yaml (SearchUsers, ShowUser)', async () => {
  const port = await prism(spec('zendesk/openapi-src.yaml'));
  const sent = await prove({
    preset: 'zendesk', mockPort: port, found: true,
    lookups: [['--email', 'robert.jones@example.com', 1], ['--phone', '+14155550132', 3], ['--id', '35436', 1]],
    ops: [['GET', /^\/api\/v2\/users\/search$/], ['GET', /^\/api\/v2\/users\/\d+$/]],
  });
  assert.equal(sent, 5);
});

test('Freshdesk against the (unofficial) contacts description (listContacts, getContact)', async () => {
  const port = await prism(spec('freshdesk-UNOFFICIAL/freshdesk-contacts-api-openapi.yml'));
  const sent = await prove({
    preset: 'freshdesk', mockPort: port,
    lookups: [['--email', 'wang.fang@lianhe-trade.example', 1], ['--phone', '+8613912345678', 4], ['--id', '43000551234', 1]],
    ops: [['GET', /^\/contacts$/], ['GET', /^\/contacts\/\d+$/]],
  });
  assert.equal(sent, 6);
});

test('Pipedrive against its openapi-v2.yaml (searchPersons, getPerson)', async () => {
  const port = await prism(spec('pipedrive/pipedrive_openapi-v2.yaml'));
  const sent = await prove({
    preset: 'pipedrive', mockPort: port, found: true,
    lookups: [['--email', 'jane@pipedrive.com', 1], ['--phone', '+372 555555555', 3], ['--id', '1', 1]],
    ops: [['GET', /^\/persons\/search$/], ['GET', /^\/persons\/\d+$/]],
  });
  assert.equal(sent, 5);
});

test('Intercom against its api.intercom.io.yaml 2.14 (SearchContacts)', async () => {
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
  const sent = await prove({
    preset: 'intercom', mockPort: port, bodyOk,
    lookups: [['--email', 'joe@bloggs.com', 1], ['--phone', '+33612345678', 3], ['--id', '6762f0d01bb69f9f2193bb7d', 1]],
    ops: [['POST', /^\/contacts\/search$/]],
  });
  assert.equal(sent, 5);
});

test('Zoho CRM against its crm-oas v8.0 record.json (Search Records), $refs made local', async () => {
  // The files refer to each other by the vendor repository's URLs: copy and rewrite.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoho-oas-'));
  const prefix = 'https://raw.githubusercontent.com/Zohocorp-Pvt-Ltd/crm-oas/refs/heads/main/v8.0/';
  for (const f of fs.readdirSync(spec('zoho-crm'))) {
    fs.writeFileSync(path.join(dir, f), fs.readFileSync(spec('zoho-crm', f), 'utf8').split(prefix).join('./'));
  }
  const port = await prism(path.join(dir, 'record.json'));
  // Search Records answers `oneOf: [Response_Wrapper, API_Exception]`, and any
  // object matches both, so Prism refuses every answer it makes (a 500 with a
  // response-only violation): the request is still checked, and the answer
  // mapped is the documented Response_Wrapper shape.
  const fixture = fs.readFileSync(path.join(HERE, 'fixtures/zoho-search.Response_Wrapper.json'));
  const sent = await prove({
    preset: 'zoho_crm', mockPort: port, basePath: '/crm/v8', fixture, found: true,
    lookups: [['--email', 'ananya.iyer@kaveri-foods.example', 2], ['--phone', '+919845012345', 4]],
    ops: [['GET', /^\/crm\/v8\/(Contacts|Leads)\/search$/]],
  });
  assert.equal(sent, 6);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A loopback server: `check(req, url, body)` names a violation or null; answers `answer`. */
async function factServer(check, answer) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, 'http://x');
      const problem = check(req, url, Buffer.concat(chunks).toString('utf8'));
      if (problem) {
        res.writeHead(422, { 'content-type': 'application/json', 'sl-violations': JSON.stringify([{ message: problem }]) });
        res.end(JSON.stringify({ message: problem }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(answer);
    });
  });
  return listen(server);
}

test('HubSpot against a server written from SOURCES.md (contacts search; the description is not redistributable)', async () => {
  const OPERATORS = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'];
  const check = (req, url, body) => {
    if (req.method !== 'POST' || url.pathname !== '/crm/v3/objects/contacts/search') return `no operation ${req.method} ${url.pathname}`;
    if (!/^Bearer \S+$/.test(req.headers.authorization || '')) return 'a private-app token is sent as Authorization: Bearer';
    let b;
    try { b = JSON.parse(body); } catch { return 'the body is not JSON'; }
    // PublicObjectSearchRequest: after, limit, properties and sorts are required (the spec's quirk).
    for (const k of ['after', 'limit', 'properties', 'sorts']) if (!(k in b)) return `${k} is required`;
    if (typeof b.after !== 'string' || !Number.isInteger(b.limit) || b.limit > 200) return 'after is text, limit at most 200';
    if (!Array.isArray(b.properties) || !b.properties.every((p) => typeof p === 'string') || !Array.isArray(b.sorts)) return 'properties and sorts are lists';
    if (!Array.isArray(b.filterGroups) || b.filterGroups.length < 1 || b.filterGroups.length > 5) return 'one to five filterGroups';
    for (const g of b.filterGroups) {
      if (!Array.isArray(g.filters) || g.filters.length < 1) return 'each group has filters';
      for (const f of g.filters) {
        if (typeof f.propertyName !== 'string' || !OPERATORS.includes(f.operator) || typeof f.value !== 'string') return `filter ${JSON.stringify(f)}`;
      }
    }
    return null;
  };
  const port = await factServer(check, fs.readFileSync(path.join(HERE, 'fixtures/hubspot-contacts-search.CollectionResponseWithTotalSimplePublicObject.json')));
  const sent = await prove({
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
});

test("Salesforce against the Postman collection's Search request (method, path, q) and the documented searchRecords shape", async () => {
  const search = JSON.parse(fs.readFileSync(path.join(HERE, 'specs/salesforce/search.json'), 'utf8'));
  // "{{_endpoint}}/services/data/v{{version}}/search?q" → a path pattern.
  const template = search.url.replace('{{_endpoint}}', '').split('?')[0];
  const pathRe = new RegExp('^' + template.replace('v{{version}}', 'v\\d+\\.\\d') + '$');
  const params = search.queryParams.map((p) => p.key);
  const check = (req, url) => {
    if (req.method !== search.method || !pathRe.test(url.pathname)) return `not the collection's ${search.method} ${template}`;
    if (!/^Bearer \S+$/.test(req.headers.authorization || '')) return 'the collection authenticates with a Bearer token';
    for (const k of url.searchParams.keys()) if (!params.includes(k)) return `unknown parameter ${k}`;
    const q = url.searchParams.get('q') || '';
    // One escaped term in braces, then the fields and the objects returned.
    if (!/^FIND \{(?:[^{}\\]|\\.)+\} IN (EMAIL|PHONE) FIELDS RETURNING Contact\(.+\), Lead\(.+\) LIMIT \d+$/.test(q)) return `not the SOSL the preset means: ${q}`;
    return null;
  };
  const port = await factServer(check, fs.readFileSync(path.join(HERE, 'fixtures/salesforce-search.searchRecords.json')));
  const sent = await prove({
    preset: 'salesforce', mockPort: port, basePath: '/services/data/v62.0', found: true,
    lookups: [['--email', "o'brien+x@brightpath.example", 1], ['--email', 'emily.chen@brightpath.example', 1], ['--phone', '+14155550132', 2]],
    ops: [['GET', pathRe]],
  });
  assert.equal(sent, 4);
});
