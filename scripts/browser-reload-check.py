#!/usr/bin/env python3
"""Checks `gloss serve` live reload in a real headless browser, and measures it.

Browser check (default): copies the example archive to a temporary folder,
starts `gloss serve --port 0` on it, opens an article in headless Chromium,
then, without ever reloading the page by hand:
  1. edits the article's title in its source file and waits for the page to
     reload itself with the new title; other tabs reload only if the edit
     changed their page;
  2. breaks the article's date and waits for the error overlay (path:line:col,
     message, source line) over the still-served old page; opens another page
     and checks that it shows the overlay at once;
  3. fixes the date and waits for the overlay to go.
Exits non-zero on the first failure.

Timing (--timing): no browser. Subscribes to /_gloss/events and measures, for
several saves of one article, the time from the start of the save to the
reload event; prints the full-build time of `gloss build` beside it.

Needs Debian's chromium and chromium-driver and Python's selenium:
    apt-get install -y chromium chromium-driver && pip install selenium
Usage:
    swift build    # gloss and gloss-serve, which `gloss serve` runs
    python3 scripts/browser-reload-check.py [--gloss PATH] [--site DIR] [--screenshot overlay.png]
    swift build -c release --static-swift-stdlib
    python3 scripts/browser-reload-check.py --timing --gloss .build/release/gloss [--site DIR] [--article PATH]
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def copy_site(source, into):
    site = os.path.join(into, "site")
    os.mkdir(site)
    for name in ("site.yml", "content", "templates", "static"):
        path = os.path.join(source, name)
        if os.path.isdir(path):
            shutil.copytree(path, os.path.join(site, name))
        elif os.path.isfile(path):
            shutil.copy(path, site)
    return site


class Server:
    """`gloss serve --port 0` in the background; its output goes to a log file."""

    def __init__(self, gloss, site, workdir):
        self.log_path = os.path.join(workdir, "serve.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([gloss, "serve", "--source", site, "--port", "0"],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 600
        while time.time() < deadline:
            match = re.search(r"Serving at (http://\S+)", self.output())
            if match:
                self.url = match.group(1)
                self.port = int(self.url.rsplit(":", 1)[1].strip("/"))
                return
            if self.process.poll() is not None:
                fail("gloss serve exited:\n" + self.output())
            time.sleep(0.05)
        fail("gloss serve did not start")

    def output(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self):
        self.process.send_signal(2)  # Ctrl-C
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            fail("gloss serve did not stop on Ctrl-C")
        self.log.close()


def wait_for(what, condition, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception:
            pass
        time.sleep(0.05)
    fail(f"timed out waiting for {what}")


def replace_line(path, pattern, replacement):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    new, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    if count != 1:
        fail(f"{pattern!r} not found in {path}")
    with open(path, "w", encoding="utf-8") as f:  # an in-place save, as most editors do
        f.write(new)
    return text


def article_url(path):
    slug = os.path.splitext(os.path.basename(path))[0]
    with open(path, encoding="utf-8") as f:
        match = re.search(r"^slug:\s*(\S+)", f.read(), re.M)
    return f"articles/{match.group(1) if match else slug}/"


def browser_check(args, site, server):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = args.chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(args.chromedriver), options=options)
    try:
        article = os.path.join(site, args.article)
        url = server.url + article_url(article)
        driver.get(url)
        title = driver.find_element("css selector", "h1").text
        print(f"opened {url}: {title!r}")
        # A marker that only survives if the page is not reloaded.
        driver.execute_script("window.__glossMarker = 'same page'")

        # More tabs, on pages the edit may or may not change.
        main_tab = driver.current_window_handle
        others = {}
        for path in args.tabs:
            driver.switch_to.new_window("tab")
            driver.get(server.url + path.lstrip("/"))
            driver.execute_script("window.__glossMarker = 'same page'")
            others[driver.current_window_handle] = "/" + path.lstrip("/")
        driver.switch_to.window(main_tab)
        events = sse_connect(server.port)

        # 1. Edit the title: the page reloads itself.
        new_title = "Live reload works"
        original = replace_line(article, r"^title:.*$", f'title: "{new_title}"')
        started = time.time()
        wait_for("the page to reload with the new title",
                 lambda: new_title in driver.find_element("css selector", "h1").text)
        if driver.execute_script("return window.__glossMarker") is not None:
            fail("the title changed without a reload")
        print(f"ok: the page reloaded itself with the new title ({(time.time() - started) * 1000:.0f} ms after the save, "
              "including the browser's polling)")
        changed = reload_paths(events)
        events.close()
        for handle, path in others.items():
            driver.switch_to.window(handle)
            if changed is None or path in changed:
                wait_for(f"tab {path} to reload", lambda: driver.execute_script("return window.__glossMarker") is None)
                print(f"ok: tab {path} changed and reloaded itself")
            else:
                time.sleep(0.5)
                if driver.execute_script("return window.__glossMarker") is None:
                    fail(f"tab {path} did not change but reloaded")
                print(f"ok: tab {path} did not change and stayed as it was")
            driver.close()
        driver.switch_to.window(main_tab)

        # 2. Break the date: the overlay appears over the old page.
        driver.execute_script("window.__glossMarker = 'same page'")
        replace_line(article, r"^date:.*$", "date: 2020-02-30")
        overlay_text = "return (document.querySelector('gloss-error-overlay') || {}).shadowRoot?.textContent || ''"
        text = wait_for("the error overlay", lambda: driver.execute_script(overlay_text))
        location = os.path.relpath(article, site)
        for expected in (f"{location}:", "is not a valid date '2020-02-30'", "date: 2020-02-30", "Build failed: 1 error"):
            if expected not in text:
                fail(f"overlay lacks {expected!r}: {text!r}")
        if new_title not in driver.find_element("css selector", "h1").text:
            fail("the last good page is no longer shown under the overlay")
        if args.screenshot:
            driver.save_screenshot(args.screenshot)
            print(f"screenshot of the overlay: {args.screenshot}")
        print("ok: the overlay shows path:line:column, the message and the source line over the last good page")
        driver.get(server.url)
        wait_for("the overlay on a page opened while broken", lambda: "2020-02-30" in driver.execute_script(overlay_text))
        print("ok: a page opened while the build is broken shows the overlay at once")

        # 3. Fix it: the overlay goes.
        driver.get(url)
        wait_for("the overlay again", lambda: driver.execute_script(overlay_text))
        with open(article, "w", encoding="utf-8") as f:
            f.write(original)
        wait_for("the overlay to go", lambda: not driver.execute_script(overlay_text)
                 and new_title not in driver.find_element("css selector", "h1").text)
        print("ok: fixing the file removed the overlay and showed the fixed page")
    finally:
        driver.quit()


def sse_connect(port):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET /_gloss/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
    sock.settimeout(600)
    buffer = b""
    while b"event: hello" not in buffer:
        buffer += sock.recv(65536)
    return sock


def wait_event(sock, name):
    buffer = b""
    marker = f"event: {name}\n".encode()
    while marker not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            fail("event stream closed")
        buffer += chunk
    return time.perf_counter()


def reload_paths(sock):
    """The paths of the next reload event (None: everything)."""
    import json
    buffer = b""
    while True:
        match = re.search(rb"event: reload\ndata: (.*?)\n", buffer)
        if match:
            # Chunk boundaries may split the JSON: strip chunk-size lines.
            return json.loads(match.group(1))["paths"]
        chunk = sock.recv(65536)
        if not chunk:
            fail("event stream closed")
        buffer += chunk


def timing(args, site, server, workdir):
    article = os.path.join(site, args.article)
    sock = sse_connect(server.port)
    times = []
    for run in range(args.runs + 1):
        with open(article, encoding="utf-8") as f:
            text = f.read()
        text = re.sub(r"\n*$", f"\n\nTiming run {run}.\n", text, count=1)
        started = time.perf_counter()
        with open(article, "w", encoding="utf-8") as f:
            f.write(text)
        elapsed = wait_event(sock, "reload") - started
        if run > 0:  # the first one warms caches up
            times.append(elapsed * 1000)
        time.sleep(0.3)
    sock.close()
    out = os.path.join(workdir, "out")
    builds = []
    for _ in range(3):
        started = time.perf_counter()
        result = subprocess.run([args.gloss, "build", "--source", site, "--output", out], capture_output=True, text=True)
        builds.append((time.perf_counter() - started) * 1000)
        summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-300:]
    rebuilt = re.findall(r"rebuilt in (\d+) ms", server.output())[1:]
    print(f"site: {site}  article: {args.article}")
    print(f"save → reload event, {len(times)} saves: median {statistics.median(times):.0f} ms, "
          f"min {min(times):.0f} ms, max {max(times):.0f} ms  (debounce 50 ms included)")
    print(f"  server-side rebuild times (ms): {', '.join(rebuilt)}")
    print(f"full `gloss build` (wall, incl. writing): median {statistics.median(builds):.0f} ms over 3; last summary: {summary}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gloss", default=os.path.join(REPO, ".build", "debug", "gloss"))
    parser.add_argument("--site", default=REPO, help="site to copy and serve (default: the example archive)")
    parser.add_argument("--article", default=None, help="article to edit, relative to the site")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    parser.add_argument("--screenshot", default=None, help="save a screenshot of the overlay here")
    parser.add_argument("--tabs", nargs="*", default=["/", "/people/", "/treaties/open-skies-treaty/"],
                        help="more tabs to open: each must reload if and only if the edit changed it")
    parser.add_argument("--timing", action="store_true", help="measure save → reload instead of the browser check")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    serve = os.path.join(os.path.dirname(args.gloss), "gloss-serve")
    if not os.access(args.gloss, os.X_OK) or not os.access(serve, os.X_OK):
        fail(f"no gloss and gloss-serve at {args.gloss}; run `swift build` (or pass --gloss)")
    workdir = tempfile.mkdtemp(prefix="gloss-reload-check-")
    try:
        site = copy_site(os.path.abspath(args.site), workdir)
        if args.article is None:
            articles = sorted(os.path.relpath(os.path.join(d, f), site)
                              for d, _, files in os.walk(os.path.join(site, "content", "articles"))
                              for f in files if f.endswith(".md"))
            args.article = articles[len(articles) // 2]
        server = Server(args.gloss, site, workdir)
        print(f"serving {site} at {server.url}")
        try:
            if args.timing:
                timing(args, site, server, workdir)
            else:
                browser_check(args, site, server)
                print("PASS: live reload and the error overlay work in headless Chromium")
        finally:
            server.stop()
            if os.path.exists(os.path.join(site, "public")):
                fail("gloss serve wrote public/")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
