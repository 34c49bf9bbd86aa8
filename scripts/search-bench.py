#!/usr/bin/env python3
"""Gloss's built-in static search against Pagefind, on one corpus.

Builds the corpus with gloss (full build time and its "search index" stage),
runs Pagefind over the built pages, then, in headless Chromium, runs the same
queries through both and sums the bytes each first query downloads and the
time to results once the index is loaded. Prints a markdown table for README
and writes everything measured to WORK/search-bench.json.

Usage:
  scripts/search-bench.py GLOSS_BINARY CORPUS_DIR WORK_DIR [options]

  e.g. python3 ../shared/bench/gencorpus.py --articles 10000 --out /tmp/sb/c10k
       echo "ambiguous_quotes: first" >> /tmp/sb/c10k/site.yml
       swift build -c release --product gloss
       scripts/search-bench.py .build/release/gloss /tmp/sb/c10k /tmp/sb/work

Options:
  --skip-build          reuse WORK/site from an earlier run (no gloss build)
  --skip-pagefind-index reuse WORK/site/pagefind from an earlier run
  --pagefind CMD        how to run Pagefind (default: "python3 -m pagefind_bin",
                        from pip pagefind-bin)
  --query KIND=TEXT     replace a chosen query (KIND: alias, common, phrase,
                        rare); by default they are picked from the built index
  --repeat N            cached queries timed per query (median), default 7

Needs: Debian chromium + chromium-driver, pip selenium, pip pagefind-bin.
Sizes are decimal (1 MB = 10^6 bytes). Bytes are what the browser fetched
from a plain static server (no HTTP compression); the "gzip" figures say
what a host that gzips would send (Pagefind's index files are gzipped
already, our JSON is not). They are counted by the server, so Pagefind's
Web Worker fetches are included; the page HTML and CSS are not (our
search.js is, like pagefind.js).
The machine's load average is recorded next to every timing.
"""
import argparse, functools, gzip, http.server, json, os, re, shlex, statistics, subprocess, sys, threading, time
from pathlib import Path

STOP = set(("a an and are as at be but by for from had has have he her his in is it its of on or she "
            "that the their they this to was were which will with").split())


def loadavg():
    return "%.2f %.2f %.2f" % os.getloadavg()


def run_timed(cmd, log_path):
    """Run cmd, its output to log_path; wall seconds, peak RSS (MB), user+sys CPU seconds."""
    started = time.monotonic()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{shlex.join(cmd)} failed ({code}); see {log_path}")
    return {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "max_rss_mb": round(usage.ru_maxrss / 1024), "command": shlex.join(cmd)}


def folder_size(path):
    files = [p for p in Path(path).rglob("*") if p.is_file()]
    raw = sum(p.stat().st_size for p in files)
    return {"files": len(files), "bytes": raw}


# --- queries -------------------------------------------------------------

def pick_queries(site):
    """An entity alias (a person's surname), a common word, a two-word phrase
    from an article title and a rare word, chosen from our index so that a
    re-run on the same corpus picks the same ones."""
    search = site / "search"
    meta = json.loads((search / "meta.json").read_text())
    entities = json.loads((search / "entities.json").read_text())
    postings = {}
    for shard in (search / "terms").glob("*.json"):
        for term, rows in json.loads(shard.read_text()).items():
            postings[term] = len(rows) // 2
    name_words = {w for _, names, _ in entities for n in names for w in n.split()}
    alias_count = {}
    for _, names, _ in entities:
        for n in set(names):
            alias_count[n] = alias_count.get(n, 0) + 1

    people = range(*meta["kinds"]["person"])
    best = None
    for doc, names, ident in entities:
        if doc not in people:
            continue
        surname = [n for n in names[1:] if " " not in n and n != names[0] and alias_count[n] == 1]
        if surname:
            key = (postings.get("@" + ident, 0), ident)
            if best is None or key > best[0]:
                best = (key, surname[0])
    alias = best[1]

    words = [t for t in postings if t.isalpha() and len(t) >= 4 and t not in name_words]
    cap = max(postings[t] for t in words)
    common = sorted(t for t in words if postings[t] == cap)[0]
    # Rare: the word in fewest documents that is not itself a name or alias
    # (those take the entity path). In gencorpus.py's text every ordinary
    # word is common, so this is usually a part of a place name.
    aliases = set(alias_count)
    rare = min((t for t in postings if t.isalpha() and len(t) >= 4 and t not in aliases),
               key=lambda t: (postings[t], t))

    # The title of the middle article: its first two adjacent non-stop words.
    first, end = meta["kinds"]["article"]
    doc = (first + end) // 2
    per = meta["documentsPerShard"]
    title = json.loads((search / "docs" / f"{doc // per}.json").read_text())[doc % per][1]
    tokens = re.findall(r"[^\W_]+", title.lower())
    phrase = next(f"{a} {b}" for a, b in zip(tokens, tokens[1:])
                  if a not in STOP and b not in STOP and a.isalpha() and b.isalpha())
    return {"alias": alias, "common": common, "phrase": phrase, "rare": rare}, postings


