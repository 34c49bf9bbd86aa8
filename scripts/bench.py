#!/usr/bin/env python3
"""Benchmark gloss against raw cmark-gfm and Hugo on synthetic corpora.

Generates corpora with ../shared/bench/gencorpus.py (or $GENCORPUS), installs
Debian hugo and cmark-gfm if missing, then measures in one run, alternating
the tools: raw cmark-gfm over the same Markdown bodies (one process, parse and
render only), Hugo on the generated Hugo twin, `gloss build` clean, and
`gloss build` again after changing one article; then, after those runs, the
files of gloss's site written again from memory on one core (a model of what
writing these files costs: one `write` each into the page cache, mostly in the
kernel; writeback is not timed). Prints a table of medians, min–max, peak
memory (from /usr/bin/time -v) and the size of the site each generator wrote,
and writes it to bench-results.md.

The write row holds the whole site in this script's memory (about 0.5 GB at
10,000 articles, some 5 GB at 100,000).

Usage: scripts/bench.py [--sizes 1000 10000] [--runs 3] [--gloss .build/release/gloss] [--out bench-results.md]
"""
import argparse, os, pathlib, re, shutil, statistics, subprocess, sys, tempfile, time

root = pathlib.Path(__file__).resolve().parent.parent
ap = argparse.ArgumentParser()
ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--gloss", default=str(root / ".build/release/gloss"))
ap.add_argument("--out", default=str(root / "bench-results.md"))
ap.add_argument("--workdir", default=None)
args = ap.parse_args()

gencorpus = os.environ.get("GENCORPUS", str(root.parent / "shared/bench/gencorpus.py"))
for tool, package in (("hugo", "hugo"), ("cmark-gfm", "cmark-gfm")):
    if not shutil.which(tool):
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", package], check=True)
if not pathlib.Path(args.gloss).exists():
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib"], cwd=root, check=True)

work = pathlib.Path(args.workdir or tempfile.mkdtemp(prefix="gloss-bench-"))

def settle():
    """Before each timed build: the previous build's writes go to disk now,
    not during the next one."""
    os.sync()


def timed(cmd, cwd=None):
    """Wall seconds, CPU seconds and peak RSS (MB) of one command."""
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    def field(name):
        return re.search(name + r": (.*)", r.stderr).group(1).strip()
    wall = field(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\)").split(":")
    seconds = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
    cpu = float(field(r"User time \(seconds\)")) + float(field(r"System time \(seconds\)"))
    return seconds, cpu, int(field(r"Maximum resident set size \(kbytes\)")) / 1024

def tree_size(folder):
    """Files and megabytes under `folder`."""
    files = [p for p in pathlib.Path(folder).rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files) / 1e6

def read_tree(folder):
    """Every folder and file under `folder` (relative paths), the files' bytes in memory."""
    folders, files = [], []
    for here, subfolders, names in os.walk(folder):
        relative = os.path.relpath(here, folder)
        folders += [os.path.join(relative, name) for name in subfolders]
        files += [(os.path.join(relative, name), pathlib.Path(here, name).read_bytes()) for name in names]
    return folders, files

def timed_write(tree, destination):
    """Wall and CPU seconds of writing a tree read by `read_tree` into
    `destination`, one file after another. No peak memory: the tree is in
    this process's memory already. Python's own per-file work is in the CPU
    time, so this is an upper bound on the kernel's part."""
    folders, files = tree
    start, before = time.perf_counter(), os.times()
    os.mkdir(destination)
    for folder in folders:
        os.mkdir(os.path.join(destination, folder))
    for path, data in files:
        with open(os.path.join(destination, path), "wb") as f:
            f.write(data)
    after = os.times()
    cpu = (after.user - before.user) + (after.system - before.system)
    return time.perf_counter() - start, cpu, None

WRITE = "writing gloss's output from memory"
rows = []
sizes = {}  # (articles, tool): (files, MB) of the site it wrote
caches = {}  # articles: MB of the cache a clean gloss build wrote beside its site
outputs = []  # deleted after the last timed build
# Left by an interrupted run in the same --workdir: a "clean" build into one
# would be an update, and a write into one would fail (copy-out-* are from the
# version of this script that timed `cp -r`). Removed first, then the file
# system is given time to finish with the freed inodes (see `settle`).
leftovers = [p for pattern in ("hugo-out-*", "gloss-out-*", ".gloss-out-*", "write-out-*", "copy-out-*")
             for p in work.glob(pattern)]
for path in leftovers:
    shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
if leftovers:
    os.sync()
    time.sleep(35)
