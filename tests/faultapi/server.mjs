// A CRM API that fails in every way THREATS.md lists (issue 21), for the
// request layer's end-to-end tests: 429 with each Retry-After form,
// Salesforce's REQUEST_LIMIT_EXCEEDED, a hang, a 1 KB/s trickle, bad and
// oversized bodies, 5xx, a revoked key; and, on demand, a rate limit it
// enforces itself (N requests per window, else 429). It also serves ticket
// pages (`/ticket/<email>`) naming a customer, so each test picks its fault
// by the customer's address. Plain node:http on 127.0.0.1; every request is
// recorded.
//
//   import { startFaultApi, DEFINITION } from './server.mjs';
//   const api = await startFaultApi({ key: 'k' });
//   api.setMode('a@shop.example', ['429:120', 'ok']);   // each request takes the next; the last stays
//   api.count('a@shop.example');                          // requests received for it
//   api.holds('a@shop.example');                          // one of them open now, unanswered (hang, trickle)
//   const decoy = await startDecoy();                     // another origin that records every request
//   api.setRedirect(decoy.base);                          // mode 'redirect': 302 to the decoy, same path and query

import http from 'node:http';
import { createHash } from 'node:crypto';

/** The generic connector's definition for this API (the test adds `rate`). */
export const DEFINITION = {
  id: 'fault_api',
  name: 'Fault API',
  auth: { kind: 'bearer' },
  lookups: { email: [{ path: '/api/customers', query: { email: '{value}' } }] },
  results: { list: '/items' },
  map: { id: '/id', name: '/name', emails: ['/email'] },
};

function record(email) {
  const id = 'C-' + createHash('sha256').update(email).digest('hex').slice(0, 8);
  const local = email.split('@')[0];
  return { id, name: `Customer ${local}`, email };
}

const json = (v) => JSON.stringify(v);