# --- browser -------------------------------------------------------------

BLANK = "/__search_bench_blank__.html"


def serve(site):
    """A plain static server that logs (path, body bytes) of every response:
    counting on the server sees the requests Pagefind makes from its Web
    Worker too, which the page's performance timeline does not."""
    sent, lock = [], threading.Lock()

    class Handler(http.server.SimpleHTTPRequestHandler):
        length = 0

        def log_message(self, *args):
            pass

        def send_header(self, key, value):
            if key.lower() == "content-length":
                self.length = int(value)
            super().send_header(key, value)

        def do_GET(self):
            self.length = 0
            try:
                self.serve_get()
            finally:
                with lock:
                    sent.append((self.path.split("?")[0], self.length))

        def serve_get(self):
            if self.path == BLANK:  # Pagefind runs on a blank page of the same server
                body = b"<!doctype html><meta charset=utf-8><title>blank</title><body></body>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    server.sent = sent
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def served(server, since):
    time.sleep(0.3)  # let the last responses be logged
    return server.sent[since:]


def browser():
    from selenium import webdriver
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    # Debian's chromedriver, so selenium does not try to fetch one.
    service = webdriver.ChromeService("/usr/bin/chromedriver") if Path("/usr/bin/chromedriver").exists() else None
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_script_timeout(120)
    return driver


def downloads(site, entries, keep):
    """Bytes fetched (as served, and as a gzipping host would send them)."""
    files = [(path, size) for path, size in entries if keep(path)]
    raw = sum(size for _, size in files)
    gz = 0
    for path, size in files:
        data = (site / path.lstrip("/")).read_bytes() if (site / path.lstrip("/")).is_file() else b""
        gz += min(size, len(gzip.compress(data, 9))) if data else size
    largest = sorted(files, key=lambda f: -f[1])[:3]
    return {"files": len(files), "bytes": raw, "gzip_bytes": gz, "largest": largest}


def gloss_query(server, site, base, query, repeat):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
    driver = browser()  # a fresh profile: nothing cached
    try:
        since = len(server.sent)
        driver.get(base + "/search/")
        box = driver.find_element(By.ID, "search-q")
        status = lambda d: d.find_element(By.ID, "search-status").text
        done = lambda d: re.search(r"\(\d+ ms\)|No results|failed", status(d))
        box.send_keys(query)
        WebDriverWait(driver, 60).until(done)
        first_status = status(driver)
        entries = served(server, since)
        results = driver.find_elements(By.CSS_SELECTOR, "#search-results li a")
        top = results[0].get_attribute("href").replace(base, "") if results else None
        # The index shards this query needs are now cached: time the same
        # query again (a trailing space changes the box, not the terms).
        cached = []
        for i in range(repeat):
            driver.execute_script("document.getElementById('search-status').textContent = ''")
            box.send_keys(" " if i % 2 == 0 else Keys.BACKSPACE)
            WebDriverWait(driver, 60).until(done)
            cached.append(int(re.search(r"\((\d+) ms\)", status(driver)).group(1)))
    finally:
        driver.quit()
    count = re.match(r"(\d+) result", first_status)
    index = downloads(site, entries, lambda p: p.startswith("/search/") and p != "/search/")
    with_script = downloads(site, entries, lambda p: (p.startswith("/search/") and p != "/search/")
                            or re.fullmatch(r"/search\.[0-9a-f]+\.js", p))
    return {"page_total": downloads(site, entries, lambda p: True),"status": first_status, "results": int(count.group(1)) if count else 0, "top": top,
            "first_query_ms": int(re.search(r"\((\d+) ms\)", first_status).group(1)) if count else None,
            "cached_ms": cached, "cached_median_ms": statistics.median(cached),
            "index_download": index, "download": with_script}


