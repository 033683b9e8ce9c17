"""Time to first render and bytes of the signup and dashboard pages, measured in Chromium.

Runs coopnet as the browser suite does (gunicorn with the deployment's settings, a worker,
embedded PostgreSQL and Redis, all on loopback), signs a co-op up, then opens each page
in a fresh browser context (a cold cache) ROUNDS times and prints the median and worst
first-contentful-paint and the bytes of the HTML, CSS and JS the page loaded (uncompressed,
as gunicorn sends them; and gzipped, as nginx in front would).

    .venv/bin/python benchmarks/pages.py [--rounds 15] [--chromium /usr/bin/chromium]
"""

import argparse
import gzip
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from tests.browser.server import running_coopnet

PASSWORD = "correct horse battery"
EMAIL = "founder@quilted.example"

# (first byte of the HTML, first contentful paint), in ms from the start of the navigation.
TIMINGS = """() => new Promise((resolve) => {
  new PerformanceObserver((list, observer) => {
    const paint = list.getEntries().find((e) => e.name === 'first-contentful-paint');
    if (paint) {
      observer.disconnect();
      resolve([performance.getEntriesByType('navigation')[0].responseStart, paint.startTime]);
    }
  }).observe({type: 'paint', buffered: true});
})"""

KINDS = {"document": "HTML", "stylesheet": "CSS", "script": "JS"}


def sign_up(server, playwright):
    api = playwright.request.new_context(base_url=server.url)
    founder = {"name": "Ana", "email": EMAIL, "password": PASSWORD}
    answer = api.post("/api/v1/signup", data={"name": "Quilted", "slug": "quilted", "kind": "coop", "founder": founder})
    assert answer.status == 202, answer.text()
    token = server.mailbox.link(EMAIL, "Confirm your address", "/signup/confirm").rsplit("/", 1)[1]
    assert api.post("/api/v1/signup/confirm", data={"token": token}).status == 201
    api.dispose()


def logged_in_state(browser, url):
    context = browser.new_context(base_url=url)
    answer = context.request.post("/api/v1/session", data={"email": EMAIL, "password": PASSWORD})
    assert answer.status == 200, answer.text()
    state = context.storage_state()
    context.close()
    return state


def load(browser, url, path, state=None):
    """One cold load: ((first byte, first-contentful-paint) in ms, {kind: (bytes, gzipped bytes)})."""
    context = browser.new_context(base_url=url, storage_state=state, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    answer = page.goto(path, wait_until="load")
    assert answer.status == 200 and page.url == url + path, f"{path}: {answer.status} at {page.url}"
    timings = page.evaluate(TIMINGS)
    sizes = {}
    for response in responses:
        kind = KINDS.get(response.request.resource_type)
        if kind is None:
            continue
        body = response.body()
        plain, packed = sizes.get(kind, (0, 0))
        sizes[kind] = (plain + len(body), packed + len(gzip.compress(body, 6)))
    context.close()
    return timings, sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coopnet-pages-") as folder, running_coopnet(Path(folder)) as server:
        with sync_playwright() as playwright:
            sign_up(server, playwright)
            browser = playwright.chromium.launch(executable_path=args.chromium)
            state = logged_in_state(browser, server.url)
            pages = {"signup (/signup)": ("/signup", None), "dashboard (/c/quilted/)": ("/c/quilted/", state)}
            print(f"Chromium {browser.version}, {args.rounds} cold loads a page, coopnet under gunicorn on loopback\n")
            print(
                "| page | first byte, median | first contentful paint, median (worst) | HTML | CSS | JS | total | gzipped |"
            )
            print("| --- | --- | --- | --- | --- | --- | --- | --- |")
            for name, (path, page_state) in pages.items():
                load(browser, server.url, path, page_state)  # warm the server up, not the browser
                runs = [load(browser, server.url, path, page_state) for _ in range(args.rounds)]
                first_bytes = [first_byte for (first_byte, _), _ in runs]
                paints = [paint for (_, paint), _ in runs]
                sizes = runs[-1][1]
                plain = {kind: sizes.get(kind, (0, 0))[0] for kind in KINDS.values()}
                packed = sum(packed for _, packed in sizes.values())
                print(
                    f"| {name} | {statistics.median(first_bytes):.0f} ms "
                    f"| {statistics.median(paints):.0f} ms ({max(paints):.0f} ms) | "
                    + " | ".join(f"{plain[kind] / 1000:.1f} kB" for kind in KINDS.values())
                    + f" | {sum(plain.values()) / 1000:.1f} kB | {packed / 1000:.1f} kB |"
                )
            browser.close()


if __name__ == "__main__":
    main()
