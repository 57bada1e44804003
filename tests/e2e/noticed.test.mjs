// End-to-end: "Numbers on many customers' tickets", in real Chromium and
// Firefox ESR. The demo's tickets 2001–2006 are five customers' (one of
// them, Wang Wei, on two tickets with his own number on both) whose agent
// replies are signed with the team's hotline, which the admin never listed.
// After the agent has opened them, the options page suggests the hotline
// (and not the customer's number); "Add to our numbers" puts it in the team
// numbers through the Save path, and a later ticket no longer offers it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { BROWSERS, canaryKey, openExtensionPage, panelState, saveOptions, screenshotDir, startConfigured, until, waitLoaded } from './harness.mjs';

const HOTLINE = '+864008208888';
const WANG_OWN = '+861088886666';
const SEEN = [2001, 2002, 2003, 2004, 2005, 2006];

/** The identifiers the panel offers on its chooser (none when it has only one). */
async function offered(panel) {
  return panel.frame.$$eval('#identifier-choice option', (os) => os.map((o) => o.value)).catch(() => []);
}

/** The options page's suggestions, as shown. */
function suggestions(page) {
  return page.evaluate(() => ({
    items: [...document.querySelectorAll('#noticed_list li.noticed-item')].map((li) => ({
      number: li.dataset.number,
      shown: li.querySelector('.noticed-number').textContent,
      count: li.querySelector('.noticed-count').textContent,
      buttons: [...li.querySelectorAll('button')].map((b) => b.textContent),
    })),
    empty: !document.querySelector('#noticed_empty').hidden,
    emptyText: document.querySelector('#noticed_empty').textContent,
  }));
}

for (const kind of BROWSERS) {
  describe(`${kind}: numbers on many customers' tickets`, () => {
    const key = canaryKey();
    let demo;
    let ext;
    let env;
    const shots = screenshotDir(`test-screenshots/${kind}`);

    before(async () => {
      env = await startConfigured(kind, { key });
      ({ demo, ext } = env);
    });
    after(() => env?.close());

    test('the team\'s unlisted hotline is suggested, the customer\'s own number is not, and Add makes it the team\'s', async () => {
      // Nothing noticed yet: the empty state.
      let options = await openExtensionPage(ext, 'options.html');
      await waitLoaded(options);
      const before = await until('the empty state', async () => {
        const s = await suggestions(options);
        return { ok: s.empty && s.items.length === 0, ...s };
      });
      assert.match(before.emptyText, /Nothing noticed yet/);
      await options.close();

      for (const id of SEEN) {
        const ticket = await ext.browser.newPage();
        await ticket.goto(`${demo.base}/tickets/strict/${id}`);
        const panel = await panelState(ticket);
        assert.ok(['found', 'not_found'].includes(panel.state), `${id}: ${panel.state} ${panel.text}`);
        // The problem: the hotline is a customer candidate on every one.
        assert.ok((await offered(panel)).includes(HOTLINE), `${id} offers the hotline: ${await offered(panel)}`);
        await ticket.close();
      }

      options = await openExtensionPage(ext, 'options.html');
      await waitLoaded(options);
      const seen = await until('the hotline suggested', async () => {
        const s = await suggestions(options);
        return { ok: s.items.some((i) => i.number === HOTLINE), ...s };
      });
      assert.deepEqual(seen.items.map((i) => i.number), [HOTLINE], 'only the hotline: not Wang Wei\'s own number');
      assert.ok(!JSON.stringify(seen).includes(WANG_OWN.slice(3)));
      const [hotline] = seen.items;
      assert.equal(hotline.shown, '+86 400 820 8888');
      assert.equal(hotline.count, 'on the tickets of 5 different customers');
      assert.deepEqual(hotline.buttons, ['Add to our numbers', 'Not ours']);
      assert.equal(seen.empty, false);
      await options.$eval('#noticed', (e) => e.scrollIntoView({ block: 'center' }));
      const section = await options.$('#noticed');
      await section.screenshot({ path: join(shots, 'options-noticed-numbers.png') });

      // Add to our numbers: the field holds it, the Save path stores it.
      await options.$eval('#status', (e) => { e.textContent = ''; e.dataset.kind = ''; });
      await options.click(`#noticed_list li[data-number="${HOTLINE}"] button.noticed-add`);
      await options.waitForFunction(() => ['ok', 'error'].includes(document.querySelector('#status').dataset.kind), { timeout: 30_000 });
      assert.equal(await options.$eval('#status', (e) => e.dataset.kind), 'ok', await options.$eval('#status', (e) => e.textContent));
      assert.match(await options.$eval('#team_phones', (e) => e.value), /^\+864008208888$/m);
      await until('the list empty again', async () => {
        const s = await suggestions(options);
        return { ok: s.empty && s.items.length === 0, ...s };
      });
      await options.close();

      // Stored: a fresh options page shows it in the team numbers.
      options = await openExtensionPage(ext, 'options.html');
      await waitLoaded(options);
      await until('the stored team number', async () => ({ ok: /^\+864008208888$/m.test(await options.$eval('#team_phones', (e) => e.value)) }));
      assert.equal((await suggestions(options)).items.length, 0);
      await options.close();

      // A later ticket with the hotline no longer offers it.
      const later = await ext.browser.newPage();
      await later.goto(`${demo.base}/tickets/strict/2007`);
      const panel = await panelState(later);
      assert.ok(['found', 'not_found'].includes(panel.state), panel.text);
      assert.ok(!(await offered(panel)).includes(HOTLINE), `the hotline is still offered: ${await offered(panel)}`);
      assert.ok(!panel.text.includes('400 820 8888') && !panel.text.includes(HOTLINE), panel.text);
      await later.close();
    });

    test('"Forget what Deskside noticed" leaves nothing, and Save keeps working', async () => {
      const options = await openExtensionPage(ext, 'options.html');
      await waitLoaded(options);
      await options.click('#noticed_forget');
      await until('the empty state', async () => {
        const s = await suggestions(options);
        return { ok: s.empty && s.items.length === 0, ...s };
      });
      assert.equal((await saveOptions(options)).kind, 'ok');
      await options.close();
    });
  });
}
