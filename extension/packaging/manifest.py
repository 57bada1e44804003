#!/usr/bin/env python3
"""Turns the one manifest template (manifest.json at the root) into a
browser's manifest: Chrome gets a service worker, Firefox an event page with
its gecko settings. Usage: manifest.py chrome|firefox IN OUT"""
import json
import sys

browser, src, dst = sys.argv[1:4]
m = json.load(open(src, encoding="utf-8"))
bg = m["background"]
if browser == "chrome":
    m["background"] = {"service_worker": bg["service_worker"], "type": bg.get("type", "module")}
    m.pop("browser_specific_settings", None)
    m.pop("sidebar_action", None)  # Firefox's; Chrome has side_panel
elif browser == "firefox":
    m["background"] = {"scripts": bg["scripts"], "type": bg.get("type", "module")}
    gecko = m.get("browser_specific_settings", {}).get("gecko", {})
    for key in ("id", "strict_min_version", "data_collection_permissions"):
        if key not in gecko:
            sys.exit(f"manifest.py: browser_specific_settings.gecko.{key} is required for Firefox")
    # Chrome's side panel is Firefox's sidebar_action.
    m.pop("side_panel", None)
    # Chrome's managed-storage schema; Firefox reads a policy's "3rdparty"
    # section (policies.json) or a managed-storage manifest without one.
    m.pop("storage", None)
    m["permissions"] = [p for p in m.get("permissions", []) if p != "sidePanel"]
else:
    sys.exit(f"manifest.py: unknown browser {browser!r}")
with open(dst, "w", encoding="utf-8") as f:
    json.dump(m, f, indent=2, ensure_ascii=False)
    f.write("\n")
