// Tests of the test CRM API (node --test tests/testapi/). They assert real values, so a
// change to the shapes the generic connector is proved against shows up here first.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import {
  startTestApi, fuzzyMatch, PEOPLE, DEFAULT_REFRESH_TOKEN, DEFAULT_APP_ID, DEFAULT_APP_SECRET,
  DEFAULT_UDESK_EMAIL, DEFAULT_UDESK_TOKEN, DEFAULT_QIYU_KEY, DEFAULT_QIYU_SECRET,
} from './server.mjs';

const SECRET = 'test-secret-9c1e';
const FORM = 'application/x-www-form-urlencoded';
let api;

before(async () => {
  api = await startTestApi({ clientSecret: SECRET });
});
after(() => api.stop());

async function grant(server, { body, headers = {} }) {
  const res = await fetch(`${server.base}/oauth/token`, { method: 'POST', headers: { 'content-type': FORM, ...headers }, body });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

async function tokenFor(server, secret = SECRET) {
  const r = await grant(server, { body: `grant_type=client_credentials&client_id=deskside-test&client_secret=${encodeURIComponent(secret)}` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.access_token;
}

async function get(path, token, server = api) {
  const res = await fetch(`${server.base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  const type = res.headers.get('content-type') || '';
  return { status: res.status, type, text, body: type.startsWith('application/json') ? JSON.parse(text) : undefined, headers: res.headers };
}

const basic = (id, secret) => 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64');

test('token grant with client id and secret in the form body', async () => {
  const before = api.tokens;
  const r = await grant(api, { body: `grant_type=client_credentials&client_id=deskside-test&client_secret=${SECRET}&scope=people.read` });
  assert.equal(r.status, 200);
  assert.equal(r.body.token_type, 'Bearer');
  assert.equal(r.body.expires_in, 3600);
  assert.equal(r.body.scope, 'people.read');
  assert.match(r.body.access_token, /^[A-Za-z0-9_-]{32}$/);
  assert.equal(api.tokens, before + 1);
  assert.equal((await get('/v2/people/P-1001', r.body.access_token)).status, 200);
});

test('token grant with HTTP Basic client authentication', async () => {
  const r = await grant(api, { body: 'grant_type=client_credentials', headers: { authorization: basic('deskside-test', SECRET) } });
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body).sort(), ['access_token', 'expires_in', 'token_type']);
  const other = await tokenFor(api);
  assert.notEqual(r.body.access_token, other, 'every grant issues a fresh random token');
  assert.equal(api.requests.at(-2).auth, 'basic');
});

test('wrong secret, wrong client id, wrong grant type, JSON body', async () => {
  const grantsBefore = api.tokens;
  let r = await grant(api, { body: 'grant_type=client_credentials&client_id=deskside-test&client_secret=nope' });
  assert.deepEqual([r.status, r.body], [401, { error: 'invalid_client' }]);
  r = await grant(api, { body: 'grant_type=client_credentials', headers: { authorization: basic('deskside-test', SECRET + 'x') } });
  assert.deepEqual([r.status, r.body], [401, { error: 'invalid_client' }]);
  r = await grant(api, { body: `grant_type=client_credentials&client_id=someone-else&client_secret=${SECRET}` });
  assert.deepEqual([r.status, r.body], [401, { error: 'invalid_client' }]);
  r = await grant(api, { body: `grant_type=password&client_id=deskside-test&client_secret=${SECRET}` });
  assert.deepEqual([r.status, r.body], [400, { error: 'unsupported_grant_type' }]);
  r = await grant(api, { body: 'grant_type=refresh_token&refresh_token=x', headers: { authorization: basic('deskside-test', SECRET) } });
  assert.deepEqual([r.status, r.body], [400, { error: 'invalid_grant', error_description: 'refresh token is invalid or revoked' }]);
  const res = await fetch(`${api.base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'deskside-test', client_secret: SECRET }),
  });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, 'invalid_request');
  assert.equal((await fetch(`${api.base}/oauth/token`)).status, 405);
  assert.equal(api.tokens, grantsBefore, 'no refused grant is counted');
});

