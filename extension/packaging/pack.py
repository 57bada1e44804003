#!/usr/bin/env python3
"""Deterministic zips. pack.py DIR OUT.zip packs a built extension;
pack.py --source ROOT OUT.zip packs the sources a store reviewer rebuilds
from (the files git tracks, or the tree minus build output outside git)."""
import os
import subprocess
import sys
import zipfile

EPOCH = (2026, 1, 1, 0, 0, 0)


def write(out, root, files):
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for rel in sorted(files):
            info = zipfile.ZipInfo(rel, EPOCH)
            info.external_attr = (0o755 if os.access(os.path.join(root, rel), os.X_OK) else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(os.path.join(root, rel), "rb") as f:
                z.writestr(info, f.read())


def tree(root, skip=()):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in skip]
        for name in filenames:
            yield os.path.relpath(os.path.join(dirpath, name), root)


if sys.argv[1] == "--source":
    root, out = sys.argv[2], sys.argv[3]
    try:
        files = subprocess.run(["git", "-C", root, "ls-files", "-z"], check=True, capture_output=True).stdout.decode().split("\0")
        files = [f for f in files if f and os.path.isfile(os.path.join(root, f))]
    except (subprocess.CalledProcessError, FileNotFoundError):
        files = list(tree(root, skip={".git", "target", "dist", "node_modules"}))
    write(out, root, files)
else:
    root, out = sys.argv[1], sys.argv[2]
    write(out, root, list(tree(root)))
print(f"{out}: {os.path.getsize(out):,} bytes")
