// The e2e harness's own setup (startSuite, startConfigured), without a
// browser: what a suite started is stopped again when a later step fails,
// and close() stops every server even when one was already stopped.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startConfigured, startDemo, startSuite } from './harness.mjs';

/** A server that records its stop in `log`; `fail` makes its stop throw (as a second stop does). */
const fake = (name, log, { fail = false } = {}) => async () => ({
  base: `fake:${name}`,
  stop: async () => { log.push(name); if (fail) throw new Error(`${name} was already stopped`); },
});

/** Whether anything still answers at `base`. */
const answers = (base) => fetch(base, { signal: AbortSignal.timeout(2_000) }).then(() => true, () => false);

describe('the e2e harness: startSuite and startConfigured', () => {
  test('a browser that fails to start: the servers already started are stopped, last first, and the error is thrown', async () => {
    const log = [];
    let demo;
    const keep = async () => { demo = await startDemo(); return demo; };
    await assert.rejects(
      startSuite('no-such-browser', { demo: false, servers: { crm: keep, a: fake('a', log), b: fake('b', log, { fail: true }) } }),
      /unknown browser no-such-browser/,
    );
    assert.ok(demo, 'the demo server was started');
    // The demo server's process was ended: its port no longer answers.
    let up = true;
    for (let i = 0; i < 20 && up; i += 1) {
      up = await answers(demo.base);
      if (up) await new Promise((r) => setTimeout(r, 100));
    }
    if (up) demo.stop(); // (so that this test fails instead of hanging on the child process)
    assert.equal(up, false, `the demo server at ${demo.base} still answers`);
    assert.deepEqual(log, ['b', 'a'], 'a failing stop (b) does not keep the others running');
  });

  test('a server that fails to start: the ones before it are stopped, the error is thrown', async () => {
    const log = [];
    const broken = async () => { throw new Error('port taken'); };
    await assert.rejects(
      startSuite('chromium', { demo: false, servers: { a: fake('a', log), broken, c: fake('c', log) } }),
      /port taken/,
    );
    assert.deepEqual(log, ['a'], 'c was never started, a was stopped');
  });

  test('a server name the result already uses is refused', async () => {
    const log = [];
    await assert.rejects(startSuite('chromium', { demo: false, servers: { a: fake('a', log), close: fake('close', log) } }), /server name close is taken/);
    await assert.rejects(startSuite('chromium', { demo: false, servers: { ext: fake('ext', log) } }), /server name ext is taken/);
    assert.deepEqual(log, ['a']);
  });

  test('startConfigured needs the demo server it configures', async () => {
    await assert.rejects(startConfigured('chromium', { demo: false }), /configures the demo CRM/);
  });
});
