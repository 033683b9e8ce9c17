"""What every page a journey visits must pass: it fits a phone without sideways
scrolling, every visible field has a label (at both widths), and axe-core finds nothing
serious or critical (at phone width, the one our members use most; the page's markup is
the same at both). Each page is screenshotted at phone and desktop width on the way."""

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

FAILING_IMPACTS = ("serious", "critical")

# Fields a person types into or chooses from: everything but buttons and hidden inputs.
UNLABELLED_FIELDS = """() => {
  const fields = document.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), select, textarea');
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const named = (el) => (el.labels && [...el.labels].some((l) => l.textContent.trim()))
    || (el.getAttribute('aria-label') || '').trim()
    || [...(el.getAttribute('aria-labelledby') || '').split(/\\s+/)].some(
         (id) => id && document.getElementById(id) && document.getElementById(id).textContent.trim());
  return [...fields].filter((el) => visible(el) && !named(el)).map((el) => el.outerHTML.slice(0, 120));
}"""

SIDEWAYS = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const wide = [...document.body.querySelectorAll('*')]
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
    .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : ''));
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest: wide.slice(0, 5)};
}"""


class PageChecks:
    VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}

    def __init__(self, page, folder):
        self.page = page
        self.folder = Path(folder)
        self.axe = Axe()
        self.step = 0
        self.unlooked = []
        self._pending = None
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame):
        if frame is self.page.main_frame:
            if self._pending is not None:
                self.unlooked.append(self._pending)
            self._pending = frame.url

    def __call__(self):
        """Check the page as it is now; screenshots go to the test's artefacts folder."""
        page = self.page
        page.wait_for_load_state()
        self.step += 1
        title = re.sub(r"[^a-z0-9]+", "-", page.title().lower()).strip("-") or "page"
        name = f"{self.step:02d}-{title}"
        self.folder.mkdir(parents=True, exist_ok=True)
        where = f"{page.url} ({page.title()!r}, {name})"
        problems = []
        for width, viewport in self.VIEWPORTS.items():
            page.set_viewport_size(viewport)
            page.screenshot(path=self.folder / f"{name}-{width}.png", full_page=True)
            if width == "phone" and (sideways := page.evaluate(SIDEWAYS)):
                problems.append(f"scrolls sideways at {viewport['width']}px: {sideways}")
            problems += [
                f"field without a label at {width} width: {field}" for field in page.evaluate(UNLABELLED_FIELDS)
            ]
            if width == "phone":
                problems += [f"axe: {v}" for v in axe_violations(self.axe, page)]
        self._pending = None
        assert not problems, f"{where}:\n  " + "\n  ".join(problems)

    def reload_until(self, ready, timeout=15.0):
        """Reload, as a person waiting for something would, until ``ready()``; then look once."""
        for _ in range(int(timeout / 0.25)):
            if ready():
                break
            self.page.wait_for_timeout(250)
            self._pending = None  # the same page, not yet what we came for
            self.page.reload()
        self()

    def seen_before(self):
        """The page now is one this journey looked at already (the same form again, with
        other input): no second look."""
        self._pending = None

    def every_page_looked_at(self):
        unlooked = self.unlooked + ([self._pending] if self._pending else [])
        assert not unlooked, f"pages visited but not checked with look(): {unlooked}"


def axe_violations(axe, page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    found = axe.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in found
        if v["impact"] in FAILING_IMPACTS
    ]
