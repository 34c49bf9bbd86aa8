import Foundation

/// The script that makes served pages reload themselves and show build
/// errors. It exists only in responses of `gloss serve`: the builder never
/// sees it, so `gloss build` output is untouched.
enum LiveReload {
    static let scriptPath = "/_gloss/live.js"
    static let eventsPath = "/_gloss/events"
    static let statusPath = "/_gloss/status"

    /// Inserts the status and the script before the last `</body>` (or at
    /// the end when there is none). The status carries the current errors,
    /// so a page loaded while the build is broken shows them at once;
    /// `page` is the URL path of the file served (`/404.html` for a missing
    /// page), so the page knows when it changed.
    static func inject(into html: Data, status: LiveStatus, page: String) -> Data {
        var tag = Data("<script type=\"application/json\" id=\"gloss-status\">".utf8)
        tag.append(contentsOf: JSON.encode(status))
        tag.append(contentsOf: "</script><script src=\"\(scriptPath)\" data-page=\"\(escapeAttribute(page))\"></script>".utf8)
        var page = html
        page.insert(contentsOf: tag, at: bodyEnd(in: html) ?? html.endIndex)
        return page
    }

    static func escapeAttribute(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Index of the last `</body` (any case).
    static func bodyEnd(in html: Data) -> Data.Index? {
        let pattern = Array("</body".utf8)
        let bytes = [UInt8](html)
        guard bytes.count >= pattern.count else { return nil }
        for start in stride(from: bytes.count - pattern.count, through: 0, by: -1) {
            var match = true
            for (offset, expected) in pattern.enumerated() {
                let byte = bytes[start + offset]
                if byte != expected && byte | 0x20 != expected { match = false; break }
            }
            if match { return html.startIndex + start }
        }
        return nil
    }

    static let script = #"""
    // gloss serve: live reload and build errors. Not part of the built site.
    (() => {
      "use strict";
      const node = document.getElementById("gloss-status");
      const initial = node ? JSON.parse(node.textContent) : { generation: 0, errors: [] };
      let generation = initial.generation;
      // The address shown, and the file served for it (404.html for a missing page).
      const here = [normalise(location.pathname), (document.currentScript && document.currentScript.dataset.page) || ""];
      let source = null, overlay = null;

      function normalise(path) {
        try { path = decodeURI(path); } catch (e) {}
        return path.endsWith("/index.html") ? path.slice(0, -"index.html".length) : path;
      }

      // This page and every file it loaded from this server (stylesheets,
      // scripts, images, fonts): a feed or a JSON file changing elsewhere
      // leaves it alone.
      function usedPaths() {
        const used = new Set(here);
        for (const entry of performance.getEntriesByType("resource")) {
          try {
            const url = new URL(entry.name);
            if (url.origin === location.origin) used.add(normalise(url.pathname));
          } catch (e) {}
        }
        return used;
      }

      function affectsThisPage(paths) {
        if (paths === null) return true;
        const used = usedPaths();
        return paths.some(p => used.has(p));
      }

      function el(tag, className, text) {
        const e = document.createElement(tag);
        if (className) e.className = className;
        if (text !== undefined) e.textContent = text;
        return e;
      }

      function showErrors(errors) {
        if (overlay) { overlay.remove(); overlay = null; }
        if (!errors || errors.length === 0) return;
        overlay = document.createElement("gloss-error-overlay");
        overlay.setAttribute("style", "all: initial");
        const root = overlay.attachShadow({ mode: "open" });
        root.append(el("style", null, STYLE));
        const panel = el("div", "panel");
        panel.setAttribute("role", "alert");
        const close = el("button", "close", "\u00d7");
        close.title = "Hide until the next build";
        close.onclick = () => { overlay.remove(); overlay = null; };
        const count = errors.length === 1 ? "1 error" : errors.length + " errors";
        panel.append(close, el("h1", null, "Build failed: " + count),
                     el("p", "note", "Showing the last good build. Fix the file and save: this page updates by itself."));
        for (const error of errors) {
          const item = el("section", "error");
          const where = error.path ? error.path + (error.line ? ":" + error.line + ":" + error.column : "") : "";
          if (where) item.append(el("div", "where", where));
          item.append(el("div", "message", error.message));
          if (error.sourceLine !== undefined && error.sourceLine !== null && error.line) {
            const gutter = String(error.line);
            const caret = " ".repeat(gutter.length) + " | " +
              Array.from(error.sourceLine).slice(0, Math.max(0, error.column - 1)).map(c => c === "\t" ? "\t" : " ").join("") + "^";
            item.append(el("pre", "source", gutter + " | " + error.sourceLine + "\n" + caret));
          }
          panel.append(item);
        }
        root.append(el("div", "backdrop"), panel);
        document.documentElement.append(overlay);
      }

      function connect() {
        if (source) return;
        source = new EventSource("\#(eventsPath)?since=" + generation);
        source.addEventListener("hello", e => {
          const status = JSON.parse(e.data);
          // Back from the background (or a dropped connection): reload only
          // if something this page uses changed meanwhile.
          if (status.generation !== generation) {
            if (affectsThisPage(status.paths)) { location.reload(); return; }
            generation = status.generation;
          }
          showErrors(status.errors);
        });
        source.addEventListener("errors", e => showErrors(JSON.parse(e.data).errors));
        source.addEventListener("reload", e => {
          const change = JSON.parse(e.data);
          if (affectsThisPage(change.paths)) { location.reload(); return; }
          generation = change.generation;
          showErrors([]);
        });
      }

      function disconnect() { if (source) { source.close(); source = null; } }

      // Hidden tabs let go of their connection (browsers allow six per host
      // over HTTP/1.1) and catch up from the hello event when shown again.
      document.addEventListener("visibilitychange", () => document.hidden ? disconnect() : connect());
      window.addEventListener("pagehide", disconnect);
      window.addEventListener("pageshow", e => { if (e.persisted && !document.hidden) connect(); });

      const STYLE = `
        .backdrop { position: fixed; inset: 0; background: rgba(20, 20, 24, .55); z-index: 2147483646; }
        .panel { position: fixed; top: 4vh; left: 50%; transform: translateX(-50%); z-index: 2147483647;
                 width: min(960px, 92vw); max-height: 88vh; overflow: auto; box-sizing: border-box;
                 padding: 20px 24px; background: #1d1f23; color: #e8e6e3; border-top: 6px solid #e5484d;
                 border-radius: 6px; box-shadow: 0 12px 40px rgba(0,0,0,.45);
                 font: 14px/1.5 ui-sans-serif, system-ui, sans-serif; }
        h1 { margin: 0 0 4px; font-size: 18px; color: #ff8589; }
        .note { margin: 0 0 16px; color: #a8a49f; }
        .error { margin: 0 0 16px; }
        .where { font: 600 13px/1.4 ui-monospace, monospace; color: #7cc4fa; }
        .message { margin: 2px 0 6px; white-space: pre-wrap; }
        pre { margin: 0; padding: 8px 10px; background: #111214; border-radius: 4px; overflow-x: auto;
              font: 13px/1.45 ui-monospace, monospace; color: #d6d3ce; tab-size: 4; }
        .close { position: absolute; top: 8px; right: 10px; background: none; border: 0; color: #a8a49f;
                 font-size: 22px; cursor: pointer; }`;

      showErrors(initial.errors);
      if (!document.hidden) connect();
    })();
    """#
}
