// The browser's own side panel (Chrome's side panel, Firefox's sidebar):
// shows the customer of the active tab of its window, and follows it. Glue
// only: which tab to follow, and when to show it again.
import init, { start_side_panel } from './wasm/deskside_pages.js';
import { pageEnv, wasmUrl } from './pages.js';

const api = globalThis.browser ?? globalThis.chrome;
// `?tab=N`: this page opened as a tab of its own for one tab (tests, demo).
const pinned = Number(new URLSearchParams(location.search).get('tab')) || null;
let followed = null;

async function activeTab() {
  if (pinned) return pinned;
  const win = await api.windows.getCurrent();
  const [tab] = await api.tabs.query({ active: true, windowId: win.id });
  return tab?.id ?? null;
}

let queued = Promise.resolve();
function refresh() {
  queued = queued.then(async () => {
    followed = await activeTab();
    if (followed !== null) await start_side_panel(pageEnv(), followed);
  }).catch((e) => console.error('Deskside side panel:', e));
}

init({ module_or_path: wasmUrl }).then(() => {
  refresh();
  if (!pinned) api.tabs.onActivated.addListener(refresh);
  api.tabs.onUpdated.addListener((tabId, change) => { if (tabId === followed && change.url) refresh(); });
  api.runtime.onMessage.addListener((msg) => { if (msg?.type === 'TabChanged' && msg.tab_id === followed) refresh(); });
});
