// Background bootstrap: loads the wasm core and hands it every message.
// Glue only: no decisions are made here (see crates/deskside-wasm).
// Listeners are registered synchronously, before the wasm has loaded, so a
// restarted service worker never misses the message that woke it.
import init, { background_tick, handle_message, permissions_changed, policy_changed, resume_writes, salt_changed, settings_changed, sites_to_register, tab_updated, toggle_panel } from './wasm/deskside_background.js';

const api = globalThis.browser ?? globalThis.chrome;
// Timings for tests/bench/product.mjs, kept in the worker (epoch ms): this
// script's start, the wasm compiled and instantiated, its memory, and the
// last messages handled (a bounded ring).
const timing = (globalThis.__desksideTimings = { started: performance.timeOrigin + performance.now(), ready: 0, memory: null, handled: [] });
const ready = init({ module_or_path: api.runtime.getURL('wasm/deskside_background_bg.wasm') });
ready.then((wasm) => { timing.ready = performance.timeOrigin + performance.now(); timing.memory = wasm.memory; }, () => {});
function timed(msg, answer) {
  const start = performance.timeOrigin + performance.now();
  return answer.finally(() => {
    timing.handled.push({ type: msg?.type, start, end: performance.timeOrigin + performance.now() });
    if (timing.handled.length > 200) timing.handled.shift();
  });
}
const CONTENT_SCRIPT_ID = 'deskside-content';

const env = {
  identity: { id: api.runtime.id, base_url: api.runtime.getURL('') },
  async localGet(key) { return (await api.storage.local.get(key))[key]; },
  localSet(key, value) { return api.storage.local.set({ [key]: value }); },
  localRemove(keys) { return api.storage.local.remove(keys); },
  async tabVisible(tabId) { return (await api.tabs.get(tabId).catch(() => undefined))?.active === true; },
  async sessionGet(key) { return (await api.storage.session.get(key))[key]; },
  sessionSet(key, value) { return api.storage.session.set({ [key]: value }); },
  sessionRemove(keys) { return api.storage.session.remove(keys); },
  now() { return Date.now(); },
  randomToken() { return crypto.randomUUID(); },
  tellTab(tabId, msg) { api.tabs.sendMessage(tabId, msg, { frameId: 0 }).catch(() => {}); },
  notifyPages(msg) { api.runtime.sendMessage(msg).catch(() => {}); }, // none listening: fine
  async tabUrl(tabId) { return (await api.tabs.get(tabId).catch(() => undefined))?.url; },
  async tabTitle(tabId) { return (await api.tabs.get(tabId).catch(() => undefined))?.title; },
  // The toolbar badge (a connector failing); an empty title: the extension's name.
  setBadge(text, title) {
    api.action.setBadgeText({ text }).catch(() => {});
    api.action.setTitle({ title: title || api.i18n.getMessage('ext_name') }).catch(() => {});
  },
  // The patterns of `origins` the browser has not granted (the panel offers to ask).
  async missingOrigins(origins) {
    const missing = [];
    for (const o of origins) if (!(await api.permissions.contains({ origins: [o] }))) missing.push(o);
    return missing;
  },
  languages: [...(globalThis.navigator?.languages ?? []), api.i18n.getUILanguage()],
  loadCatalog(dir) { return fetch(api.runtime.getURL(`_locales/${dir}/messages.json`)).then((r) => r.text()); },
  // The organisation's policy; Firefox rejects where no policy is set.
  async managedGet() { try { return await api.storage.managed?.get(null); } catch { return undefined; } },
};

// What the browser reports about a sender (the tab's URL only where
// Deskside may see it: the configured sites).
function senderInfo(s) {
  return { id: s.id, url: s.url, tab_id: s.tab?.id, frame_id: s.frameId, tab_url: s.tab?.url };
}

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  // Only what the browser reports about the sender; the Rust side decides.
  const info = senderInfo(sender);
  ready
    .then(() => timed(msg, handle_message(env, msg, info)))
    .then(sendResponse, (e) => sendResponse({ type: 'Failed', message: String(e?.message ?? e) }));
  return true;
});

// Content scripts talk over a long-lived port (cheaper per message on the
// page's main thread); the same handler and the same sender checks apply.
api.runtime.onConnect.addListener((port) => {
  if (port.name !== 'deskside-page') { port.disconnect(); return; }
  const info = senderInfo(port.sender ?? {});
  port.onMessage.addListener((request) => {
    const id = request?.id;
    ready
      .then(() => timed(request?.msg, handle_message(env, request?.msg, info)))
      .catch((e) => ({ type: 'Failed', message: String(e?.message ?? e) }))
      .then((answer) => { try { port.postMessage({ id, answer }); } catch { /* the tab went away */ } });
  });
});

// Writes to a CRM left unfinished when the worker last stopped go on (each
// is checked before anything is sent again).
ready.then(() => resume_writes(env)).catch((e) => console.error('Deskside: could not resume writes:', e));