test('protected endpoints refuse a missing, unknown or wrongly placed token', async () => {
  for (const headers of [{}, { authorization: 'Bearer not-a-token' }, { authorization: basic('deskside-test', SECRET) }, { authorization: `Token ${await tokenFor(api)}` }]) {
    const res = await fetch(`${api.base}/v2/people/P-1001`, { headers });
    assert.equal(res.status, 401, JSON.stringify(headers));
    assert.equal(res.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    assert.deepEqual(await res.json(), { error: 'invalid_token' });
  }
  const token = await tokenFor(api);
  assert.equal((await get(`/v2/people/P-1001?access_token=${token}`)).status, 401, 'a token in the query is not accepted');
});

test('tokens expire after their ttl, and a new grant works again', async () => {
  const short = await startTestApi({ clientSecret: SECRET, tokenTtlSeconds: 1 });
  try {
    const r = await grant(short, { body: 'grant_type=client_credentials', headers: { authorization: basic('deskside-test', SECRET) } });
    assert.equal(r.body.expires_in, 1);
    const token = r.body.access_token;
    assert.equal((await get('/v2/people/P-1001', token, short)).status, 200);
    await new Promise((ok) => setTimeout(ok, 1200));
    const expired = await get('/v2/people/P-1001', token, short);
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.body, { error: 'invalid_token' });
    assert.equal(expired.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    assert.equal((await get('/v2/people/P-1001', await tokenFor(short), short)).status, 200);
    assert.equal(short.tokens, 2);
  } finally {
    await short.stop();
  }
});

test('fuzzy email search returns the near miss too', async () => {
  const token = await tokenFor(api);
  const r = await get('/v2/people/search?q=mia.fischer%40globex.example', token);
  assert.equal(r.status, 200);
  const { items, ...meta } = r.body.result;
  assert.deepEqual(meta, { page: 1, per_page: 20, pages: 1, total: 2 });
  assert.deepEqual(items.map((p) => p.person_id), ['P-1001', 'P-1002']);
  assert.deepEqual(items.map((p) => p.contact.emails[0].address), ['mia.fischer@globex.example', 'mia.fischer.jr@globex.example']);
  // Case-insensitive, and a plain substring matches as vendors' searches do.
  const upper = await get('/v2/people/search?q=MIA.FISCHER%40GLOBEX.EXAMPLE', token);
  assert.equal(upper.body.result.total, 2);
  const partial = await get('/v2/people/search?q=priya', token);
  assert.deepEqual(partial.body.result.items.map((p) => p.person_id), ['P-1004']);
  const exactOnly = await get('/v2/people/search?q=tomas.ortega%40testapi-only.example', token);
  assert.deepEqual(exactOnly.body.result.items.map((p) => p.person_id), ['P-1005']);
  const none = await get('/v2/people/search?q=nobody%40nowhere.example', token);
  assert.deepEqual(none.body.result, { items: [], page: 1, per_page: 20, pages: 0, total: 0 });
});

test('phone search on digits, in any of the shapes vendors store', async () => {
  const token = await tokenFor(api);
  const ids = async (q) => (await get(`/v2/people/search?q=${encodeURIComponent(q)}`, token)).body.result.items.map((p) => p.person_id);
  assert.deepEqual(await ids('+86 138 0013 8000'), ['P-1003']);
  assert.deepEqual(await ids('+8613800138000'), ['P-1003']);
  assert.deepEqual(await ids('138-0013-8000'), ['P-1003']);
  assert.deepEqual(await ids('+34912345678'), ['P-1005']);
  // Mia's phone also finds Jonas Weber, whose digits contain hers (a phone near miss).
  assert.deepEqual(await ids('+49 30 901820'), ['P-1001', 'P-1006']);
  assert.deepEqual(await ids('+4930901820'), ['P-1001', 'P-1006']);
  // The national form with its trunk 0 is not in the stored digits: no match.
  assert.deepEqual(await ids('030 901820'), []);
  // Fewer than 7 digits never match a phone.
  assert.deepEqual(await ids('901820'), []);
  // An unencoded + in the query reads as a space, as in any form-decoded query: still the same digits.
  const raw = await get('/v2/people/search?q=+8613800138000', token);
  assert.deepEqual(raw.body.result.items.map((p) => p.person_id), ['P-1003']);
});

test('fuzzyMatch: words of the query must all be words of the address', () => {
  const mia = PEOPLE.find((p) => p.person_id === 'P-1001');
  const jr = PEOPLE.find((p) => p.person_id === 'P-1002');
  assert.equal(fuzzyMatch(jr, 'mia.fischer@globex.example'), true);
  assert.equal(fuzzyMatch(mia, 'mia.fischer.jr@globex.example'), false);
  assert.equal(fuzzyMatch(mia, 'mia.fischer+invoices@globex.example'), false);
  assert.equal(fuzzyMatch(mia, 'MIA@FISCHER-FAMILY.EXAMPLE'), true, 'secondary addresses are searched too');
  assert.equal(fuzzyMatch(mia, 'user4930901820@x.example'), false, 'digits inside an email are not a phone');
});

test('pagination: per_page=1 gives two pages', async () => {
  const token = await tokenFor(api);
  const p1 = await get('/v2/people/search?q=mia.fischer%40globex.example&per_page=1', token);
  assert.deepEqual({ ...p1.body.result, items: p1.body.result.items.map((p) => p.person_id) }, { items: ['P-1001'], page: 1, per_page: 1, pages: 2, total: 2 });
  const p2 = await get('/v2/people/search?q=mia.fischer%40globex.example&per_page=1&page=2', token);
  assert.deepEqual({ ...p2.body.result, items: p2.body.result.items.map((p) => p.person_id) }, { items: ['P-1002'], page: 2, per_page: 1, pages: 2, total: 2 });
  const p3 = await get('/v2/people/search?q=mia.fischer%40globex.example&per_page=1&page=3', token);
  assert.deepEqual(p3.body.result.items, []);
  const capped = await get('/v2/people/search?q=example&per_page=500', token);
  assert.equal(capped.body.result.per_page, 50);
  assert.equal(capped.body.result.total, PEOPLE.length);
  assert.deepEqual((await get('/v2/people/search?q=example&page=0', token)).status, 400);
  assert.deepEqual((await get('/v2/people/search?q=example&per_page=x', token)).status, 400);
  for (const q of ['', '?q=', '?q=%20%20']) {
    const r = await get(`/v2/people/search${q}`, token);
    assert.deepEqual([r.status, r.body], [400, { error: 'q is required' }]);
  }
});

test('person by id, with the exact field names', async () => {
  const token = await tokenFor(api);
  const r = await get('/v2/people/P-1001', token);
  assert.equal(r.status, 200);
  assert.match(r.type, /^application\/json/);
  assert.deepEqual(r.body, {
    result: {
      item: {
        person_id: 'P-1001',
        given_name: 'Mia',
        family_name: 'Fischer',
        contact: {
          emails: [
            { address: 'mia.fischer@globex.example', primary: true },
            { address: 'mia@fischer-family.example', primary: false },
          ],
          phones: [{ number: '+49 30 901820', kind: 'work' }],
        },
        org: { display_name: 'Globex GmbH' },
        segment: 'KEY_ACCOUNT',
        attributes: { contract_renewal: '2027-03-31', seats: 42 },
        updated_at: '2026-11-02T09:30:00Z',
        links: { self: 'https://crm.testapi.example/people/P-1001' },
      },
    },
  });
  const li = await get('/v2/people/P-1003', token);
  assert.equal(`${li.body.result.item.family_name}${li.body.result.item.given_name}`, '李娜');
  assert.equal(li.body.result.item.org.display_name, '上海云帆科技有限公司');
  assert.equal(li.body.result.item.segment, 'VIP');
  const tomas = (await get('/v2/people/P-1005', token)).body.result.item;
  assert.deepEqual([tomas.given_name, tomas.segment, tomas.attributes.seats], ['Tomás', 'SMB', 3]);
  assert.deepEqual(new Set(PEOPLE.map((p) => p.segment)), new Set(['KEY_ACCOUNT', 'VIP', 'SMB', 'TRIAL']));
  const missing = await get('/v2/people/P-9999', token);
  assert.deepEqual([missing.status, missing.body], [404, { error: 'not_found' }]);
});

test('orders of a person', async () => {
  const token = await tokenFor(api);
  const r = await get('/v2/people/P-1001/orders', token);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.result.items[0], { ref: 'SO-88012', state: 'SHIPPED', amount: '1899.00', currency: 'EUR', created: 1763424000 });
  assert.equal(r.body.result.items.length, 2);
  assert.deepEqual((await get('/v2/people/P-1003/orders', token)).body.result.items.map((o) => [o.amount, o.currency]), [['12999.00', 'CNY']]);
  assert.deepEqual((await get('/v2/people/P-1002/orders', token)).body, { result: { items: [] } });
  const missing = await get('/v2/people/P-9999/orders', token);
  assert.deepEqual([missing.status, missing.body], [404, { error: 'not_found' }]);
});

