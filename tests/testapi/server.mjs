// A test CRM API that Deskside has no preset for ("TestAPI CRM"), used to prove the
// generic REST connector (issue 18) against shapes unlike the demo CRM's:
// OAuth 2 client credentials and refresh tokens with expiring tokens (also on a
// second "accounts" origin, like login.salesforce.com), a WeCom-style app token,
// Udesk- and Qiyu-style signed requests, a fuzzy paginated search, an error
// inside a 200, and an HTML 404 for unknown paths. Plain node:http (node:https
// with `tls: { cert, key }`), no dependencies; listens on 127.0.0.1 only. See
// README.md beside this file.
//
//   import { startTestApi } from './server.mjs';
//   const api = await startTestApi({ clientSecret: 's3cret' });   // { base, accounts, requests, tokens, stop }
//
//   node tests/testapi/server.mjs --port 8650 --client-secret S [--accounts-port 8651] [--client-id ID] [--token-ttl 3600]
//        [--tls-cert CERT.pem --tls-key KEY.pem]   (https on both origins)

import http from 'node:http';
import https from 'node:https';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const DEFAULT_CLIENT_ID = 'deskside-test';
export const DEFAULT_REFRESH_TOKEN = 'deskside-refresh-token-1';
/** WeCom-style app credentials (`corpid`, `corpsecret`). */
export const DEFAULT_APP_ID = 'ww-deskside-test';
export const DEFAULT_APP_SECRET = 'app-secret-test';
/** Udesk-style signing: the admin's email and the open API token. */
export const DEFAULT_UDESK_EMAIL = 'admin@testapi.example';
export const DEFAULT_UDESK_TOKEN = 'udesk-open-api-token-test';
/** Qiyu-style signing: appKey and appSecret. */
export const DEFAULT_QIYU_KEY = 'qiyu-app-key-test';
export const DEFAULT_QIYU_SECRET = 'qiyu-app-secret-test';
/** How far a signed request's timestamp may be from the server's clock. */
export const SIGNATURE_WINDOW_SECONDS = 300;
/** The search text that makes the search backend "fail" (answered 200 with an error inside). */
export const FAULT_QUERY = 'envelope-error@testapi.example';

const MAX_BODY = 16 * 1024;
const DEFAULT_PER_PAGE = 20;
const MAX_PER_PAGE = 50;

