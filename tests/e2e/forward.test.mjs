// End-to-end (issue 21, audit trail): the admin sets an endpoint on the
// options page and the trail is forwarded to it in batches, in real Chromium
// and Firefox ESR. A loopback endpoint records each POST; it first holds the
// connection (the panel is not slowed by it), then refuses (the entries wait),
// then accepts: every entry arrives once, in order, as kind + salted hash,
// never the address or the CRM key.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, canaryKey, configure, fillField, openExtensionPage, panelState, startSuite, until, waitLoaded } from './harness.mjs';

const EMAIL = 'mia.fischer@globex.example';

/** An audit endpoint on loopback: `mode` is 'hang', 'down' (503) or 'up' (204). */
async function startEndpoint() {
  const posts = [];
  const held = [];
  let mode = 'up';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const post = { at: Date.now(), mode, method: req.method, path: req.url, headers: req.headers, body };
      posts.push(post);
      if (mode === 'hang') { held.push(res); return; }
      if (mode === 'down') { res.writeHead(503, { 'Retry-After': '1' }); res.end('down'); return; }
      res.writeHead(204); res.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base, posts,
    setMode(m) { mode = m; },
    /** The batches it accepted, parsed. */
    accepted: () => posts.filter((p) => p.mode === 'up').map((p) => ({ ...JSON.parse(p.body), key: p.headers['idempotency-key'] })),
    /** Requests it holds unanswered (mode 'hang'). */
    holding: () => held.filter((r) => !r.writableEnded && !r.destroyed).length,
    stop: () => { for (const r of held) r.destroy(); server.closeAllConnections?.(); server.close(); },
  };
}

for (const kind of BROWSERS) {
  describe(`${kind}: audit forwarding`, () => {
    const key = canaryKey();
    let demo;
    let ext;
    let endpoint;
    let env;

    before(async () => {
      env = await startSuite(kind, { key, servers: { endpoint: startEndpoint } });
      ({ demo, endpoint, ext } = env);
    });
    after(() => env?.close());

    test('a bad endpoint is refused on save', async () => {
      const page = await openExtensionPage(ext, 'options.html');
      await waitLoaded(page);
      await fillField(page, '#audit_forward_url', 'http://audit.example.com/ingest');
      const { status } = await configure(ext, { baseUrl: demo.base, key, page });
      assert.equal(status.kind, 'error', status.text);
      const error = await page.$eval('[data-error-for="audit_forward_url"]', (e) => e.textContent);
      assert.match(error, /https:\/\//);
      await page.close();
    });

    test('batches reach the endpoint without slowing the panel; nothing is lost while it is down', async () => {
      endpoint.setMode('hang');
      const page = await openExtensionPage(ext, 'options.html');
      await waitLoaded(page);
      await fillField(page, '#audit_forward_url', `${endpoint.base}/ingest`);
      const { status } = await configure(ext, { baseUrl: demo.base, key, page });
      assert.equal(status.kind, 'ok', status.text);
      await page.close();

      // The endpoint holds the connection: the panel shows the customer anyway.
      const ticket = await ext.browser.newPage();
      await ticket.goto(demo.base + '/tickets/strict/1001');
      const panel = await panelState(ticket);
      assert.equal(panel.state, 'found', panel.text);
      await until('the first batch sent', async () => ({ ok: endpoint.posts.length >= 1, n: endpoint.posts.length }));
      assert.equal(endpoint.posts[0].method, 'POST');
      assert.equal(endpoint.posts[0].path, '/ingest');
      // Causal, not timed: while the endpoint still holds that batch unanswered,
      // another ticket's lookup runs to the end (a panel that waited for the
      // forwarder would stay in its loading state until the endpoint answered).
      assert.ok(endpoint.holding() >= 1, 'the endpoint holds the first batch');
      const second = await ext.browser.newPage();
      await second.goto(demo.base + '/tickets/strict/1004');
      const secondPanel = await panelState(second);
      assert.equal(secondPanel.state, 'found', secondPanel.text);
      assert.ok(endpoint.holding() >= 1, 'the endpoint answered before the panel was shown: the test proves nothing');
      await second.close();

      // Then it refuses: the entries wait (the options page says how many).
      endpoint.setMode('down');
      const options = await openExtensionPage(ext, 'options.html');
      await waitLoaded(options);
      await until('the options page shows entries waiting', async () => {
        await options.click('#audit_refresh');
        const waiting = await options.$eval('#forward_status', (e) => Number(e.dataset.waiting ?? -1));
        return { ok: waiting >= 1, waiting };
      }, 30_000);
      await until('a refused attempt', async () => ({ ok: endpoint.posts.some((p) => p.mode === 'down'), n: endpoint.posts.length }), 30_000);

      // Back up: the waiting entries arrive, then a new lookup's.
      endpoint.setMode('up');
      const first = await until('a batch accepted', async () => ({ ok: endpoint.accepted().length >= 1, posts: endpoint.posts.map((p) => p.mode) }), 40_000);
      assert.ok(first.ok);
      await ticket.goto(demo.base + '/tickets/strict/1003');
      assert.equal((await panelState(ticket)).state, 'not_found');
      await until('the second lookup forwarded', async () => {
        const seqs = endpoint.accepted().flatMap((b) => b.entries.map((_, i) => b.first_seq + i));
        return { ok: new Set(seqs).size >= 2 && endpoint.accepted().length >= 2, seqs };
      }, 40_000);

      const batches = endpoint.accepted();
      const seqs = batches.flatMap((b) => b.entries.map((_, i) => b.first_seq + i));
      assert.deepEqual(seqs, [...seqs.keys()], 'every entry once, in order, none lost');
      for (const b of batches) {
        assert.equal(b.format, 'deskside-audit/1');
        assert.equal(b.key, b.batch_id, 'the Idempotency-Key names the batch');
        assert.equal(b.batch_id, `${b.install}-${b.first_seq}`);
      }
      const lookups = batches.flatMap((b) => b.entries).filter((e) => e.action === 'lookup');
      assert.ok(lookups.length >= 2, JSON.stringify(batches));
      for (const e of lookups) {
        assert.equal(e.id_kind, 'email');
        assert.match(e.subject_hash, /^[0-9a-f]{32}$/);
        assert.equal(e.page_origin, demo.base.replace(/\/$/, ''));
      }
      const everything = JSON.stringify(endpoint.posts);
      assert.ok(!everything.includes(EMAIL) && !everything.includes('mia.fischer'), 'an identifier reached the endpoint');
      assert.ok(!everything.includes(key), 'the CRM key reached the endpoint');

      // The options page: all sent, none waiting.
      await until('the options page shows all sent', async () => {
        await options.click('#audit_refresh');
        const s = await options.$eval('#forward_status', (e) => ({ waiting: Number(e.dataset.waiting), sent: Number(e.dataset.sent), text: e.textContent }));
        return { ok: s.waiting === 0 && s.sent === seqs.length, ...s };
      });
      await options.close();
      await ticket.close();
    });
  });
}