test('the fault person: an error inside a 200', async () => {
  const token = await tokenFor(api);
  const r = await get('/v2/people/search?q=envelope-error%40testapi.example', token);
  assert.equal(r.status, 200);
  assert.match(r.type, /^application\/json/);
  assert.deepEqual(r.body, { status: 'error', code: 1001, message: 'search backend unavailable' });
});

test('unknown paths are an HTML 404, with or without a token', async () => {
  const token = await tokenFor(api);
  for (const path of ['/', '/v1/people/search?q=x', '/api/v2/people/P-1001', '/v2/people/P-1001/orders/extra', '/v2/people/search/']) {
    for (const t of [token, undefined]) {
      const r = await get(path, t);
      assert.equal(r.status, 404, path);
      assert.match(r.type, /^text\/html/);
      assert.equal(r.text, '<html><body>Not Found</body></html>');
    }
  }
});

test('the request log records method, url, auth kind and status', async () => {
  const own = await startTestApi({ clientSecret: SECRET });
  try {
    const token = await tokenFor(own);
    await get('/v2/people/search?q=li.na%40yunfan-tech.example', token, own);
    await get('/v2/people/P-1003', undefined, own);
    await get('/nope', undefined, own);
    await grant(own, { body: 'grant_type=client_credentials', headers: { authorization: basic('deskside-test', 'bad') } });
    assert.deepEqual(own.requests, [
      { method: 'POST', url: '/oauth/token', auth: 'none', status: 200 },
      { method: 'GET', url: '/v2/people/search?q=li.na%40yunfan-tech.example', auth: 'bearer', status: 200 },
      { method: 'GET', url: '/v2/people/P-1003', auth: 'none', status: 401 },
      { method: 'GET', url: '/nope', auth: 'none', status: 404 },
      { method: 'POST', url: '/oauth/token', auth: 'basic', status: 401 },
    ]);
    assert.equal(own.tokens, 1);
    assert.ok(!JSON.stringify(own.requests).includes(SECRET), 'the client secret never appears in the log');
  } finally {
    await own.stop();
  }
});

