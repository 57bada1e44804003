// `./build.sh demo [--headless]`: starts the demo server, opens Chromium with
// the built extension, configures it for the demo CRM through its own options
// page (as an admin would) and opens a sample ticket. With --headless it
// writes screenshots to dist/screenshots/ instead of leaving a window open.
import { join } from 'node:path';
import { addDemoHelpdesk, configure, launch, openExtensionPage, panelState, screenshotDir, startDemo, waitLoaded } from './e2e/harness.mjs';

const headless = process.argv.includes('--headless');
if (!headless && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.error('demo: no display found; run `./build.sh demo --headless` to get screenshots instead.');
  process.exit(2);
}

const demo = await startDemo({ port: headless ? 0 : 8642 });
console.log(`Demo server: ${demo.base}`);
const ext = await launch('chromium', { headless, viewport: { width: 1280, height: 800 } });
const stop = async (code = 0) => { await ext.close(); demo.stop(); process.exit(code); };
process.on('SIGINT', () => stop(0));

try {
  const key = 'demo-key-7f3a9c2e5b1d4e86';
  // The demo CRM, and the demo helpdesk (the Zendesk preset) for CRM contact pages.
  const blank = await openExtensionPage(ext, 'options.html');
  await waitLoaded(blank);
  await addDemoHelpdesk(blank, { base: demo.base, key });
  const { page: options, status } = await configure(ext, { baseUrl: demo.base, key, page: blank });
  if (status.kind !== 'ok') throw new Error(`the options page did not save: ${status.text}`);
  console.log('Extension configured for the demo CRM and the demo helpdesk (CRM contact pages show its tickets).');
  if (headless) {
    const dir = screenshotDir('screenshots');
    await options.screenshot({ path: join(dir, 'options.png'), fullPage: true });
    await options.close();
    for (const [path, name] of [['/tickets/strict/1001', 'panel-strict-csp.png'], ['/tickets/plain/1002', 'panel-chinese.png'], ['/tickets/strict/1003', 'panel-not-found.png'], ['/agent/tickets/4711', 'panel-zendesk-adapter.png'], ['/scp/tickets.php?id=9', 'panel-osticket-adapter.png'], ['/contacts/4242/record/0-1/5101', 'panel-crm-page-tickets.png']]) {
      const page = await ext.browser.newPage();
      await page.goto(demo.base + path);
      const panel = await panelState(page);
      await page.screenshot({ path: join(dir, name) });
      // What the panel shows (not its header's buttons).
      const customer = await panel.frame.$eval('.customer .name', (e) => e.textContent).catch(() => '');
      const shown = customer || await panel.frame.$eval('#body', (e) => e.innerText).catch(() => panel.text);
      console.log(`${name}: panel ${panel.state} (${shown.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(' · ')})`);
      await page.close();
    }
    console.log(`Screenshots written to ${dir}`);
    await stop(0);
  } else {
    const page = await ext.browser.newPage();
    await page.goto(demo.base + '/tickets/strict/1001');
    await page.bringToFront();
    console.log(`Opened ${demo.base}/tickets/strict/1001 — other tickets at ${demo.base}/. Press Ctrl-C to stop.`);
    await new Promise(() => {});
  }
} catch (e) {
  console.error(`demo failed: ${e.message}`);
  await stop(1);
}