# Pagefind's JS API: 20 results with their fragments, like our page shows 20.
PAGEFIND_FIRST = """
const [q, done] = [arguments[0], arguments[arguments.length - 1]];
(async () => {
  const t0 = performance.now();
  const pf = window.pf = await import('/pagefind/pagefind.js');
  await pf.init();
  const t1 = performance.now();
  const r = await pf.search(q);
  const data = await Promise.all(r.results.slice(0, 20).map(x => x.data()));
  const t2 = performance.now();
  done({results: r.results.length, top: data.length ? data[0].url : null,
        init_ms: Math.round(t1 - t0), first_query_ms: Math.round(t2 - t1)});
})().catch(e => done({error: String(e)}));
"""
# The same query again, its index chunks loaded: search, then the 20 fragments.
PAGEFIND_AGAIN = """
const [q, repeat, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
(async () => {
  const total = [], search = [];
  for (let i = 0; i < repeat; i++) {
    const s = performance.now();
    const r = await window.pf.search(q);
    const m = performance.now();
    await Promise.all(r.results.slice(0, 20).map(x => x.data()));
    total.push(Math.round(performance.now() - s)); search.push(Math.round(m - s));
  }
  done({total, search});
})().catch(e => done({error: String(e)}));
"""


def pagefind_query(server, site, base, query, repeat):
    driver = browser()
    try:
        since = len(server.sent)
        driver.get(base + BLANK)
        out = driver.execute_async_script(PAGEFIND_FIRST, query)
        if "error" in out:
            sys.exit(f"Pagefind query {query!r} failed: {out['error']}")
        entries = served(server, since)
        again = driver.execute_async_script(PAGEFIND_AGAIN, query, repeat)
        if "error" in again:
            sys.exit(f"Pagefind query {query!r} failed: {again['error']}")
    finally:
        driver.quit()
    out["cached_ms"], out["cached_search_only_ms"] = again["total"], again["search"]
    out["cached_median_ms"] = statistics.median(again["total"])
    out["download"] = downloads(site, entries, lambda p: p.startswith("/pagefind/"))
    out["index_download"] = downloads(site, entries, lambda p: p.startswith("/pagefind/") and not p.endswith(".js"))
    return out


# --- report --------------------------------------------------------------

def mb(n):
    return f"{n / 1e6:.2f} MB"


def kb(n):
    return f"{n / 1000:.0f} kB"