test('listens on 127.0.0.1 only', async () => {
  assert.match(api.base, /^http:\/\/127\.0\.0\.1:\d+$/);
  const port = Number(new URL(api.base).port);
  const others = Object.values(os.networkInterfaces()).flat().filter((i) => !i.internal).map((i) => i.address);
  for (const host of ['::1', ...others]) {
    const reached = await new Promise((resolve) => {
      const s = net.connect({ host, port, timeout: 1000 });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
      s.once('timeout', () => (s.destroy(), resolve(false)));
    });
    assert.equal(reached, false, `reachable on ${host}`);
  }
  // And a control: 127.0.0.1 itself is reachable.
  const ok = await new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
  assert.equal(ok, true);
});

test('stop() closes the server', async () => {
  const tmp = await startTestApi({ clientSecret: SECRET });
  await tmp.stop();
  await assert.rejects(fetch(`${tmp.base}/v2/people/P-1001`));
});

test('startTestApi requires a client secret', async () => {
  await assert.rejects(startTestApi(), TypeError);
  await assert.rejects(startTestApi({ clientSecret: '' }), TypeError);
});

test('CLI: prints the listening line first, then one line per request', async () => {
  const script = fileURLToPath(new URL('./server.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, '--port', '0', '--client-secret', 'cli-secret', '--token-ttl', '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    // Resolves when the output so far matches re; fails on exit or after 10 s.
    const waitFor = (re) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`timed out waiting for ${re}: ${out}`)), 10_000);
        const onExit = (code) => done(new Error(`exited ${code}: ${out}`));
        const check = () => {
          const m = re.exec(out);
          if (m) done(null, m);
        };
        const done = (err, m) => {
          clearTimeout(timer);
          child.stdout.off('data', check);
          child.off('exit', onExit);
          err ? reject(err) : resolve(m);
        };
        child.stdout.on('data', check);
        child.once('exit', onExit);
        check();
      });
    const [, base] = await waitFor(/^listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
    const server = { base };
    const r = await grant(server, { body: 'grant_type=client_credentials', headers: { authorization: basic('deskside-test', 'cli-secret') } });
    assert.equal(r.body.expires_in, 60);
    await get('/v2/people/P-1005', r.body.access_token, server);
    await get('/missing', undefined, server);
    await waitFor(/request GET \/missing auth=none status=404\n/);
    const accounts = /^accounts on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)[1];
    assert.notEqual(accounts, base);
    assert.deepEqual(out.trimEnd().split('\n'), [
      `listening on ${base}`,
      `accounts on ${accounts}`,
      'request POST /oauth/token auth=basic status=200',
      'request GET /v2/people/P-1005 auth=bearer status=200',
      'request GET /missing auth=none status=404',
    ]);
  } finally {
    child.kill('SIGTERM');
  }
});

