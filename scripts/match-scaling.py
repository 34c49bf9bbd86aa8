#!/usr/bin/env python3
"""Does mention matching stay flat as the entity registry grows?

Builds one synthetic corpus twice with a release gloss: as generated, and with
SCALE times as many entities (extra people, organisations, places and treaties
with plausible invented names and aliases that the articles mostly do not
contain). Matching time is measured where it is spent: `perf record` samples
of each build, the share whose stack is inside NameMatcher.matches, times the
build's CPU time. Prints medians of both and their ratio (the goal: under 1.5
for 10x the names), and the 'annotate articles' stage times for reference.

Usage: scripts/match-scaling.py [--articles 1000] [--scale 10] [--runs 3]
                                [--gloss .build/release/gloss] [--corpus DIR]
Needs perf (linux-perf) and a gloss built with frame pointers (the default).
"""
import argparse, os, pathlib, random, re, shutil, statistics, subprocess, sys, tempfile

root = pathlib.Path(__file__).resolve().parent.parent
ap = argparse.ArgumentParser()
ap.add_argument("--articles", type=int, default=1000)
ap.add_argument("--scale", type=int, default=10)
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--gloss", default=str(root / ".build/release/gloss"))
ap.add_argument("--corpus", default=None, help="an existing corpus to copy instead of generating one")
ap.add_argument("--workdir", default=None)
args = ap.parse_args()

if not shutil.which("perf"):
    sys.exit("needs perf: apt-get install linux-perf")
if not pathlib.Path(args.gloss).exists():
    sys.exit(f"no gloss at {args.gloss}; build it with: swift build -c release --product gloss")
work = pathlib.Path(args.workdir or tempfile.mkdtemp(prefix="gloss-match-"))
base = work / "base"
scaled = work / "scaled"

# 1. The corpus, as generated.
if not base.exists():
    if args.corpus:
        shutil.copytree(args.corpus, base)
    else:
        gencorpus = os.environ.get("GENCORPUS", str(root.parent / "shared/bench/gencorpus.py"))
        subprocess.run([sys.executable, gencorpus, "--articles", str(args.articles), "--out", str(base)],
                       check=True, stdout=subprocess.DEVNULL)
        with open(base / "site.yml", "a") as f:
            f.write("ambiguous_quotes: first\n")

# 2. The same corpus with SCALE x the entities and aliases.
def invented(rng, taken):
    """A capitalised name from syllables that are unlike the generator's."""
    syllables = ["qua", "zir", "vex", "dro", "mael", "thu", "kor", "yssa", "brin", "olv", "fen", "ghar",
                 "luth", "nim", "ozz", "prae", "rhy", "sul", "tav", "ulm", "wyr", "xan", "ydd", "zeph"]
    while True:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize()
        if word not in taken:
            taken.add(word)
            return word

if scaled.exists():
    shutil.rmtree(scaled)
shutil.copytree(base, scaled)
rng = random.Random(42)
taken = set()
content = scaled / "content"
folders = ["people", "organizations", "places", "treaties"]
existing = {f: sorted((content / f).glob("*.md")) for f in folders}
names = aliases = 0
for folder, files in existing.items():
    for original in files:
        text = original.read_text()
        alias_count = len(re.findall(r"^  - ", text.split("\n---", 1)[0].split("aliases:", 1)[-1].split("\n\n")[0], re.M)) \
            if "aliases:" in text else 0
        for copy in range(args.scale - 1):
            first, last = invented(rng, taken), invented(rng, taken)
            name = {"people": f"{first} {last}", "organizations": f"{first} Office for {last}",
                    "places": f"Port {first}", "treaties": f"Treaty of {first} on {last}"}[folder]
            alias_list = [last, f"{first[0]}. {last}", f"the {last} Accord"][:max(alias_count, 1)]
            path = content / folder / f"zz-{first.lower()}-{last.lower()}-{copy}.md"
            path.write_text("---\nname: \"%s\"\naliases:\n%s\n---\n\nInvented for the scaling test.\n"
                            % (name, "\n".join(f'  - "{a}"' for a in alias_list)))
            names += 1
            aliases += len(alias_list)
before = sum(len(v) for v in existing.values())
print(f"corpus: {base} ({before} entities); scaled: {scaled} (+{names} entities, +{aliases} aliases)")

# 3. Build both, alternating, under perf.
def measure(site):
    data = work / "perf.data"
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    r = subprocess.run(["perf", "record", "-q", "-F", "2000", "-g", "-o", str(data), args.gloss, "build",
                        "--source", str(site), "--output", str(out), "--verbose"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"build of {site} failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    stage = float(re.search(r"annotate articles\s+([0-9.]+) ms", r.stdout + r.stderr).group(1))
    script = subprocess.run(["perf", "script", "-i", str(data), "-F", "ip,sym"], capture_output=True, text=True).stdout
    samples = [s for s in script.split("\n\n") if s.strip()]
    # Mangled: NameMatcher.matches(in:) and its inlined helpers.
    matching = sum(1 for s in samples if "11NameMatcherV7matches" in s)
    # Samples are taken at a fixed rate of CPU time: their count is CPU time.
    return matching / 2000.0, stage, len(samples) / 2000.0

results = {"base": [], "scaled": []}
for run in range(args.runs):
    for label, site in (("base", base), ("scaled", scaled)):
        results[label].append(measure(site))
        m, s, cpu = results[label][-1]
        print(f"run {run + 1} {label:6}: matching {m * 1000:7.1f} ms CPU of {cpu:5.2f} s; annotate stage {s:7.1f} ms")

med = {k: [statistics.median(x[i] for x in v) for i in range(3)] for k, v in results.items()}
ratio = med["scaled"][0] / med["base"][0] if med["base"][0] else float("nan")
print(f"\nmedian matching CPU: base {med['base'][0] * 1000:.1f} ms, {args.scale}x names {med['scaled'][0] * 1000:.1f} ms"
      f" -> ratio {ratio:.2f} (goal < 1.5)")
print(f"median 'annotate articles' stage: base {med['base'][1]:.0f} ms, scaled {med['scaled'][1]:.0f} ms"
      f" -> ratio {med['scaled'][1] / med['base'][1]:.2f}")