def table(report):
    q = report["queries"]
    g, p = report["gloss"], report["pagefind"]
    kinds = list(q)
    head = ("| | index build time | index on disk | " +
            " | ".join(f"first query: {k} “{q[k]}”" for k in kinds) + " | time to results after load |")
    lines = [head, "|" + " --- |" * (4 + len(kinds))]

    def cells(side):
        out = []
        for k in kinds:
            d = side["queries"][k]["download"]
            out.append(f"{kb(d['bytes'])} ({kb(d['gzip_bytes'])} gzip), {d['files']} files")
        return out

    gq = [g["queries"][k]["cached_median_ms"] for k in kinds]
    pq = [p["queries"][k]["cached_median_ms"] for k in kinds]
    lines.append("| Gloss | %s (search-index stage of a %s full build) | %d files, %s | %s | %s |" % (
        f"{g['index_stage_ms'] / 1000:.1f} s", f"{g['build']['wall_s']:.0f} s", g["size"]["files"],
        mb(g["size"]["bytes"]), " | ".join(cells(g)), f"{min(gq):g}–{max(gq):g} ms"))
    lines.append("| Pagefind | %s (re-reads all %s built pages) | %d files, %s | %s | %s |" % (
        f"{p['index']['wall_s']:.0f} s", f"{report['pages']:,}", p["size"]["files"], mb(p["size"]["bytes"]),
        " | ".join(cells(p)), f"{min(pq):g}–{max(pq):g} ms"))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gloss")
    ap.add_argument("corpus")
    ap.add_argument("work")
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--skip-pagefind-index", action="store_true")
    ap.add_argument("--pagefind", default="python3 -m pagefind_bin")
    ap.add_argument("--query", action="append", default=[])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    work = Path(args.work).resolve()
    site = work / "site"
    work.mkdir(parents=True, exist_ok=True)
    report = {"gloss_binary": str(Path(args.gloss).resolve()), "corpus": str(Path(args.corpus).resolve()),
              "cores": os.cpu_count(), "load": {"start": loadavg()}}
    gloss, pagefind = {}, {}

    log = work / "gloss-build.log"
    if not args.skip_build:
        print(f"gloss build (load {loadavg()}) ...", flush=True)
        subprocess.run(["rm", "-rf", str(site)], check=True)  # a clean output: Pagefind reads only this build
        gloss["build"] = run_timed([args.gloss, "build", "--source", args.corpus, "--output", str(site), "--verbose"], log)
        gloss["build"]["load_after"] = loadavg()
    text = log.read_text()
    stages = {m[1].strip(): float(m[2]) for m in re.finditer(r"^  (\S[^\n]*?)\s+([\d.]+) ms$", text, re.M)}
    gloss["stages_ms"] = stages
    gloss["index_stage_ms"] = stages["search index"]
    built = re.search(r"^built (\d+) pages.* in (\d+) ms", text, re.M)
    report["pages"] = int(built[1])
    gloss.setdefault("build", {"wall_s": int(built[2]) / 1000, "command": "(earlier run)"})
    gloss["size"] = folder_size(site / "search")
    print(f"  full build {gloss['build']['wall_s']} s, search index stage {gloss['index_stage_ms'] / 1000:.1f} s, "
          f"index {gloss['size']['files']} files, {mb(gloss['size']['bytes'])}", flush=True)

    if not args.skip_pagefind_index:
        print(f"pagefind (load {loadavg()}) ...", flush=True)
        subprocess.run(["rm", "-rf", str(site / "pagefind")], check=True)
        pagefind["index"] = run_timed(shlex.split(args.pagefind) + ["--site", str(site)], work / "pagefind.log")
        pagefind["index"]["load_after"] = loadavg()
    else:
        pagefind["index"] = {"wall_s": float(re.search(r"Finished in ([\d.]+) seconds",
                                                       (work / "pagefind.log").read_text())[1]),
                             "command": "(earlier run)"}
    pagefind["size"] = folder_size(site / "pagefind")
    print(f"  pagefind {pagefind['index']['wall_s']} s, {pagefind['size']['files']} files, "
          f"{mb(pagefind['size']['bytes'])}", flush=True)

    queries, postings = pick_queries(site)
    for override in args.query:
        kind, _, text = override.partition("=")
        queries[kind] = text
    report["queries"] = queries
    report["postings"] = {k: {t: postings.get(t) for t in v.split()} for k, v in queries.items()}

    report["load"]["browser"] = loadavg()
    server, base = serve(site)
    gloss["queries"], pagefind["queries"] = {}, {}
    try:
        for kind, query in queries.items():
            g = gloss["queries"][kind] = gloss_query(server, site, base, query, args.repeat)
            p = pagefind["queries"][kind] = pagefind_query(server, site, base, query, args.repeat)
            print(f"{kind:7} {query!r}\n"
                  f"  gloss    {g['results']:6} results, top {g['top']}; first {g['first_query_ms']} ms, cached "
                  f"{g['cached_median_ms']} ms (median of {args.repeat}); {g['download']['files']} files "
                  f"{kb(g['download']['bytes'])} ({kb(g['download']['gzip_bytes'])} gzip); largest "
                  + ", ".join(f"{path} {kb(size)}" for path, size in g["download"]["largest"]) + "\n"
                  f"  pagefind {p['results']:6} results, top {p['top']}; init {p['init_ms']} ms, first "
                  f"{p['first_query_ms']} ms, cached {p['cached_median_ms']} ms (search alone "
                  f"{statistics.median(p['cached_search_only_ms'])} ms); {p['download']['files']} files "
                  f"{kb(p['download']['bytes'])} ({kb(p['download']['gzip_bytes'])} gzip); largest "
                  + ", ".join(f"{path} {kb(size)}" for path, size in p["download"]["largest"]), flush=True)
    finally:
        server.shutdown()
    report["load"]["end"] = loadavg()
    report["gloss"], report["pagefind"] = gloss, pagefind

    budget = []
    for kind, g in gloss["queries"].items():
        size, ms = g["download"]["bytes"], g["cached_median_ms"]
        budget.append(f"{kind}: {mb(size)} {'≤' if size <= 1_000_000 else '>'} 1 MB, "
                      f"{ms:g} ms {'<' if ms < 100 else '≥'} 100 ms")
    report["budget_ok"] = all(g["download"]["bytes"] <= 1_000_000 and g["cached_median_ms"] < 100
                              for g in gloss["queries"].values())
    (work / "search-bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print("\n" + table(report) + "\n")
    print(f"{report['pages']:,} pages, {os.cpu_count()} cores; load average (1, 5, 15 min): "
          + "; ".join(f"{k} {v}" for k, v in report["load"].items()))
    print("budget (first query ≤ 1 MB as served, results < 100 ms after load): "
          + ("holds" if report["budget_ok"] else "MISSED") + " — " + "; ".join(budget))
    print(f"details: {work / 'search-bench.json'}")


if __name__ == "__main__":
    main()