// The content script runs only on the helpdesk sites the admin configured
// (and granted): it is registered here rather than in the manifest.
async function registerSites() {
  await ready;
  const wanted = await sites_to_register(env);
  const granted = [];
  for (const pattern of wanted) {
    if (await api.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  }
  const existing = await api.scripting.getRegisteredContentScripts({ ids: [CONTENT_SCRIPT_ID] });
  if (existing.length) await api.scripting.unregisterContentScripts({ ids: [CONTENT_SCRIPT_ID] });
  if (granted.length) {
    await api.scripting.registerContentScripts([{
      id: CONTENT_SCRIPT_ID, matches: granted, js: ['content.js'], runAt: 'document_idle', allFrames: false,
    }]);
  }
  await api.storage.session.set({ registered_sites: granted });
  return granted;
}

// The granted sites registered; none (the failure logged) when registering failed.
function registerSitesLogged() {
  return registerSites().catch((e) => { console.error('Deskside: could not register the content script:', e); return []; });
}

// Installed or updated (a reload too): pages of the sites already open have
// no content script of this version (Firefox ended the old one; Chromium
// left it running without a runtime), and their panel frames are cut off.
// The content script is injected into each open tab of a granted site, so
// the panel comes back by itself; an old copy still running is stopped first.
// (Where the browser refuses, the old frame says so and offers a reload.)
async function injectOpenTabs(sites) {
  if (!sites.length || !api.scripting?.executeScript) return;
  const tabs = await api.tabs.query({ url: sites }).catch(() => []);
  await Promise.all(tabs.map(async (tab) => {
    const target = { tabId: tab.id, frameIds: [0] };
    try {
      await api.scripting.executeScript({ target, func: () => { globalThis.__desksideContent?.stop?.(); delete globalThis.__desksideContent; } });
      await api.scripting.executeScript({ target, files: ['content.js'] });
    } catch { /* a tab the browser does not let the extension into: its panel offers a reload */ }
  }));
}

api.runtime.onInstalled.addListener((details) => {
  const fresh = details?.reason === 'install' || details?.reason === 'update';
  // (injectOpenTabs handles each tab's refusal itself.)
  registerSitesLogged().then((granted) => (fresh ? injectOpenTabs(granted) : undefined));
});
api.runtime.onStartup.addListener(registerSitesLogged);
api.permissions.onAdded?.addListener(registerSitesLogged);
api.permissions.onRemoved?.addListener(registerSitesLogged);
// The worker keeps the parsed settings and each origin's permission answer
// while it lives (issue 23); a change the browser reports forgets them.
// (Chained on `ready` like every message, so a message the browser
// dispatched after the change is handled after the forgetting.)
const forgetGranted = () => { ready.then(() => permissions_changed(env)).catch(() => {}); };
api.permissions.onAdded?.addListener(forgetGranted);
api.permissions.onRemoved?.addListener(forgetGranted);
api.storage.onChanged.addListener((changes, area) => {
  if (((area === 'local' || area === 'sync') && changes.settings) || area === 'managed') ready.then(() => settings_changed(env)).catch(() => {});
  if (area === 'local' && changes.settings) registerSitesLogged();
  // The audit salt kept in the worker follows the stored one when it is
  // written, removed or cleared (by anyone), so the two never differ.
  if (area === 'local' && changes.audit_salt) ready.then(() => salt_changed(env, changes.audit_salt.newValue)).catch(() => {});
  // The organisation's policy changed: it overrides and locks what it sets.
  if (area === 'managed') ready.then(() => policy_changed(env)).catch(() => {});
});
// Each start of the background applies the policy (set before install, or changed meanwhile).
ready.then(() => policy_changed(env)).catch(() => {});
// A closed tab: what was held for it goes (no URL: nothing survives).
api.tabs.onRemoved.addListener((tabId) => { ready.then(() => tab_updated(env, tabId, undefined)).catch(() => {}); });
// A tab that navigates (a new document, or its URL changes) keeps what was
// read only while it stays on the configured site; the URL is absent where
// Deskside may not see it.
api.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.status !== 'loading' && change.url === undefined) return;
  ready.then(() => tab_updated(env, tabId, change.url ?? tab?.url ?? undefined)).catch(() => {});
});

// A periodic tick that survives a stopped service worker (`alarms`), and
// one at each start: the toolbar badge is decided again without waiting for
// a request, and audit entries waiting for the admin's endpoint are sent.
const TICK = 'deskside-tick';
api.alarms?.onAlarm.addListener((alarm) => {
  if (alarm.name === TICK) ready.then(() => background_tick(env)).catch(() => {});
});
Promise.resolve(api.alarms?.get(TICK))
  .then((alarm) => { if (api.alarms && !alarm) api.alarms.create(TICK, { periodInMinutes: 1 }); })
  .catch(() => {});
ready.then(() => background_tick(env)).catch(() => {});

// The keyboard shortcut (manifest `commands`, changeable in the browser's
// shortcut settings): collapse or expand the panel in the active tab.
async function togglePanel(tab) {
  await ready;
  const active = tab ?? (await api.tabs.query({ active: true, lastFocusedWindow: true }))[0];
  if (active?.id !== undefined) await toggle_panel(env, active.id, active.url ?? undefined);
}
api.commands?.onCommand.addListener((name, tab) => {
  if (name === 'toggle-panel') togglePanel(tab).catch((e) => console.error('Deskside: shortcut failed:', e));
});
// For the end-to-end tests, which cannot press a browser-level shortcut in a
// headless browser: the same path the shortcut takes.
globalThis.desksideShortcut = togglePanel;

// The toolbar button opens the browser's own side panel (Chrome's side
// panel, Firefox's sidebar), which follows the active tab.
api.sidePanel?.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => {});
if (!api.sidePanel && api.sidebarAction) api.action.onClicked.addListener(() => { api.sidebarAction.toggle(); });