test('CLI: refuses to start without a client secret', async () => {
  const script = fileURLToPath(new URL('./server.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(code, 2);
  assert.match(err, /--client-secret is required/);
});

// ---- the other auth kinds: refresh token, a token URL on another origin, app tokens, signed requests ----

const hex = (algo, text) => createHash(algo).update(text, 'utf8').digest('hex');

test('refresh_token grant, on the API and on the accounts origin', async () => {
  assert.notEqual(new URL(api.accounts).port, new URL(api.base).port, 'another origin');
  const form = (rt) => `grant_type=refresh_token&refresh_token=${encodeURIComponent(rt)}&client_id=deskside-test&client_secret=${SECRET}`;
  for (const server of [{ base: api.accounts }, api]) {
    const r = await grant(server, { body: form(DEFAULT_REFRESH_TOKEN) });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(Object.keys(r.body).sort(), ['access_token', 'expires_in', 'token_type'], 'no new refresh token: not rotated');
    // A token from the accounts origin is good on the API.
    assert.equal((await get('/v2/people/P-1001', r.body.access_token)).status, 200);
  }
  let r = await grant({ base: api.accounts }, { body: form('revoked-token') });
  assert.deepEqual([r.status, r.body.error], [400, 'invalid_grant']);
  r = await grant({ base: api.accounts }, { body: `grant_type=refresh_token&refresh_token=${DEFAULT_REFRESH_TOKEN}&client_id=deskside-test&client_secret=wrong` });
  assert.deepEqual([r.status, r.body.error], [401, 'invalid_client']);
  r = await grant({ base: api.accounts }, { body: `grant_type=refresh_token&client_id=deskside-test&client_secret=${SECRET}` });
  assert.deepEqual([r.status, r.body.error], [400, 'invalid_request']);
  // The accounts origin issues tokens and serves nothing else.
  const token = await tokenFor(api);
  const other = await get('/v2/people/P-1001', token, { base: api.accounts });
  assert.equal(other.status, 404);
  assert.equal(api.requests.at(-1).origin, 'accounts');
});

test('app token (WeCom gettoken): errors inside a 200, the token only in ?access_token=', async () => {
  const gettoken = async (server, id, secret) => {
    const q = new URLSearchParams();
    if (id !== undefined) q.set('corpid', id);
    if (secret !== undefined) q.set('corpsecret', secret);
    return get(`/cgi-bin/gettoken?${q}`, undefined, server);
  };
  let r = await gettoken(api, DEFAULT_APP_ID, DEFAULT_APP_SECRET);
  assert.equal(r.status, 200);
  assert.deepEqual([r.body.errcode, r.body.errmsg, r.body.expires_in], [0, 'ok', 3600]);
  const token = r.body.access_token;
  assert.equal((await gettoken({ base: api.accounts }, DEFAULT_APP_ID, DEFAULT_APP_SECRET)).body.errcode, 0);
  assert.deepEqual((await gettoken(api, DEFAULT_APP_ID, 'wrong')).body, { errcode: 40001, errmsg: 'invalid credential' });
  assert.deepEqual((await gettoken(api, 'ww-other', DEFAULT_APP_SECRET)).body, { errcode: 40013, errmsg: 'invalid corpid' });
  assert.equal((await gettoken(api, undefined, DEFAULT_APP_SECRET)).body.errcode, 41002);
  const found = await get(`/v2/people/search?q=li.na%40yunfan-tech.example&access_token=${token}`);
  assert.equal(found.status, 200);
  assert.equal(found.body.result.items[0].person_id, 'P-1003');
  // Each kind of token only where its API takes it.
  assert.equal((await get('/v2/people/P-1003', token)).status, 401, 'an app token as a Bearer header');
  const oauth = await tokenFor(api);
  assert.equal((await get(`/v2/people/P-1003?access_token=${oauth}`)).status, 401, 'an OAuth token in the query');
  assert.equal((await get('/v2/people/P-1003?access_token=made-up')).status, 401);
});

function udeskQuery({ email = DEFAULT_UDESK_EMAIL, token = DEFAULT_UDESK_TOKEN, timestamp = Math.floor(Date.now() / 1000), nonce, version = 'v2', sign } = {}) {
  nonce ??= Math.random().toString(36).slice(2);
  sign ??= hex('sha256', `${email}&${token}&${timestamp}&${nonce}&${version}`);
  return new URLSearchParams({ email, timestamp: String(timestamp), nonce, sign_version: version, sign });
}

test('Udesk-style signed request: the signature, timestamp and nonce are checked', async () => {
  const path = '/open_api_v1/customers/get_customer?type=email&content=li.na%40yunfan-tech.example&';
  const q = udeskQuery({ nonce: 'n0nce1' });
  const r = await get(path + q);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, {
    code: 1000, message: 'ok',
    customer: { id: 1003, nick_name: '娜 李', email: 'li.na@yunfan-tech.example', cellphones: [{ content: '+86 138 0013 8000' }], organization: { name: '上海云帆科技有限公司' } },
  });
  assert.deepEqual((await get(path + q)).body, { code: 2002, message: 'nonce used' }, 'a nonce only once');
  const refused = async (opts, message) => {
    const x = await get(path + udeskQuery(opts));
    assert.deepEqual([x.status, x.body.message], [401, message], JSON.stringify(opts));
  };
  await refused({ token: 'wrong-token' }, 'sign invalid');
  await refused({ sign: 'ab'.repeat(32) }, 'sign invalid');
  await refused({ email: 'other@testapi.example' }, 'unknown email');
  await refused({ timestamp: Math.floor(Date.now() / 1000) - 600 }, 'timestamp expired');
  await refused({ version: 'v1' }, 'sign_version must be v2');
  const none = await get('/open_api_v1/customers/get_customer?type=email&content=nobody%40x.example&' + udeskQuery());
  assert.deepEqual(none.body, { code: 1000, message: 'ok', customer: null });
  const phone = await get('/open_api_v1/customers/get_customer?type=cellphone&content=13800138000&' + udeskQuery());
  assert.equal(phone.body.customer.id, 1003);
});

test('Qiyu-style checksum over the body: a changed body or secret is refused', async () => {
  const post = async (body, { key = DEFAULT_QIYU_KEY, secret = DEFAULT_QIYU_SECRET, time = Math.floor(Date.now() / 1000), signed = body } = {}) => {
    const checksum = hex('sha1', secret + hex('md5', signed) + time);
    const res = await fetch(`${api.base}/openapi/crm/customer/query?appKey=${key}&time=${time}&checksum=${checksum}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, body: await res.json() };
  };
  const body = JSON.stringify({ email: 'mia.fischer@globex.example' });
  const r = await post(body);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { code: 200, result: [{ uid: 'P-1001', name: 'Mia Fischer', email: 'mia.fischer@globex.example', mobile: '+49 30 901820' }] });
  assert.deepEqual(await post(body, { signed: JSON.stringify({ email: 'li.na@yunfan-tech.example' }) }), { status: 401, body: { code: 401, message: 'checksum invalid' } });
  assert.deepEqual((await post(body, { secret: 'wrong' })).status, 401);
  assert.deepEqual((await post(body, { key: 'other' })).body.message, 'unknown appKey');
  assert.deepEqual((await post(body, { time: Math.floor(Date.now() / 1000) + 900 })).body.message, 'time expired');
});