/** The people this CRM knows. Field names are deliberately unlike the demo CRM's. */
export const PEOPLE = [
  {
    person_id: 'P-1001',
    given_name: 'Mia', family_name: 'Fischer',
    // The same customer as the demo CRM's cus_1001 (same emails and phone): for merge tests.
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
  {
    person_id: 'P-1002',
    given_name: 'Mia', family_name: 'Fischer Jr.',
    // Near miss: the search for mia.fischer@globex.example returns this record too.
    contact: {
      emails: [{ address: 'mia.fischer.jr@globex.example', primary: true }],
      phones: [{ number: '+49 40 5512 3300', kind: 'mobile' }],
    },
    org: { display_name: 'Globex GmbH' },
    segment: 'SMB',
    attributes: { contract_renewal: '2026-12-31', seats: 5 },
    updated_at: '2026-10-14T16:05:00Z',
    links: { self: 'https://crm.testapi.example/people/P-1002' },
  },
  {
    person_id: 'P-1003',
    given_name: '娜', family_name: '李',
    contact: {
      emails: [{ address: 'li.na@yunfan-tech.example', primary: true }],
      phones: [{ number: '+86 138 0013 8000', kind: 'mobile' }],
    },
    org: { display_name: '上海云帆科技有限公司' },
    segment: 'VIP',
    attributes: { contract_renewal: '2027-01-15', seats: 120 },
    updated_at: '2026-11-19T02:12:00Z',
    links: { self: 'https://crm.testapi.example/people/P-1003' },
  },
  {
    person_id: 'P-1004',
    given_name: 'Priya', family_name: 'Raman',
    contact: {
      emails: [{ address: 'priya.raman@initech.example', primary: true }],
      phones: [{ number: '+91 98765 43210', kind: 'work' }],
    },
    org: { display_name: 'Initech India Pvt Ltd' },
    segment: 'KEY_ACCOUNT',
    attributes: { contract_renewal: '2027-06-30', seats: 250 },
    updated_at: '2026-11-15T11:00:00Z',
    links: { self: 'https://crm.testapi.example/people/P-1004' },
  },
  {
    person_id: 'P-1005',
    given_name: 'Tomás', family_name: 'Ortega',
    // Known only to this API (the demo CRM has no record of him).
    contact: {
      emails: [{ address: 'tomas.ortega@testapi-only.example', primary: true }],
      phones: [{ number: '+34 912 345 678', kind: 'work' }],
    },
    org: { display_name: 'Ortega Logística S.L.' },
    segment: 'SMB',
    attributes: { contract_renewal: '2027-02-28', seats: 3 },
    updated_at: '2026-11-20T08:45:00Z',
    links: { self: 'https://crm.testapi.example/people/P-1005' },
  },
  {
    person_id: 'P-1006',
    given_name: 'Jonas', family_name: 'Weber',
    // Phone near miss: his digits (493090182017) contain Mia's (4930901820), so a
    // search for her phone returns him too. A trial with gaps: no org, no attributes.
    contact: {
      emails: [{ address: 'jonas.weber@trial-startup.example', primary: true }],
      phones: [{ number: '+49 30 9018 2017', kind: 'mobile' }],
    },
    org: null,
    segment: 'TRIAL',
    attributes: {},
    updated_at: '2026-11-21T13:20:00Z',
    links: { self: 'https://crm.testapi.example/people/P-1006' },
  },
];

/** Orders per person_id; amount is a decimal string, created is epoch seconds. */
export const ORDERS = {
  'P-1001': [
    { ref: 'SO-88012', state: 'SHIPPED', amount: '1899.00', currency: 'EUR', created: 1763424000 }, // 2025-11-18
    { ref: 'SO-87455', state: 'DELIVERED', amount: '420.50', currency: 'EUR', created: 1759363200 }, // 2025-10-02
  ],
  'P-1003': [
    { ref: 'SO-88107', state: 'AWAITING_SHIPMENT', amount: '12999.00', currency: 'CNY', created: 1763596800 }, // 2025-11-20
  ],
  'P-1004': [
    { ref: 'SO-87990', state: 'PROCESSING', amount: '75000.00', currency: 'INR', created: 1763164800 }, // 2025-11-15
  ],
  'P-1005': [
    { ref: 'SO-88150', state: 'PAID', amount: '249.90', currency: 'EUR', created: 1763683200 }, // 2025-11-21
  ],
};

/**
 * Starts the test API on 127.0.0.1.
 * @param {{port?: number, tokenTtlSeconds?: number, clientId?: string, clientSecret: string,
 *          onRequest?: (entry: {method: string, url: string, auth: string, status: number}) => void}} options
 * @returns {Promise<{base: string, requests: Array<{method: string, url: string, auth: 'bearer'|'basic'|'none', status: number}>,
 *          readonly tokens: number, stop: () => Promise<void>}>}
 */
export async function startTestApi({
  port = 0, accountsPort = 0, tokenTtlSeconds = 3600, clientId = DEFAULT_CLIENT_ID, clientSecret, onRequest,
  refreshToken = DEFAULT_REFRESH_TOKEN, appId = DEFAULT_APP_ID, appSecret = DEFAULT_APP_SECRET,
  udeskEmail = DEFAULT_UDESK_EMAIL, udeskToken = DEFAULT_UDESK_TOKEN, qiyuKey = DEFAULT_QIYU_KEY, qiyuSecret = DEFAULT_QIYU_SECRET,
  tls,
} = {}) {
  if (typeof clientSecret !== 'string' || clientSecret === '') throw new TypeError('startTestApi: clientSecret is required');
  if (!(tokenTtlSeconds > 0)) throw new TypeError('startTestApi: tokenTtlSeconds must be positive');

  const requests = [];
  // access token -> { expiry (ms since epoch), kind: 'oauth' (Authorization: Bearer) | 'app' (?access_token=) }
  const issued = new Map();
  const nonces = new Map(); // Udesk nonce -> when it may be used again (ms)
  let grants = 0;

  const handle = async (req, accounts) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const path = url.pathname;

    if (path === '/oauth/token') {
      if (req.method !== 'POST') return json(405, { error: 'method_not_allowed' }, { Allow: 'POST' });
      return tokenGrant(req);
    }
    if (path === '/cgi-bin/gettoken') {
      if (req.method !== 'GET') return json(405, { errcode: 43001, errmsg: 'require GET method' }, { Allow: 'GET' });
      return appTokenGrant(url);
    }
    // The accounts origin only issues tokens.
    if (accounts) return html(404, '<html><body>Not Found</body></html>');
    if (path === '/open_api_v1/customers/get_customer') {
      if (req.method !== 'GET') return json(405, { code: 2003, message: 'method not allowed' }, { Allow: 'GET' });
      return udeskCustomer(url);
    }
    if (path === '/openapi/crm/customer/query') {
      if (req.method !== 'POST') return json(405, { code: 405, message: 'method not allowed' }, { Allow: 'POST' });
      return qiyuCustomer(req, url);
    }
    const write = matchWrite(path);
    if (write) {
      if (!validToken(bearerOf(req.headers.authorization), 'oauth')) {
        return json(401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
      }
      return write(req, url);
    }
    const route = matchRoute(path);
    if (!route) return html(404, '<html><body>Not Found</body></html>');
    if (req.method !== 'GET') return json(405, { error: 'method_not_allowed' }, { Allow: 'GET' });
    // OAuth tokens in the Authorization header only; app tokens in ?access_token= only (as WeCom).
    const queryToken = url.searchParams.get('access_token');
    const ok = queryToken !== null ? validToken(queryToken, 'app') : validToken(bearerOf(req.headers.authorization), 'oauth');
    if (!ok) {
      return json(401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    }
    return route(url);
  };

  function issue(kind, ttlSeconds) {
    const token = randomBytes(24).toString('base64url');
    issued.set(token, { expiry: Date.now() + ttlSeconds * 1000, kind });
    grants += 1;
    return token;
  }

  /** WeCom's gettoken: a wrong id or secret is a 200 with an error code. */
  function appTokenGrant(url) {
    const id = url.searchParams.get('corpid');
    const secret = url.searchParams.get('corpsecret');
    if (id === null || id === '') return json(200, { errcode: 41002, errmsg: 'corpid missing' });
    if (!same(id, appId)) return json(200, { errcode: 40013, errmsg: 'invalid corpid' });
    if (secret === null || !same(secret, appSecret)) return json(200, { errcode: 40001, errmsg: 'invalid credential' });
    return json(200, { errcode: 0, errmsg: 'ok', access_token: issue('app', tokenTtlSeconds), expires_in: tokenTtlSeconds });
  }

  /** A signed request's timestamp (seconds) within the window of this clock. */
  function fresh(timestamp) {
    return /^\d{1,12}$/.test(timestamp || '') && Math.abs(Date.now() / 1000 - Number(timestamp)) <= SIGNATURE_WINDOW_SECONDS;
  }

  /**
   * Udesk open API v2: sign = SHA256(email&open_api_token&timestamp&nonce&sign_version), lower-case hex;
   * sign_version v2; a nonce once in 15 minutes. Anything wrong: 401.
   */
  function udeskCustomer(url) {
    const q = (k) => url.searchParams.get(k);
    const refuse = (message) => json(401, { code: 2002, message });
    if (q('sign_version') !== 'v2') return refuse('sign_version must be v2');
    if (q('email') === null || !same(q('email'), udeskEmail)) return refuse('unknown email');
    if (!fresh(q('timestamp'))) return refuse('timestamp expired');
    const nonce = q('nonce') || '';
    if (!/^[A-Za-z0-9]{1,64}$/.test(nonce)) return refuse('nonce required');
    const expected = sha256(`${udeskEmail}&${udeskToken}&${q('timestamp')}&${nonce}&v2`);
    if (!same(q('sign') || '', expected)) return refuse('sign invalid');
    const now = Date.now();
    for (const [n, until] of nonces) if (until <= now) nonces.delete(n);
    if (nonces.has(nonce)) return refuse('nonce used');
    nonces.set(nonce, now + 15 * 60 * 1000);
    const type = q('type');
    const content = (q('content') || '').trim().toLowerCase();
    let person;
    if (type === 'email') person = PEOPLE.find((p) => p.contact.emails.some((e) => e.address === content));
    else if (type === 'cellphone') person = PEOPLE.find((p) => p.contact.phones.some((ph) => ph.number.replace(/\D/g, '').endsWith(content.replace(/\D/g, '')) && content.replace(/\D/g, '').length >= 7));
    else return json(200, { code: 2001, message: 'type must be email or cellphone' });
    return json(200, { code: 1000, message: 'ok', customer: person ? udeskShape(person) : null });
  }

  /** NetEase Qiyu: checksum = SHA1(appSecret + MD5(body) + time), lower-case hex; 5 minutes. Anything wrong: 401. */
  async function qiyuCustomer(req, url) {
    let body;
    try {
      body = await readBody(req);
    } catch {
      return json(413, { code: 413, message: 'body too large' });
    }
    const q = (k) => url.searchParams.get(k);
    const refuse = (message) => json(401, { code: 401, message });
    if (q('appKey') === null || !same(q('appKey'), qiyuKey)) return refuse('unknown appKey');
    if (!fresh(q('time'))) return refuse('time expired');
    const expected = createHash('sha1').update(qiyuSecret + createHash('md5').update(body, 'utf8').digest('hex') + q('time')).digest('hex');
    if (!same(q('checksum') || '', expected)) return refuse('checksum invalid');
    let asked;
    try {
      asked = JSON.parse(body);
    } catch {
      return json(200, { code: 400, message: 'body is not JSON' });
    }
    const email = String((asked && asked.email) || '').toLowerCase();
    const hits = PEOPLE.filter((p) => p.contact.emails.some((e) => e.address === email));
    return json(200, { code: 200, result: hits.map(qiyuShape) });
  }

  async function tokenGrant(req) {
    const type = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      return json(400, { error: 'invalid_request', error_description: 'body must be application/x-www-form-urlencoded' });
    }
    let body;
    try {
      body = await readBody(req);
    } catch {
      return json(413, { error: 'invalid_request', error_description: 'body too large' });
    }
    const form = new URLSearchParams(body);
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = parseBasic(req.headers.authorization);
    if (basic) {
      // RFC 6749 2.3.1: one authentication method; a body client_id, if any, must agree.
      if (id !== null && id !== basic.id) return invalidClient();
      if (secret !== null) return json(400, { error: 'invalid_request', error_description: 'more than one client authentication method' });
      ({ id, secret } = basic);
    }
    if (id === null || secret === null || !same(id, clientId) || !same(secret, clientSecret)) return invalidClient();
    const grantType = form.get('grant_type');
    if (grantType === null) return json(400, { error: 'invalid_request', error_description: 'grant_type is required' });
    if (grantType === 'refresh_token') {
      // RFC 6749 6: the refresh token issued to this client. It is not rotated (as Salesforce and Zoho).
      const given = form.get('refresh_token');
      if (given === null || given === '') return json(400, { error: 'invalid_request', error_description: 'refresh_token is required' });
      if (!same(given, refreshToken)) return json(400, { error: 'invalid_grant', error_description: 'refresh token is invalid or revoked' });
    } else if (grantType !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' });

    const answer = { access_token: issue('oauth', tokenTtlSeconds), token_type: 'Bearer', expires_in: tokenTtlSeconds };
    const scope = form.get('scope');
    if (scope !== null) answer.scope = scope;
    return json(200, answer, { Pragma: 'no-cache' });
  }

  function invalidClient() {
    return json(401, { error: 'invalid_client' }, { 'WWW-Authenticate': 'Basic realm="testapi"' });
  }

  function bearerOf(header) {
    const m = /^Bearer +(\S+)\s*$/i.exec(header || '');
    return m ? m[1] : null;
  }

  function validToken(token, kind) {
    const held = token === null ? undefined : issued.get(token);
    if (held === undefined || held.kind !== kind) return false;
    if (Date.now() >= held.expiry) {
      issued.delete(token);
      return false;
    }
    return true;
  }

  // ---- Write-back: notes and tasks, stored here for tests to read back, with faults on demand ----
  const notes = []; // { note_id, person_id, subject, body_html, created }
  const tasks = []; // { task_id, person_id, title, due_on, assignee, priority, details, created }
  const idempotency = new Map(); // Idempotency-Key -> the first answer
  /** Faults for the next writes (POSTs of notes and tasks), consumed in order:
   *  'drop' (commit, then drop the connection in the middle of the answer), '500' (commit, then answer 500), '422' (refuse, commit nothing),
   *  'slow' (commit, then answer after `slowMs`), 'verify-500' (the next note search answers 500). */
  const faults = [];
  let slowMs = 12_000;

  function matchWrite(path) {
    let m = /^\/v2\/people\/([^/]+)\/notes$/.exec(path);
    if (m) {
      const id = decodeSegment(m[1]);
      return (req, url) => (req.method === 'POST' ? createNote(req, id) : req.method === 'GET' ? listNotes(url, id) : json(405, { error: 'method_not_allowed' }, { Allow: 'GET, POST' }));
    }
    if (path === '/v2/tasks') return (req) => (req.method === 'POST' ? createTask(req) : json(405, { error: 'method_not_allowed' }, { Allow: 'POST' }));
    return null;
  }

  async function jsonBody(req) {
    const type = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') return { error: json(415, { error: 'body must be application/json' }) };
    try {
      return { body: JSON.parse(await readBody(req)) };
    } catch {
      return { error: json(400, { error: 'body is not JSON' }) };
    }
  }

  /** The answer to a committed write, as the next fault (if any) shapes it. */
  function committed(answer, fault) {
    if (fault === 'drop') return { destroy: true, status: 0, headers: {}, body: '' };
    if (fault === '500') return json(500, { error: 'internal_error' });
    if (fault === 'slow') return { ...answer, delayMs: slowMs };
    return answer;
  }

  function nextWriteFault() {
    const i = faults.findIndex((f) => f !== 'verify-500');
    return i < 0 ? undefined : faults.splice(i, 1)[0];
  }

  async function createNote(req, personId) {
    if (!PEOPLE.some((p) => p.person_id === personId)) return json(404, { error: 'not_found' });
    const { body, error } = await jsonBody(req);
    if (error) return error;
    const fault = nextWriteFault();
    if (fault === '422') return json(422, { error: 'validation_failed', message: 'note rejected' });
    if (typeof body.body_html !== 'string' || body.body_html === '') return json(422, { error: 'validation_failed', message: 'body_html is required' });
    const note = { note_id: `N-${notes.length + 1}`, person_id: personId, subject: String(body.subject || ''), body_html: body.body_html, created: new Date().toISOString() };
    notes.push(note);
    return committed(json(201, { result: { note } }), fault);
  }

  function listNotes(url, personId) {
    const i = faults.indexOf('verify-500');
    if (i >= 0) {
      faults.splice(i, 1);
      return json(500, { error: 'search backend unavailable' });
    }
    const contains = url.searchParams.get('contains');
    const items = notes.filter((n) => n.person_id === personId && (contains === null || n.body_html.includes(contains)));
    return json(200, { result: { items } });
  }

  async function createTask(req) {
    const key = req.headers['idempotency-key'];
    const { body, error } = await jsonBody(req);
    if (error) return error;
    // The vendor's idempotency: the same key answers the first result, and stores nothing new.
    if (key && idempotency.has(key)) return { ...idempotency.get(key), headers: { ...idempotency.get(key).headers, 'Idempotent-Replayed': 'true' } };
    const fault = nextWriteFault();
    if (fault === '422') return json(422, { error: 'validation_failed', message: 'task rejected' });
    if (!PEOPLE.some((p) => p.person_id === body.person_id)) return json(422, { error: 'validation_failed', message: 'person_id is unknown' });
    if (typeof body.title !== 'string' || body.title === '') return json(422, { error: 'validation_failed', message: 'title is required' });
    if (body.due_on !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(body.due_on)) return json(422, { error: 'validation_failed', message: 'due_on must be YYYY-MM-DD' });
    const task = { task_id: `T-${tasks.length + 1}`, person_id: body.person_id, title: body.title, due_on: body.due_on ?? null, assignee: body.assignee ?? null, priority: body.priority ?? null, details: String(body.details || ''), created: new Date().toISOString() };
    tasks.push(task);
    const answer = json(201, { result: { task } });
    if (key) idempotency.set(key, answer);
    return committed(answer, fault);
  }

  const handler = (accounts) => (req, res) => {
    handle(req, accounts)
      .catch((e) => json(500, { error: 'internal_error', message: String(e && e.message) }))
      .then((reply) => {
        const entry = { method: req.method, url: req.url, auth: authKind(req.headers.authorization), status: reply.destroy ? 'dropped' : reply.status, ...(accounts ? { origin: 'accounts' } : {}) };
        requests.push(entry);
        if (onRequest) onRequest(entry);
        if (reply.destroy) {
          // The answer is cut off after its first bytes. (A connection closed before any byte
          // of the answer is resent by the browser itself when the connection was a reused
          // keep-alive one, whatever the method: no client can tell that from a lost answer.)
          const socket = res.socket;
          socket?.write('HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"result":', () => socket.destroy());
          return;
        }
        const answer = () => {
          if (res.destroyed) return;
          res.writeHead(reply.status, { 'Cache-Control': 'no-store', ...reply.headers, 'Content-Length': Buffer.byteLength(reply.body) });
          res.end(reply.body);
        };
        if (reply.delayMs) setTimeout(answer, reply.delayMs).unref();
        else answer();
      });
  };
  // `tls`: { cert, key } (PEM) serves both origins over https.
  const serve = (accounts) => (tls ? https.createServer({ cert: tls.cert, key: tls.key }, handler(accounts)) : http.createServer(handler(accounts)));
  const listen = (server, p) => new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(p, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const server = serve(false);
  const accountsServer = serve(true);
  await listen(server, port);
  try {
    await listen(accountsServer, accountsPort);
  } catch (e) {
    server.close();
    throw e;
  }
  const scheme = tls ? 'https' : 'http';
  const base = `${scheme}://127.0.0.1:${server.address().port}`;
  const accounts = `${scheme}://127.0.0.1:${accountsServer.address().port}`;

  return {
    base,
    /** The token issuer's own origin (another port: another origin), serving only the token endpoints. */
    accounts,
    requests,
    get tokens() {
      return grants;
    },
    /** Write-back: the notes and tasks stored (live), and the faults for the next writes. */
    notes,
    tasks,
    faults,
    set slowMs(ms) {
      slowMs = ms;
    },
    stop() {
      const close = (s) => new Promise((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
      return Promise.all([close(server), close(accountsServer)]).then(() => undefined);
    },
  };
}

/** A person as Udesk's customer API shapes one. */
function udeskShape(p) {
  return {
    id: Number(p.person_id.slice(2)),
    nick_name: `${p.given_name} ${p.family_name}`,
    email: p.contact.emails[0].address,
    cellphones: p.contact.phones.map((ph) => ({ content: ph.number })),
    organization: p.org ? { name: p.org.display_name } : null,
  };
}

/** A person as the Qiyu-style API shapes one. */
function qiyuShape(p) {
  return { uid: p.person_id, name: `${p.given_name} ${p.family_name}`, email: p.contact.emails[0].address, mobile: p.contact.phones[0].number };
}

function sha256(text) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// ---- routes (all behind the bearer token) ----

function matchRoute(path) {
  if (path === '/v2/people/search') return search;
  let m = /^\/v2\/people\/([^/]+)$/.exec(path);
  if (m) return () => personById(decodeSegment(m[1]));
  m = /^\/v2\/people\/([^/]+)\/orders$/.exec(path);
  if (m) return () => ordersOf(decodeSegment(m[1]));
  return null;
}

function search(url) {
  const q = (url.searchParams.get('q') || '').trim();
  if (q === '') return json(400, { error: 'q is required' });
  const page = positiveInt(url.searchParams.get('page'), 1);
  const perPageAsked = positiveInt(url.searchParams.get('per_page'), DEFAULT_PER_PAGE);
  if (page === null) return json(400, { error: 'page must be a positive integer' });
  if (perPageAsked === null) return json(400, { error: 'per_page must be a positive integer' });
  if (q.toLowerCase() === FAULT_QUERY) {
    return json(200, { status: 'error', code: 1001, message: 'search backend unavailable' });
  }
  const perPage = Math.min(perPageAsked, MAX_PER_PAGE);
  const hits = PEOPLE.filter((p) => fuzzyMatch(p, q));
  const pages = Math.ceil(hits.length / perPage);
  const items = hits.slice((page - 1) * perPage, page * perPage);
  return json(200, { result: { items, page, per_page: perPage, pages, total: hits.length } });
}

function personById(id) {
  const person = PEOPLE.find((p) => p.person_id === id);
  return person ? json(200, { result: { item: person } }) : json(404, { error: 'not_found' });
}

function ordersOf(id) {
  if (!PEOPLE.some((p) => p.person_id === id)) return json(404, { error: 'not_found' });
  return json(200, { result: { items: ORDERS[id] || [] } });
}

/**
 * The vendor-style fuzzy match: an email matches when it contains q (case-insensitive)
 * or when every word of q is a word of the address (so mia.fischer@globex.example finds
 * mia.fischer.jr@globex.example); a phone matches when q has at least 7 digits and the
 * phone's digits contain them (+, spaces, dashes, brackets ignored).
 */
export function fuzzyMatch(person, q) {
  const needle = q.toLowerCase();
  const words = tokens(needle);
  for (const { address } of person.contact.emails) {
    const hay = address.toLowerCase();
    if (hay.includes(needle)) return true;
    const hayWords = new Set(tokens(hay));
    if (words.length > 0 && words.every((w) => hayWords.has(w))) return true;
  }
  const qDigits = /^[\d\s+\-().]+$/.test(q) ? q.replace(/\D/g, '') : '';
  if (qDigits.length >= 7) {
    for (const { number } of person.contact.phones) {
      if (number.replace(/\D/g, '').includes(qDigits)) return true;
    }
  }
  return false;
}

// ---- helpers ----

function tokens(s) {
  return s.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function positiveInt(raw, fallback) {
  if (raw === null || raw === '') return fallback;
  return /^\d+$/.test(raw) && Number(raw) >= 1 ? Number(raw) : null;
}

function decodeSegment(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseBasic(header) {
  const m = /^Basic +([A-Za-z0-9+/=]+)\s*$/i.exec(header || '');
  if (!m) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  // RFC 6749 2.3.1: client id and secret are form-encoded before Basic encoding.
  const decode = (s) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: decode(text.slice(0, colon)), secret: decode(text.slice(colon + 1)) };
}

function authKind(header) {
  if (/^Bearer\s/i.test(header || '')) return 'bearer';
  if (/^Basic\s/i.test(header || '')) return 'basic';
  return 'none';
}

function same(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(status, value, headers = {}) {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}

function html(status, body) {
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body };
}

// ---- CLI ----

function isMain() {
  if (!process.argv[1]) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

async function cli(argv) {
  const usage = 'usage: node tests/testapi/server.mjs --client-secret S [--port 8650] [--accounts-port 8651] [--client-id deskside-test] [--token-ttl 3600]\n' +
    '  [--refresh-token T] [--app-id ID] [--app-secret S] [--udesk-email E] [--udesk-token T] [--qiyu-key K] [--qiyu-secret S]\n' +
    '  [--tls-cert CERT.pem --tls-key KEY.pem]   (https on both origins)';
  const opts = { port: 8650, onRequest: (e) => console.log(`request ${e.origin === 'accounts' ? 'accounts ' : ''}${e.method} ${e.url.replace(/([?&](?:corpsecret|sign|checksum|access_token)=)[^&]*/g, '$1…')} auth=${e.auth} status=${e.status}`) };
  const die = (msg) => {
    console.error(`${msg}\n${usage}`);
    process.exit(2);
  };
  const tlsFiles = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : die(`${a} needs a value`));
    if (a === '--port') opts.port = Number(value());
    else if (a === '--client-secret') opts.clientSecret = value();
    else if (a === '--client-id') opts.clientId = value();
    else if (a === '--token-ttl') opts.tokenTtlSeconds = Number(value());
    else if (a === '--accounts-port') opts.accountsPort = Number(value());
    else if (a === '--refresh-token') opts.refreshToken = value();
    else if (a === '--app-id') opts.appId = value();
    else if (a === '--app-secret') opts.appSecret = value();
    else if (a === '--udesk-email') opts.udeskEmail = value();
    else if (a === '--udesk-token') opts.udeskToken = value();
    else if (a === '--qiyu-key') opts.qiyuKey = value();
    else if (a === '--qiyu-secret') opts.qiyuSecret = value();
    else if (a === '--tls-cert') tlsFiles.cert = value();
    else if (a === '--tls-key') tlsFiles.key = value();
    else if (a === '-h' || a === '--help') {
      console.log(usage);
      return;
    } else die(`unknown argument '${a}'`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) die('--port needs a number from 0 to 65535');
  // The accounts origin: the next port, or a free one with --port 0.
  if (!('accountsPort' in opts)) opts.accountsPort = opts.port === 0 ? 0 : opts.port + 1;
  if (!Number.isInteger(opts.accountsPort) || opts.accountsPort < 0 || opts.accountsPort > 65535) die('--accounts-port needs a number from 0 to 65535');
  if (!opts.clientSecret) die('--client-secret is required');
  if ('tokenTtlSeconds' in opts && !(opts.tokenTtlSeconds > 0)) die('--token-ttl needs a positive number of seconds');
  if (('cert' in tlsFiles) !== ('key' in tlsFiles)) die('--tls-cert and --tls-key go together');
  if ('cert' in tlsFiles) {
    try {
      opts.tls = { cert: readFileSync(tlsFiles.cert), key: readFileSync(tlsFiles.key) };
    } catch (e) {
      die(`cannot read the TLS certificate or key: ${e.message}`);
    }
  }
  let api;
  try {
    api = await startTestApi(opts);
  } catch (e) {
    console.error(`cannot listen on 127.0.0.1:${opts.port}: ${e.message}`);
    process.exit(1);
  }
  console.log(`listening on ${api.base}`);
  console.log(`accounts on ${api.accounts}`);
  const shutdown = () => api.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (isMain()) cli(process.argv.slice(2));
