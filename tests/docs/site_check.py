"""`make docs-check`: look at the built site as a person would, in headless Chromium.

Serves ``site/`` on a free loopback port, takes screenshots of the home page, a reference page and the
search for ``ExportOptions`` (into ``.docs-check/``, git-ignored), and checks in the page that the search
box, clicked and typed into, lists results for ``ExportOptions``. Chromium is driven over the DevTools
protocol on a pipe. Exits 0 when all holds, 1 when something does not, 0 with the reason when Chromium is
missing (`make docs-check` installs Debian's ``chromium`` first when it can).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site"
OUT = ROOT / ".docs-check"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: fd 3 in,
    fd 4 out, NUL-terminated JSON), so no WebSocket library is needed."""

    def __init__(self, executable: str) -> None:
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()

        def fds() -> None:  # in the child: the pipe ends as fd 3 and 4, whatever numbers they had
            read_end, write_end = os.dup(to_child), os.dup(from_child)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        flags = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--remote-debugging-pipe",
        ]
        self.proc = subprocess.Popen(
            [executable, *flags, "--window-size=1280,900", "about:blank"],
            pass_fds=(3, 4),
            preexec_fn=fds,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._next = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session=True)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=1280,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method: str, *, session: bool = False, **params: Any) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._read, 1 << 20)
                if not chunk:
                    raise RuntimeError(f"Chromium closed the pipe during {method}")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return dict(answer.get("result", {}))

    def js(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True, awaitPromise=True
        )
        return result.get("result", {}).get("value")

    def until(self, expression: str, seconds: float = 20) -> Any:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.2)
        return None

    def open(self, url: str) -> None:
        self.call("Page.navigate", session=True, url=url)
        self.until("document.readyState === 'complete' && !!document.querySelector('.md-content')")

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._write)
        os.close(self._read)


def _check(browser: Browser, base: str) -> list[str]:
    problems: list[str] = []
    browser.open(base)
    browser.screenshot(OUT / "home.png")
    if not browser.js(
        "document.querySelector('h1') && document.querySelector('h1').textContent.includes('lf-export')"
    ):
        problems.append("the home page has no lf-export heading")
    browser.open(base + "reference/options/")
    if not browser.until("!!document.getElementById('lf_export.ExportOptions')"):
        problems.append("the reference page does not show ExportOptions")
    browser.screenshot(OUT / "reference-options.png")
    # The search box, as a person uses it: click it, type, read the results.
    browser.open(base)
    browser.js("document.querySelector('label.md-search__icon, .md-header__button[for=__search]').click()")
    browser.js("document.querySelector('input.md-search__input').focus()")
    browser.call("Input.insertText", session=True, text="ExportOptions")
    links = browser.until(
        "Array.from(document.querySelectorAll('.md-search-result__item a'))"
        ".map(a => a.href + ' ' + a.textContent)"
        ".filter(t => t.includes('ExportOptions')).slice(0, 5)",
        seconds=30,
    )
    browser.screenshot(OUT / "search.png")
    if not links:
        problems.append("the search box found nothing for ExportOptions")
    else:
        first = " ".join(links[0].split())
        print(f"docs-check: the search box finds ExportOptions ({len(links)}+ results), first: {first[:120]}")
    return problems


def main() -> int:
    if not (SITE / "index.html").exists():
        print("docs-check: no site/ (run make docs)")
        return 1
    executable = _chromium()
    if executable is None:
        print("docs-check: SKIPPED, no Chromium on PATH (Debian: apt-get install chromium)")
        return 0
    OUT.mkdir(exist_ok=True)
    handler = functools.partial(_Quiet, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    browser = Browser(executable)
    try:
        problems = _check(browser, base)
    finally:
        browser.close()
        server.shutdown()
    for name in ("home.png", "reference-options.png", "search.png"):
        shot = OUT / name
        print(f"docs-check: screenshot {shot.relative_to(ROOT)} ({shot.stat().st_size:,} bytes)")
    for problem in problems:
        print(f"docs-check: FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
