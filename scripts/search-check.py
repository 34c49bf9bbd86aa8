#!/usr/bin/env python3
"""Type queries into the built site's search box in headless Chromium and
check the results. Reports bytes downloaded by the first query and how long
ranking took after the index was loaded.

Usage: scripts/search-check.py [SITE_DIR=public] [QUERY EXPECTED_FIRST_URL_SUFFIX]...
Needs: Debian chromium + chromium-driver, pip selenium.
"""
import functools, http.server, json, sys, threading, time
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

site = sys.argv[1] if len(sys.argv) > 1 else "public"
checks = sys.argv[2:] or ["Billingslea", "/people/marshall-billingslea/",
                          "Intermediate-Range Nuclear Forces", "/treaties/inf-treaty/",
                          "no-show", "#claim-billingslea-china-no-show-2020"]

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

handler = functools.partial(Quiet, directory=site)
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{server.server_address[1]}"

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
    options.add_argument(flag)
driver = webdriver.Chrome(options=options)
failures = 0
try:
    for i in range(0, len(checks), 2):
        query, expected = checks[i], checks[i + 1]
        driver.get(base + "/search/")
        box = driver.find_element(By.ID, "search-q")
        box.send_keys(query)
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li"))
        first = driver.find_element(By.CSS_SELECTOR, "#search-results li a").get_attribute("href")
        status = driver.find_element(By.ID, "search-status").text
        resources = driver.execute_script(
            "return performance.getEntriesByType('resource').filter(r => r.name.includes('/search/'))"
            ".map(r => [r.name, r.encodedBodySize || r.transferSize])")
        downloaded = sum(size for _, size in resources)
        ok = first.endswith(expected)
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {query!r}: first result {first} ({status}); "
              f"{len(resources)} index files, {downloaded / 1024:.1f} KiB downloaded")
        # Again, with the index cached: the time the page reports is ranking plus rendering.
        box.clear(); box.send_keys(query + " ")
        time.sleep(0.5)
        print(f"     cached: {driver.find_element(By.ID, 'search-status').text}")
finally:
    driver.quit()
    server.shutdown()
sys.exit(1 if failures else 0)