export async function startFaultApi({ key = 'fault-key', port = 0 } = {}) {
  const modes = new Map();
  const requests = [];
  const sockets = new Set();
  let limit = null; // { requests, perMs }
  let redirectTo = null; // mode 'redirect': this origin, same path and query
  const arrivals = [];

  function nextMode(email) {
    const list = modes.get(email);
    if (!list || list.length === 0) return 'ok';
    return list.length > 1 ? list.shift() : list[0];
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname.startsWith('/ticket/')) {
      const email = decodeURIComponent(url.pathname.slice('/ticket/'.length));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><title>Ticket for ${email}</title></head><body><h1>Ticket #${Date.now() % 100000}</h1>`
        + `<p>From: <a href="mailto:${email}">${email}</a></p><p>Hello, my order has not arrived.</p></body></html>`);
      return;
    }
    if (url.pathname !== '/api/customers') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"no such path"}');
      return;
    }
    const email = url.searchParams.get('email') ?? '';
    const now = Date.now();
    const entry = { email, at: now, status: 0 };
    requests.push(entry);
    const send = (status, body, headers = {}) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    // The key as the definition places it: bearer, a header of its own, or a query parameter.
    const authed = req.headers.authorization === `Bearer ${key}` || req.headers['x-api-key'] === key
      || url.searchParams.get('api_key') === key;
    if (!authed) return send(401, '{"error":"unauthorized"}');
    if (limit) {
      while (arrivals.length && arrivals[0] <= now - limit.perMs) arrivals.shift();
      if (arrivals.length >= limit.requests) {
        arrivals.push(now);
        return send(429, '{"error":"rate limited"}', { 'retry-after': String(Math.ceil(limit.perMs / 1000)) });
      }
      arrivals.push(now);
    }
    const mode = nextMode(email);
    const ok = json({ items: [record(email)] });
    if (mode.startsWith('429:')) {
      const v = mode.slice(4);
      let header = v;
      if (v.startsWith('date+')) header = new Date(now + Number(v.slice(5)) * 1000).toUTCString();
      if (v === 'past') header = new Date(now - 3600_000).toUTCString();
      return send(429, '{"error":"too many requests"}', v === 'none' ? {} : { 'retry-after': header });
    }
    switch (mode) {
      case 'ok': return send(200, ok);
      // A compromised CRM (or an open redirect on it) sending the client elsewhere, query and all.
      case 'redirect': return send(302, '', { location: `${redirectTo}${req.url}` });
      case 'notfound': return send(200, json({ items: [] }));
      case 'sf': return send(403, json([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]));
      case 'revoked': return send(401, json({ error: 'invalid_token' }));
      case 'forbidden': return send(403, json({ error: 'forbidden' }));
      case '400': return send(400, json({ error: 'bad request' }));
      case '500': case '502': case '503': return send(Number(mode), json({ error: 'down' }));
      case 'hang':
        // Accepts, then says nothing for 35 s.
        entry.status = 'hang';
        res.on('close', () => { if (entry.status === 'hang') entry.status = 'dropped'; });
        setTimeout(() => { try { send(200, ok); } catch { /* gone */ } }, 35_000);
        return;
      case 'slow':
        // Answers after 3 s (well inside the lookup's deadline).
        setTimeout(() => { try { send(200, ok); } catch { /* gone */ } }, 3_000);
        return;
      case 'trickle': {
        // 1 KB a second of a large answer.
        entry.status = 'trickle';
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"items":[');
        const timer = setInterval(() => {
          if (res.destroyed) { clearInterval(timer); return; }
          res.write(`"${'x'.repeat(1020)}",`);
        }, 1000);
        res.on('close', () => { clearInterval(timer); if (entry.status === 'trickle') entry.status = 'dropped'; });
        return;
      }
      case 'truncated': return send(200, ok.slice(0, ok.length - 7));
      case 'html': return send(200, '<!doctype html><html><body><form action="/login">Sign in</form></body></html>');
      case 'bom': return send(200, '\uFEFF' + ok);
      case 'empty': return send(200, '');
      case '204': entry.status = 204; res.writeHead(204); res.end(); return;
      case 'null': return send(200, 'null');
      case 'wrongtypes': return send(200, json({ items: { id: 5, name: ['a'] } }));
      case 'dupkeys': return send(200, `{"items":[],"items":[${json(record(email))}]}`);
      case 'surrogate': return send(200, `{"items":[{"id":"S-1","name":"Lone \\ud800 surrogate","email":"${email}"}]}`);
      case 'deep': return send(200, '['.repeat(10_000) + ']'.repeat(10_000));
      case 'huge': {
        // 50 MB, announced: refused before it is read.
        entry.status = 200;
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * chunk.length) });
        let n = 0;
        const pump = () => { while (n < 50) { n += 1; if (!res.write(chunk)) { res.once('drain', pump); return; } } res.end(); };
        res.on('error', () => {});
        pump();
        return;
      }
      case 'million': return send(200, `{"items":[${'1,'.repeat(999_999)}1]}`);
      case 'bignum': return send(200, `{"items":[{"id":"B-1","name":"Big Number","email":"${email}","n":184467440737095516160000}]}`);
      default: return send(500, json({ error: `unknown mode ${mode}` }));
    }
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    requests,
    setMode(email, list) { modes.set(email, [...list]); },
    setLimit(l) { limit = l; arrivals.length = 0; },
    setRedirect(base) { redirectTo = base; },
    count(email) { return requests.filter((r) => r.email === email).length; },
    // Whether a request for `email` is open now, unanswered (a hang's, a trickle's; not one the client dropped).
    holds(email) { return requests.some((r) => r.email === email && (r.status === 'hang' || r.status === 'trickle')); },
    rateLimited() { return requests.filter((r) => r.status === 429).length; },
    stop() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A decoy on another loopback origin: answers everything (CORS wide open,
 * as a hostile server would) and records every request it receives, method,
 * URL, headers and body, so a test can assert a key never reached it.
 */
export async function startDecoy({ port = 0 } = {}) {
  const requests = [];
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(200, {
        'content-type': 'application/json',
        'access-control-allow-origin': req.headers.origin ?? '*',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
        'access-control-allow-credentials': 'true',
      });
      res.end(json({ items: [{ id: 'D-1', name: 'Decoy Customer', email: 'decoy@decoy.example' }] }));
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    requests,
    stop() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
