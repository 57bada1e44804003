// The test API's write-back routes (node --test tests/testapi/): notes and tasks are stored
// for tests to read back, a task's Idempotency-Key replays the first answer, and the
// faults the e2e suite recovers from (commit then drop, commit then 500, 422, slow).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi } from './server.mjs';

const SECRET = 'test-secret-writes';
let api;
let token;

before(async () => {
  api = await startTestApi({ clientSecret: SECRET });
  const res = await fetch(`${api.base}/oauth/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&client_id=deskside-test&client_secret=${SECRET}`,
  });
  token = (await res.json()).access_token;
});
after(() => api.stop());

function post(path, body, headers = {}) {
  return fetch(`${api.base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

test('a note is stored and found by the marker it carries', async () => {
  const res = await post('/v2/people/P-1001/notes', { subject: 'S', body_html: 'hello [deskside:op-aaaaaaaaaaaa]' });
  assert.equal(res.status, 201);
  const { result } = await res.json();
  assert.match(result.note.note_id, /^N-\d+$/);
  assert.equal(api.notes.at(-1).body_html, 'hello [deskside:op-aaaaaaaaaaaa]');
  const found = await (await fetch(`${api.base}/v2/people/P-1001/notes?contains=${encodeURIComponent('[deskside:op-aaaaaaaaaaaa]')}`, { headers: { authorization: `Bearer ${token}` } })).json();
  assert.deepEqual(found.result.items.map((n) => n.note_id), [result.note.note_id]);
  const none = await (await fetch(`${api.base}/v2/people/P-1001/notes?contains=x-not-there`, { headers: { authorization: `Bearer ${token}` } })).json();
  assert.deepEqual(none.result.items, []);
  assert.equal((await fetch(`${api.base}/v2/people/P-1001/notes`, { method: 'POST' })).status, 401, 'a token is required');
});

test('faults: commit then drop, commit then 500, 422 commits nothing, slow commits then answers late', async () => {
  const before = api.notes.length;
  api.faults.push('drop');
  // The answer is cut off: its headers arrive, its body never ends.
  await assert.rejects(post('/v2/people/P-1002/notes', { body_html: 'dropped' }).then((r) => r.text()));
  assert.equal(api.notes.length, before + 1, 'committed before the drop');
  api.faults.push('500');
  assert.equal((await post('/v2/people/P-1002/notes', { body_html: 'five hundred' })).status, 500);
  assert.equal(api.notes.length, before + 2);
  api.faults.push('422');
  assert.equal((await post('/v2/people/P-1002/notes', { body_html: 'refused' })).status, 422);
  assert.equal(api.notes.length, before + 2, '422: nothing stored');
  api.slowMs = 300;
  api.faults.push('slow');
  const t0 = Date.now();
  assert.equal((await post('/v2/people/P-1002/notes', { body_html: 'slow' })).status, 201);
  assert.ok(Date.now() - t0 >= 290);
  api.faults.push('verify-500');
  assert.equal((await fetch(`${api.base}/v2/people/P-1002/notes?contains=x`, { headers: { authorization: `Bearer ${token}` } })).status, 500);
});

test('a task with the same Idempotency-Key is stored once and answered the same', async () => {
  const n = api.tasks.length;
  const body = { person_id: 'P-1003', title: 'Call back', due_on: '2026-12-01', details: 'x' };
  const a = await post('/v2/tasks', body, { 'idempotency-key': 'op-key-1234567890' });
  assert.equal(a.status, 201);
  const b = await post('/v2/tasks', body, { 'idempotency-key': 'op-key-1234567890' });
  assert.equal(b.status, 201);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(await b.json(), await a.json());
  assert.equal(api.tasks.length, n + 1);
  assert.equal((await post('/v2/tasks', { ...body, due_on: '1 Dec' })).status, 422);
  assert.equal((await post('/v2/tasks', { ...body, person_id: 'P-9' })).status, 422);
});
