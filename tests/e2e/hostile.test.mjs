// End-to-end: what a hostile helpdesk page (or one that only behaves
// badly) cannot do to the panel, in real Chromium and Firefox ESR.
// Issue 16: look-alike record links, panels framed by the page, a tab that
// leaves the helpdesk, a page that keeps removing the panel.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { BROWSERS, canaryKey, openExtensionPage, panelState, screenshotDir, startConfigured, waitLoaded, until } from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// The major version of the Firefox the harness launches (0 when it cannot say), asked once.
const firefoxMajor = (() => {
  try {
    return Number(/(\d+)\./.exec(execFileSync(process.env.FIREFOX_BIN || '/usr/bin/firefox-esr', ['--version'], { encoding: 'utf8' }))?.[1] ?? 0);
  } catch { return 0; }
})();

for (const kind of BROWSERS) {
  describe(`${kind}: hostile pages`, () => {
    const key = canaryKey();
    let demo;
    let ext;
    let env;
    const shots = screenshotDir(`test-screenshots/${kind}`);
    const apiCalls = () => demo.requests.filter((r) => r.url.startsWith('/api/')).length;

    // Every panel frame in the page, whatever its state.
    async function panels(page) {
      const out = [];
      for (const frame of page.frames()) {
        try {
          const info = await frame.evaluate(() => (location.pathname.endsWith('/panel.html')
            ? { state: document.querySelector('#root')?.dataset.state, text: document.body.innerText, links: document.querySelectorAll('button.link').length }
            : null));
          if (info) out.push(info);
        } catch { /* detached meanwhile */ }
      }
      return out;
    }


    // A page with nothing on it, then the requester's address appended.
    async function pageWithRequester(email) {
      const page = await ext.browser.newPage();
      await page.goto(demo.base + '/');
      await panelState(page);
      await page.evaluate((email) => {
        const p = document.createElement('p');
        const a = document.createElement('a');
        a.href = `mailto:${email}`;
        a.textContent = email;
        p.append('From: ', a);
        document.body.append(p);
      }, email);
      return page;
    }

    before(async () => {
      env = await startConfigured(kind, { key });
      ({ demo, ext } = env);
    });
    after(() => env?.close());

    test('a record whose link only looks like the CRM\'s gets no link', async () => {
      // Control: the demo CRM's own link is offered.
      const real = await pageWithRequester('mia.fischer@globex.example');
      const shown = await until('the real record', async () => {
        const [p] = await panels(real);
        return { ok: p?.state === 'found' && /Mia Fischer/.test(p.text), ...p };
      });
      assert.equal(shown.links, 1, 'the CRM\'s own record link is offered');
      await real.close();
      for (const email of ['lookalike-dot@faults.example', 'lookalike-at@faults.example']) {
        const page = await pageWithRequester(email);
        const p = await until(email, async () => {
          const [p] = await panels(page);
          return { ok: p?.state === 'found' && /Lookalike Link/.test(p.text), ...p };
        });
        assert.equal(p.links, 0, `${email}: a look-alike link is offered: ${p.text}`);
        assert.ok(!/evil\.test/.test(p.text), p.text);
        await page.close();
      }
    });

    // THREATS A1, A2, A5: the page listens to every message and event, spams
    // forged ones, tries the runtime API, then walks its DOM, open shadow roots
    // and frames: no key, no customer data, no extra CRM request.
    test('a page that listens, forges messages and scrapes finds neither the key nor the customer', async () => {
      const page = await ext.browser.newPage();
      await page.goto(demo.base + '/');
      await panelState(page);
      await page.evaluate(() => {
        window.__seen = [];
        const log = (e) => { try { window.__seen.push(JSON.stringify(e.data ?? e.detail ?? null)); } catch { window.__seen.push(String(e.data)); } };
        window.addEventListener('message', log, true);
        for (const t of ['deskside', 'deskside-panel', 'PanelState', 'GetPanelState']) document.addEventListener(t, log, true);
      });
      const before = apiCalls();
      await page.evaluate(() => {
        const p = document.createElement('p');
        const a = document.createElement('a');
        a.href = 'mailto:li.na@yunfan-tech.example';
        a.textContent = 'li.na@yunfan-tech.example';
        p.append('From: ', a);
        document.body.append(p);
      });
      const shown = await until('the real panel', async () => {
        const ps = await panels(page);
        return { ok: ps.some((x) => x.state === 'found' && /李娜/.test(x.text)), ps };
      });
      assert.ok(shown.ok);
      const calls = apiCalls();
      assert.ok(calls > before, 'the lookup reached the CRM');
      // Forgeries: window and frame messages, custom events, the runtime API.
      const forged = await page.evaluate(async (extBase) => {
        const msgs = [{ type: 'GetPanelState', token: '' }, { type: 'SaveSettings', input: {} }, { type: 'TestConnector', input: {}, sample: 'x@y.test' },
          { type: 'PageScanned', snapshot: { fields: [{ source: 'mailto_link', text: 'mailto:evil@evil.test' }] } }, { type: 'GetActivity' }];
        for (let i = 0; i < 50; i++) {
          for (const m of msgs) {
            window.postMessage(m, '*');
            for (const f of document.querySelectorAll('iframe')) { try { f.contentWindow.postMessage(m, '*'); } catch { /* */ } }
            document.dispatchEvent(new CustomEvent('deskside', { detail: m }));
          }
        }
        const runtime = globalThis.chrome?.runtime ?? globalThis.browser?.runtime;
        let answered = null;
        try { answered = await runtime?.sendMessage?.(new URL(extBase).host, msgs[0]); } catch (e) { answered = `threw: ${e.message}`; }
        return { runtime: typeof runtime?.sendMessage, answered: answered === undefined ? null : answered };
      }, ext.extensionBase);
      assert.ok(forged.answered === null || /^threw/.test(String(forged.answered)), JSON.stringify(forged));
      await sleep(1500);
      assert.equal(apiCalls(), calls, 'a forged message made a CRM request');
      // The scrape: the DOM, every open shadow root, every frame the page can open.
      const scraped = await page.evaluate(() => {
        const out = [document.documentElement.outerHTML, ...window.__seen];
        const walk = (root) => {
          for (const el of root.querySelectorAll('*')) {
            if (el.shadowRoot) { out.push(el.shadowRoot.innerHTML); walk(el.shadowRoot); }
            if (el.tagName === 'IFRAME') { try { out.push(el.contentDocument.documentElement.outerHTML); } catch { out.push('<cross-origin>'); } }
          }
        };
        walk(document);
        out.push(JSON.stringify(Object.entries(localStorage)), document.cookie);
        return out.join('\n');
      });
      assert.ok(!scraped.includes(key), 'the key is readable by the page');
      assert.ok(!/李娜|上海|yunfan-tech\.example\/|cus_/.test(scraped.replace(/li\.na@yunfan-tech\.example/g, '')), 'customer data is readable by the page');
      assert.equal((await panels(page)).filter((x) => x.state === 'found' && /李娜/.test(x.text)).length, 1, 'the panel still shows the right customer');
      await page.close();
    });

    test('panels framed by the page itself show nothing and make no request', async () => {
      const page = await ext.browser.newPage();
      // (Closed whatever happens: a tab left open holds its customer, which the next test reads as leaked.)
      try {
        await page.goto(demo.base + '/tickets/plain/1002');
        await until('the real panel', async () => {
          const ps = await panels(page);
          return { ok: ps.some((p) => p.state === 'found' && /李娜/.test(p.text)), ps };
        });
        await sleep(500);
        const before = apiCalls();
        // Twenty frames of panel.html, some with guessed tokens.
        await page.evaluate((base) => {
          for (let i = 0; i < 20; i++) {
            const f = document.createElement('iframe');
            f.className = 'hostile';
            f.src = `${base}panel.html${i % 2 ? `#t=${'0'.repeat(8)}-0000-4000-8000-${String(i).padStart(12, '0')}` : ''}`;
            document.body.append(f);
          }
        }, ext.extensionBase);
        const settled = await until('the framed panels settle', async () => {
          const ps = await panels(page);
          const hostile = ps.filter((p) => p.state !== 'found');
          return { ok: hostile.length >= 20 && hostile.every((p) => p.state === 'refused'), states: ps.map((p) => p.state) };
        });
        assert.equal(settled.states.filter((s) => s === 'found').length, 1, JSON.stringify(settled.states));
        for (const p of await panels(page)) {
          if (p.state === 'refused') assert.ok(!/李娜|yunfan|Shanghai|上海/.test(p.text), p.text);
        }
        await sleep(1000);
        assert.equal(apiCalls(), before, 'a framed panel made a CRM request');
        await page.screenshot({ path: join(shots, 'hostile-frames.png') });
      } finally {
        await page.close();
      }
    });

    test('a tab that leaves the helpdesk for a site that is not configured holds no customer', async () => {
      const page = await ext.browser.newPage();
      await page.goto(demo.base + '/tickets/plain/1002');
      await until('the ticket\'s panel', async () => {
        const ps = await panels(page);
        return { ok: ps.some((p) => p.state === 'found' && /李娜/.test(p.text)), ps };
      });
      // localhost is the same demo server, but not a configured site.
      const elsewhere = demo.base.replace('127.0.0.1', 'localhost');
      await page.goto(`${elsewhere}/`);
      const before = apiCalls();
      await page.evaluate((base) => {
        const f = document.createElement('iframe');
        f.src = `${base}panel.html`;
        document.body.append(f);
      }, ext.extensionBase);
      const p = await until('the framed panel', async () => {
        const [p] = await panels(page);
        return { ok: p && p.state !== 'starting' && p.state !== 'loading', ...p };
      });
      assert.equal(p.state, 'refused', p.text);
      assert.ok(!/李娜/.test(p.text), p.text);
      // What the background keeps per tab (read from an extension page).
      const options = await openExtensionPage(ext, 'options.html');
      await waitLoaded(options);
      const held = await until('the tab state to be dropped', async () => {
        const session = await options.evaluate(async () => (globalThis.browser ?? globalThis.chrome).storage.session.get(null));
        const tabs = Object.entries(session).filter(([k, v]) => k.startsWith('tab:') && JSON.stringify(v).includes('yunfan'));
        return { ok: tabs.length === 0, tabs };
      }, 5_000);
      assert.deepEqual(held.tabs, []);
      assert.equal(apiCalls(), before, 'the framed panel made a CRM request');
      await options.close();
      await page.close();
    });

    test('a customer id that finds nothing says which kind of identifier was looked up', async () => {
      // A CRM-style address naming the customer only by its id.
      const page = await ext.browser.newPage();
      await page.goto(demo.base + '/customers/cus_9999');
      const p = await until('the not-found state', async () => {
        const [p] = await panels(page);
        return { ok: p?.state === 'not_found', ...p };
      });
      assert.match(p.text, /No customer with this customer ID/);
      assert.ok(!/email/i.test(p.text), p.text);
      assert.ok(demo.requests.some((r) => r.url === '/api/v1/customers/cus_9999' && r.status === 404));
      await page.close();
    });

    // Firefox ESR 140.10 left the panel frame's wasm load pending for good, neither done nor failed, in about two runs
    // of three after the page removed the panel every 50 ms for 3 s (the frame said "Starting…", its
    // `__desksidePanel.ready` stayed 0; loading the frame again stalled the same way). Firefox ESR 153.8, which Debian
    // installs now, passed it 7 runs of 7 (session 17): enforced there and in Chromium; a TODO only on a Firefox
    // older than 153, where the stall was measured.
    const firefoxStall = kind === 'firefox' && firefoxMajor < 153 ? `Firefox ${firefoxMajor} leaves the re-made panel frame's wasm load pending (2 runs of 3 on 140.10)` : undefined;
    test('a page that keeps removing the panel gets it back once it settles, without a fight', { todo: firefoxStall }, async () => {
      const page = await ext.browser.newPage();
      await page.goto(demo.base + '/tickets/plain/1002');
      await until('the ticket\'s panel', async () => {
        const ps = await panels(page);
        return { ok: ps.some((p) => p.state === 'found' && /李娜/.test(p.text)), ps };
      });
      const realHosts = () => page.evaluate(() => [...document.querySelectorAll('deskside-panel')].filter((e) => e.textContent !== 'fake panel').length);
      // Removed once (an app re-rendering): back at once, nothing else on
      // the page changing.
      await page.evaluate(() => document.querySelector('deskside-panel').remove());
      await until('the panel to come back after one removal', async () => ({ ok: (await realHosts()) === 1 }), 2_000);
      await sleep(1500);
      const before = apiCalls();
      // Every 50 ms for 3 s: remove every panel host, put a fake one in
      // (beside it, outside the body).
      await page.evaluate(() => new Promise((done) => {
        const started = Date.now();
        const t = setInterval(() => {
          for (const e of document.querySelectorAll('deskside-panel')) e.remove();
          const fake = document.createElement('deskside-panel');
          fake.textContent = 'fake panel';
          document.documentElement.append(fake);
          if (Date.now() - started > 3000) { clearInterval(t); done(); }
        }, 50);
      }));
      const during = apiCalls() - before;
      const back = await until('the panel to come back once the page settled', async () => {
        const ps = await panels(page);
        const real = await realHosts();
        return { ok: real === 1 && ps.some((p) => p.state === 'found' && /李娜/.test(p.text)), real, ps };
      }, 8_000);
      assert.equal(back.real, 1);
      // Bounded: a few restores with a growing wait, not one per removal (60).
      assert.ok(during <= 8, `${during} lookups while the page removed the panel`);
      await page.screenshot({ path: join(shots, 'restored.png') });
      await page.close();
    });
  });
}
