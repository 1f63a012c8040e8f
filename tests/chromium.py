"""Debian's chromium, as the browser, end-to-end and fault tests start it."""

import os
import shutil

PATH = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Headless in a container: no sandbox or GPU, and nothing phoning home mid-test.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def launch(playwright, **options):
    return playwright.chromium.launch(executable_path=PATH, args=ARGS, **options)
