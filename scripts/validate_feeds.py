#!/usr/bin/env python3
"""Checks a built Gloss site's machine outputs with parsers nobody here wrote.

Usage: validate_feeds.py OUTPUT_DIR BASE_URL

- Atom feeds: feedparser must read each one without complaint (bozo 0,
  version atom10), and the RFC 4287 rules a schema cannot express hold
  (author on the feed or on every entry, one alternate link per type,
  absolute IRIs as ids, RFC 3339 dates, feed updated = newest entry).
- sitemap: at most 50,000 URLs and 50 MB a file, every loc unique and under
  BASE_URL.
- JSON-LD: extruct (what crawlers-in-Python use) finds exactly one block per
  page; the raw block holds no '<' (so it cannot close its script or open a
  comment); pyld expands it as JSON-LD; Claim and ClaimReview carry the
  properties fact-check consumers require; every entity @id used is
  described in the same graph.
- entities.json and claims.json parse and have their documented keys.

Schema validation (sitemaps.org XSD, Atom RELAX NG) is done by
validate-feeds.sh with xmllint. Prints one line per problem and a summary;
exits non-zero on any problem.
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

import extruct
import feedparser
from pyld import jsonld

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

problems = []
counts = {"feeds": 0, "entries": 0, "sitemap urls": 0, "pages with JSON-LD": 0, "claims": 0, "claim reviews": 0}


def problem(path, message):
    problems.append(f"{path}: {message}")


def check_feed(path, base):
    counts["feeds"] += 1
    parsed = feedparser.parse(path)
    if parsed.bozo:
        problem(path, f"feedparser: {parsed.bozo_exception!r}")
    if parsed.version != "atom10":
        problem(path, f"feedparser reads it as {parsed.version!r}, not atom10")
    root = ET.parse(path).getroot()
    if root.tag != ATOM + "feed":
        problem(path, f"root is {root.tag}")
        return
    entries = root.findall(ATOM + "entry")
    counts["entries"] += len(entries)
    for element, where in [(root, "feed")] + [(e, f"entry {i + 1}") for i, e in enumerate(entries)]:
        for name in ["id", "title", "updated"]:
            if len(element.findall(ATOM + name)) != 1:
                problem(path, f"{where}: needs exactly one atom:{name}")
        ident = element.findtext(ATOM + "id") or ""
        if not ABSOLUTE_IRI.match(ident):
            problem(path, f"{where}: id {ident!r} is not an absolute IRI")
        for name in ["updated", "published"]:
            for date in element.findall(ATOM + name):
                if not RFC3339.match(date.text or ""):
                    problem(path, f"{where}: {name} {date.text!r} is not an RFC 3339 date-time")
        alternates = [(l.get("type"), l.get("hreflang")) for l in element.findall(ATOM + "link")
                      if l.get("rel", "alternate") == "alternate"]
        if len(alternates) != len(set(alternates)):
            problem(path, f"{where}: two alternate links with the same type and hreflang")
        for link in element.findall(ATOM + "link"):
            href = link.get("href") or ""
            if base.startswith("http") and not href.startswith(base):
                problem(path, f"{where}: link {href!r} is not under {base}")
        if where != "feed" and element.find(ATOM + "content") is None and not alternates:
            problem(path, f"{where}: no content and no alternate link")
    if root.find(ATOM + "author") is None and any(e.find(ATOM + "author") is None for e in entries):
        problem(path, "no feed author and an entry without author")
    if not [l for l in root.findall(ATOM + "link") if l.get("rel") == "self"]:
        problem(path, "no rel=self link")
    dates = [e.findtext(ATOM + "updated") for e in entries]
    if dates and max(dates) != root.findtext(ATOM + "updated"):
        problem(path, f"feed updated {root.findtext(ATOM + 'updated')} is not the newest entry's {max(dates)}")
    ids = [e.findtext(ATOM + "id") for e in entries]
    if len(ids) != len(set(ids)):
        problem(path, "two entries share an id")


def check_sitemap(out, base):
    path = os.path.join(out, "sitemap.xml")
    if not base.startswith("http"):
        if os.path.exists(path):
            problem(path, "written although base_url has no host")
        return
    root = ET.parse(path).getroot()
    parts = [path]
    if root.tag == SITEMAP + "sitemapindex":
        parts = [os.path.join(out, loc.text[len(base):]) for loc in root.iter(SITEMAP + "loc")]
    seen = set()
    for part in parts:
        if os.path.getsize(part) > 50 * 1024 * 1024:
            problem(part, "larger than 50 MB")
        locs = [loc.text for loc in ET.parse(part).getroot().iter(SITEMAP + "loc")]
        if len(locs) > 50000:
            problem(part, f"{len(locs)} URLs, more than 50,000")
        for loc in locs:
            counts["sitemap urls"] += 1
            if not loc.startswith(base):
                problem(part, f"{loc} is not under {base}")
            if loc in seen:
                problem(part, f"{loc} listed twice")
            seen.add(loc)
    with open(os.path.join(out, "robots.txt"), encoding="utf-8") as f:
        if f"Sitemap: {base}sitemap.xml" not in f.read():
            problem("robots.txt", "does not point to the sitemap")


def local_loader(url, options=None):
    """schema.org's context cannot be fetched here; a vocabulary mapping is
    enough to check that the document is well-formed JSON-LD."""
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": {"@context": {"@vocab": "https://schema.org/"}}}
    raise jsonld.JsonLdError(f"no network: {url}", "loading document failed")


def check_jsonld(path, html, base):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    found = extruct.extract(html, base_url=base, syntaxes=["json-ld"], uniform=False)["json-ld"]
    if len(blocks) != 1 or len(found) != 1:
        problem(path, f"{len(blocks)} JSON-LD scripts, extruct found {len(found)}")
        return
    counts["pages with JSON-LD"] += 1
    if "<" in blocks[0] or ">" in blocks[0]:
        problem(path, "JSON-LD holds a raw '<' or '>'")
    document = found[0]
    if json.loads(blocks[0]) != document:
        problem(path, "extruct reads different JSON than the script holds")
    try:
        jsonld.expand(document, {"documentLoader": local_loader})
    except jsonld.JsonLdError as error:
        problem(path, f"pyld cannot expand it: {error}")
    graph = document.get("@graph", [])
    described = {node.get("@id"): node for node in graph}
    for node in graph:
        for key, value in node.items():
            for ref in value if isinstance(value, list) else [value]:
                if isinstance(ref, dict) and set(ref) == {"@id"} and ref["@id"].endswith("#entity") \
                        and ref["@id"] not in described:
                    problem(path, f"{node.get('@type')}.{key} refers to {ref['@id']}, not described")
        for key in ["@id", "url"]:
            if isinstance(node.get(key), str) and base.startswith("http") and not node[key].startswith(base):
                problem(path, f"{node.get('@type')} {key} {node[key]!r} is not under {base}")
        if node.get("@type") == "Claim":
            counts["claims"] += 1
            for key in ["text", "author", "datePublished", "appearance"]:
                if key not in node:
                    problem(path, f"Claim {node.get('@id')} has no {key}")
        if node.get("@type") == "ClaimReview":
            counts["claim reviews"] += 1
            for key in ["claimReviewed", "reviewRating", "author", "url", "itemReviewed"]:
                if key not in node:
                    problem(path, f"ClaimReview {node.get('@id')} has no {key}")
            if not node.get("reviewRating", {}).get("alternateName"):
                problem(path, f"ClaimReview {node.get('@id')} rating has no alternateName")
            author = described.get(node.get("author", {}).get("@id"), {})
            if not author.get("name"):
                problem(path, f"ClaimReview {node.get('@id')} author has no name on the page")
        if node.get("@type") == "Legislation" and node.get("legislationType") != "treaty":
            problem(path, f"Legislation {node.get('@id')} is not a treaty")


def check_exports(out):
    keys = {"entities.json": ["id", "kind", "name", "url", "feed", "sameAs"],
            "claims.json": ["id", "quote", "url", "by", "about", "date", "article", "review"]}
    for name, required in keys.items():
        with open(os.path.join(out, name), encoding="utf-8") as f:
            document = json.load(f)
        items = document["entities" if name == "entities.json" else "claims"]
        for item in items:
            missing = [key for key in required if key not in item]
            if missing:
                problem(name, f"{item.get('id')} lacks {missing}")


def main():
    out, base = sys.argv[1], sys.argv[2]
    if not base.endswith("/"):
        base += "/"
    for folder, _, files in os.walk(out):
        for name in files:
            path = os.path.join(folder, name)
            if name == "feed.xml":
                check_feed(path, base)
            elif name.endswith(".html"):
                with open(path, encoding="utf-8") as f:
                    check_jsonld(os.path.relpath(path, out), f.read(), base)
    check_sitemap(out, base)
    check_exports(out)
    for line in problems:
        print(line)
    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
    print(f"{out} ({base}): {summary}; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
