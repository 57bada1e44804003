import init, { panel_tab_changed, reload_url, start_panel } from './wasm/deskside_pages.js';
import { pageEnv, wasmUrl } from './pages.js';

// The content script put its one-time token in the fragment (#t=…). The
// frame is kept across the tab's tickets: the content script tells it of
// another customer with a message holding the token, and it asks again.
const fragment = new URLSearchParams(location.hash.slice(1));
const token = fragment.get('t') ?? '';
// The page's address as the content script last gave it (the frame cannot
// read its parent's): "Reload this page" after an update loads it again.
let pageUrl = fragment.get('u') ?? '';
// Timings for tests/bench/product.mjs, kept in this frame (epoch ms, high
// resolution): frame start (or, in a kept frame, the content script's word received),
// wasm ready, state asked and answered, painted.
const at = () => performance.timeOrigin + performance.now();
let timing = (globalThis.__desksidePanel = { start: performance.timeOrigin, ready: 0, asked: 0, answered: 0, painted: 0, state: '', kept: false });
const env = pageEnv();
const send = env.send;
let refreshing = false;
// During the click on "Reload this page": the parent, at its own address
// (http or https only; with a #fragment, an address that loads it again
// rather than scrolling: reload_url). A cross-origin frame may navigate the
// top window on a click; it may not read it or call its reload().
env.reloadPage = () => {
  const url = reload_url(pageUrl);
  if (!url) return false;
  window.top.location.href = url;
  return true;
};
env.send = (msg) => {
  const t = timing;
  t.asked ||= at();
  const again = refreshing && msg?.type === 'GetPanelState';
  refreshing = false;
  return send(msg).then((r) => {
    t.answered ||= at();
    // The token is void (the tab left the site and came back): the content
    // script makes a new frame. (It trusts this only from this frame's window.)
    if (again && r?.type === 'Rejected') parent.postMessage({ deskside: 'panel-refused' }, '*');
    return r;
  });
};
new MutationObserver(() => {
  const state = document.querySelector('#root')?.dataset.state;
  const t = timing;
  if (!state || state === t.state || state === 'loading' || state === 'restarting') return;
  t.state = state;
  requestAnimationFrame(() => { t.painted = at(); });
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
const started = init({ module_or_path: wasmUrl }).then(() => { timing.ready = at(); start_panel(env, token); });
// The pages' wasm did not load (a failed fetch or compile): say so rather
// than "Starting…" for ever. (The catalog by the browser's language: the
// admin's choice lives in the background, which the wasm would have asked.)
started.catch((e) => {
  console.error('deskside:', e);
  const root = document.querySelector('#root');
  const body = document.querySelector('#body');
  if (!root || !body) return;
  const p = document.createElement('p');
  p.className = 'state';
  p.textContent = (globalThis.browser ?? globalThis.chrome).i18n.getMessage('panel_start_failed');
  body.replaceChildren(p);
  root.dataset.state = 'failed';
});
addEventListener('message', (e) => {
  // From the page's window, with this frame's token (the page itself can post
  // here too, but does not know the token).
  if (e.source !== parent || e.data?.deskside !== 'tab-changed' || typeof token !== 'string' || !token || e.data.token !== token) return;
  if (typeof e.data.url === 'string') pageUrl = e.data.url;
  timing = globalThis.__desksidePanel = { start: at(), ready: timing.ready, asked: 0, answered: 0, painted: 0, state: '', kept: true };
  started.then(() => { refreshing = true; panel_tab_changed(); });
});
