// End-to-end: the panel's WebAssembly does not load (a damaged install, a
// disk error, an antivirus that quarantined the file). Before, the panel said
// "Starting…" for good; now it says, in the browser's language, that Deskside
// could not start there and that reloading the page tries again. The page
// itself is untouched, and once the file is back a reload brings the
// customer back.
// The built extension is copied to a folder of the test's own, loaded from
// there, configured, and only then is the pages' module replaced with bytes
// that are not WebAssembly (an unpacked extension's files are read from its
// folder when a page asks for them).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, DIST, canaryKey, panelState, screenshotDir, startConfigured } from './harness.mjs';

for (const kind of BROWSERS) {
  describe(`${kind}: the panel's module does not load`, () => {
    const key = canaryKey();
    const dir = mkdtempSync(join(tmpdir(), `deskside-startfail-${kind}-`));
    cpSync(join(DIST, kind === 'firefox' ? 'firefox' : 'chrome'), dir, { recursive: true });
    const module = join(dir, 'wasm', 'deskside_pages_bg.wasm');
    const good = readFileSync(module);
    let env;

    before(async () => {
      env = await startConfigured(kind, { key, browser: { dir } });
    });
    after(async () => {
      await env?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('the panel says it could not start, not "Starting…" for good; a reload with the file back shows the customer', async () => {
      const { demo, ext } = env;
      const page = await ext.browser.newPage();
      // Sanity: with the module intact, this ticket shows its customer.
      await page.goto(demo.base + '/tickets/strict/1001');
      const before = await panelState(page);
      assert.equal(before.state, 'found', before.text);

      writeFileSync(module, Buffer.from('this is not WebAssembly\n'));
      try {
        await page.goto(demo.base + '/tickets/strict/1003');
        const failed = await panelState(page);
        assert.equal(failed.state, 'failed', failed.text);
        assert.match(failed.text, /Deskside could not start in this panel\. Reload the page to try again\./);
        assert.ok(!/Starting/.test(failed.text), failed.text);
        // The helpdesk page itself still works.
        assert.match(await page.evaluate(() => document.body.innerText), /1003/);
        await page.screenshot({ path: join(screenshotDir('test-screenshots'), `start-failed-${kind}.png`) });
      } finally {
        writeFileSync(module, good);
      }

      await page.reload();
      const again = await panelState(page);
      assert.notEqual(again.state, 'failed', again.text);
      await page.goto(demo.base + '/tickets/strict/1001');
      const back = await panelState(page);
      assert.equal(back.state, 'found', back.text);
      await page.close();
    });
  });
}
