import init, { start_panel } from './wasm/deskside_pages.js';
import { pageEnv, wasmUrl } from './pages.js';

// The content script put its one-time token in the fragment (#t=…).
const token = new URLSearchParams(location.hash.slice(1)).get('t') ?? '';
// Timings for tests/bench/product.mjs, kept in this frame (epoch ms, high
// resolution): frame start, wasm ready, state asked and answered, painted.
const at = () => performance.timeOrigin + performance.now();
const timing = (globalThis.__desksidePanel = { start: performance.timeOrigin, ready: 0, asked: 0, answered: 0, painted: 0, state: '' });
const env = pageEnv();
const send = env.send;
env.send = (msg) => {
  timing.asked ||= at();
  return send(msg).then((r) => { timing.answered ||= at(); return r; });
};
new MutationObserver(() => {
  const state = document.querySelector('#root')?.dataset.state;
  if (!state || state === timing.state || state === 'loading') return;
  timing.state = state;
  requestAnimationFrame(() => { timing.painted = at(); });
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
init({ module_or_path: wasmUrl }).then(() => { timing.ready = at(); start_panel(env, token); });