for size in args.sizes:
    corpus = work / f"corpus-{size}"
    if not corpus.exists():
        subprocess.run([sys.executable, gencorpus, "--articles", str(size), "--out", str(corpus), "--format", "both"],
                       check=True, stdout=subprocess.DEVNULL)
        # The generator sometimes picks a short quote that occurs twice in an
        # article; Gloss reports that as an error unless the site opts in.
        with open(corpus / "site.yml", "a") as f:
            f.write("ambiguous_quotes: first\n")
    hugo_site = pathlib.Path(str(corpus) + "-hugo")
    bodies = sorted((corpus / "content/articles").rglob("*.md"))
    # The bodies alone (front matter stripped), concatenated: cmark-gfm's floor.
    floor_input = work / f"bodies-{size}.md"
    with open(floor_input, "w") as out:
        for path in bodies:
            text = path.read_text()
            out.write(text.split("\n---\n", 1)[1] if text.startswith("---\n") else text)
            out.write("\n")
    article = bodies[len(bodies) // 2]
    original = article.read_text()
    results = {k: [] for k in ("cmark-gfm (floor)", "hugo", "gloss clean", "gloss one change", WRITE)}
    for run in range(args.runs):
        results["cmark-gfm (floor)"].append(timed(["sh", "-c", "cmark-gfm -e table -e strikethrough -e autolink "
                                                   f"-e tagfilter -e tasklist '{floor_input}' > /dev/null"]))
        # Clean builds, for both tools: a new output folder each run, and no
        # persistent build cache beside gloss's. Nothing is deleted until the
        # end: ext4 checks every recently freed inode it skips when it makes
        # a new one, and a build just after a tree of 30,000 files was
        # deleted spent up to 20 s more in the kernel (perf: `recently_deleted`).
        hugo_out, out = work / f"hugo-out-{size}-{run}", work / f"gloss-out-{size}-{run}"
        cache_files = (work / f".{out.name}.gloss-cache", work / f".{out.name}.gloss-texts")
        outputs += [hugo_out, out, *cache_files]
        settle()
        results["hugo"].append(timed(["hugo", "--quiet", "-s", str(hugo_site), "-d", str(hugo_out)]))
        settle()
        results["gloss clean"].append(timed([args.gloss, "build", "--source", str(corpus), "--output", str(out)]))
        # The cache a clean build writes beside its site, before the next
        # build appends to it.
        caches[size] = sum(path.stat().st_size for path in cache_files if path.exists()) / 1e6
        # From the cache the clean build left: what a writer's next build costs.
        article.write_text(original.replace("\n\n", f"\n\nEdited in run {run}.\n\n", 1))
        settle()
        results["gloss one change"].append(timed([args.gloss, "build", "--source", str(corpus), "--output", str(out)]))
        article.write_text(original)
    # What writing gloss's site costs on one core: the last tree built (after
    # its one change), read into memory first, written into new folders.
    # After the builds, so that no build runs while the file system takes in
    # the writes.
    tree = read_tree(out)
    for run in range(args.runs):
        destination = work / f"write-out-{size}-{run}"
        outputs.append(destination)
        settle()
        results[WRITE].append(timed_write(tree, destination))
    del tree
    sizes[(size, "hugo")] = tree_size(hugo_out)
    sizes[(size, "gloss clean")] = tree_size(out)
    for name, samples in results.items():
        walls = [s[0] for s in samples]
        rows.append((size, name, statistics.median(walls), min(walls), max(walls),
                     statistics.median(s[1] for s in samples) / max(statistics.median(walls), 1e-9),
                     max((s[2] for s in samples if s[2] is not None), default=None)))

for folder in outputs:
    shutil.rmtree(folder, ignore_errors=True) if folder.is_dir() else folder.unlink(missing_ok=True)

lines = ["| articles | tool | median wall (s) | min–max (s) | CPU/wall | peak memory (MB) | site written |",
         "|---|---|---|---|---|---|---|"]
for size, name, median, low, high, ratio, memory in rows:
    files, megabytes = sizes.get((size, name), (None, None))
    written = f"{files:,} files, {megabytes:,.0f} MB" if files else "—"
    if name == "gloss clean" and size in caches:
        written += f" (and its cache, {caches[size]:,.0f} MB)"
    peak = f"{memory:,.0f}" if memory is not None else "—"
    lines.append(f"| {size:,} | {name} | {median:.2f} | {low:.2f}–{high:.2f} | {ratio:.2f} | {peak} | {written} |")
lines.append("")
for size in args.sizes:
    get = {name: median for s, name, median, *_ in rows if s == size}
    lines.append(f"- {size:,} articles: gloss clean is {get['hugo'] / get['gloss clean']:.2f}× Hugo's speed "
                 f"and {get['gloss clean'] / get['cmark-gfm (floor)']:.1f}× the cmark-gfm floor.")
    # What 8× Hugo's speed would leave for the rest of the build, with the
    # Markdown floor and the writing of the output spread over both cores.
    alone = get['cmark-gfm (floor)'] + get[WRITE]
    lines.append(f"  8× Hugo's speed is {get['hugo'] / 8:.2f} s; the floor and writing gloss's output alone "
                 f"take {alone:.2f} s on one core ({alone / 2:.2f} s spread over two).")
table = "\n".join(lines)
print(table)
pathlib.Path(args.out).write_text(f"Machine: {os.cpu_count()} cores. Command: {' '.join(sys.argv)}\n\n{table}\n")
