// Gloss search: a static, sharded index read with fetch(). No dependencies.
// The tokenizer and the term hash must match Sources/Gloss/Search/SearchTokenizer.swift.
(() => {
  "use strict";
  const STOP = new Set(("a an and are as at be but by for from had has have he her his in is it its of on or she " +
    "that the their they this to was were which will with").split(" "));
  // Final sigma folds to σ: toLowerCase() writes ς at the end of a word and Swift never does.
  // A term's length counts code points, as Swift counts scalars.
  const terms = (text) => text.toLowerCase().normalize("NFD").replace(/\p{Mn}/gu, "").replace(/ς/g, "σ")
    .split(/[^\p{Alphabetic}\p{N}]+/u)
    .filter((t) => t && ([...t].length > 1 || /\p{N}/u.test(t)) && !STOP.has(t));
  const encoder = new TextEncoder();
  const shardOf = (term, count) => {
    let hash = 0x811c9dc5;
    for (const byte of encoder.encode(term)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    return hash % count;
  };
  // Under Node (the tokenizer parity test), export the pure parts only.
  if (typeof module !== "undefined" && module.exports) { module.exports = { terms, shardOf }; return; }

  const list = document.getElementById("search-results");
  if (!list) return;
  const base = list.dataset.index;
  const form = document.getElementById("search-form");
  const input = document.getElementById("search-q");
  const kindSelect = document.getElementById("search-kind");
  const yearSelect = document.getElementById("search-year");
  const status = document.getElementById("search-status");
  const SHOWN = 20;
  const cache = new Map();
  const get = (path) => {
    if (!cache.has(path)) {
      cache.set(path, fetch(base + path).then((r) => {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return r.json();
      }));
    }
    return cache.get(path);
  };
  // A term's entry is [documents containing it, doc, weight, doc, weight, …]:
  // only the best-weighted documents are listed when the term is common.
  const postings = async (meta, term) => {
    const entry = (await get("terms/" + shardOf(term, meta.termShards) + ".json"))[term];
    return entry ? { total: entry[0], list: entry.slice(1) } : { total: 0, list: [] };
  };

  // Entities whose name or alias is the query come first, then the claims
  // and articles tied to them, then everything else by term score.
  async function rank(query) {
    const meta = await get("meta.json");
    const words = [...new Set(terms(query))];
    if (!words.length) return { meta, docs: [], partial: false };
    const [entities, found] = await Promise.all([get("entities.json"), Promise.all(words.map((w) => postings(meta, w)))]);
    const lists = found.map((f) => f.list);
    // More documents match than the index lists: the count is a lower bound.
    const partial = found.some((f) => f.total > f.list.length / 2);
    const phrase = words.join(" ");
    const scores = new Map();
    const bump = (doc, score) => scores.set(doc, (scores.get(doc) || 0) + score);
    const hits = entities.filter((e) => e[1].some((n) => n === phrase || n.startsWith(phrase + " ")));
    for (const [doc, , id] of hits) {
      bump(doc, 1e9);
      const tied = (await postings(meta, "@" + id)).list;
      for (let i = 0; i < tied.length; i += 2) bump(tied[i], 1e6 + tied[i + 1]);
    }
    const counts = new Map();
    for (const list of lists) {
      for (let i = 0; i < list.length; i += 2) {
        counts.set(list[i], (counts.get(list[i]) || 0) + 1);
        bump(list[i], list[i + 1]);
      }
    }
    // Prefer documents with every word; fall back to any word.
    const all = [...counts].filter(([, n]) => n === words.length).map(([d]) => d);
    const keep = new Set(all.length ? all : counts.keys());
    for (const [doc] of hits) keep.add(doc);
    for (const doc of scores.keys()) if (scores.get(doc) >= 1e6) keep.add(doc);
    const docs = [...keep].sort((a, b) => scores.get(b) - scores.get(a) || a - b);
    return { meta, docs, partial };
  }

  function filtered(meta, docs) {
    const kind = kindSelect.value, year = yearSelect.value;
    return docs.filter((d) => {
      if (kind) { const r = meta.kinds[kind]; if (!r || d < r[0] || d >= r[1]) return false; }
      if (year) {
        const ranges = ["article", "claim"].map((k) => meta.years[k + ":" + year]).filter(Boolean);
        if (!ranges.some((r) => d >= r[0] && d < r[1])) return false;
      }
      return true;
    });
  }

  async function show(query) {
    const started = performance.now();
    const { meta, docs, partial } = await rank(query);
    const chosen = filtered(meta, docs);
    const top = chosen.slice(0, SHOWN);
    const shards = await Promise.all([...new Set(top.map((d) => Math.floor(d / meta.documentsPerShard)))]
      .map(async (s) => [s, await get("docs/" + s + ".json")]));
    const rows = new Map(shards);
    list.replaceChildren(...top.map((d) => {
      const [kind, title, url, year, snippet] = rows.get(Math.floor(d / meta.documentsPerShard))[d % meta.documentsPerShard];
      const item = document.createElement("li");
      item.className = "result result-" + kind;
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = kind;
      const link = document.createElement("a");
      link.href = url;
      link.textContent = title;
      item.append(badge, " ", link);
      if (year) item.append(" ", Object.assign(document.createElement("span"), { className: "count", textContent: String(year) }));
      if (snippet) item.append(Object.assign(document.createElement("p"), { textContent: snippet }));
      return item;
    }));
    const ms = Math.round(performance.now() - started);
    status.textContent = query.trim() === "" ? "" :
      chosen.length === 0 ? "No results for “" + query + "”." :
      (partial ? "More than " : "") + chosen.length + " result" + (chosen.length === 1 && !partial ? "" : "s") +
      (chosen.length > SHOWN ? ", showing the best " + SHOWN : "") +
      " (" + ms + " ms).";
  }

  let timer = 0;
  const run = () => {
    const params = new URLSearchParams();
    if (input.value) params.set("q", input.value);
    if (kindSelect.value) params.set("kind", kindSelect.value);
    if (yearSelect.value) params.set("year", yearSelect.value);
    history.replaceState(null, "", params.toString() ? "?" + params : location.pathname);
    show(input.value).catch((e) => { status.textContent = "Search failed: " + e.message; });
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); run(); });
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 120); });
  kindSelect.addEventListener("change", run);
  yearSelect.addEventListener("change", run);
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  kindSelect.value = params.get("kind") || "";
  yearSelect.value = params.get("year") || "";
  document.documentElement.classList.add("js");
  if (input.value) run();
})();
