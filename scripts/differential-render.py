#!/usr/bin/env python3
"""Compare `gloss render` with Debian's cmark-gfm CLI on every GFM spec example.

Usage: scripts/differential-render.py [path/to/gloss] [spec.txt ...]
Prints mismatches and a summary; exits 1 on any difference. Examples with
footnotes are compared against libcmark-gfm's footnote rendering only through
`swift test` (the CLI cannot switch footnotes on), so they are skipped here.
"""
import subprocess, sys, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
gloss = sys.argv[1] if len(sys.argv) > 1 else str(root / ".build/debug/gloss")
specs = sys.argv[2:] or [str(p) for p in sorted((root / "Tests/GlossTests/Fixtures/gfm").glob("*.txt"))]
FLAGS = ["-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter", "-e", "tasklist"]

def examples(path):
    fence = "`" * 32 + " example"
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].startswith(fence):
            j = i + 1
            md = []
            while lines[j] != ".":
                md.append(lines[j]); j += 1
            while not lines[j].startswith("`" * 32):
                j += 1
            yield i + 1, "\n".join(md).replace("→", "\t") + "\n"
            i = j
        i += 1

bad = total = skipped = 0
for spec in specs:
    for line, md in examples(spec):
        if "[^" in md:
            skipped += 1
            continue
        for unsafe in ([], ["--unsafe"]):
            total += 1
            want = subprocess.run(["cmark-gfm", *FLAGS, *unsafe], input=md.encode(), capture_output=True).stdout
            got = subprocess.run([gloss, "render", *unsafe], input=md.encode(), capture_output=True).stdout
            if want != got:
                bad += 1
                print(f"{spec}:{line}: differs {' '.join(unsafe)}\n  want {want!r}\n  got  {got!r}")
print(f"{total - bad}/{total} identical, {skipped} footnote examples skipped")
sys.exit(1 if bad else 0)
