"""Serve <slug>.<PLATFORM_DOMAIN>/x as /c/<slug>/x, so one set of routes covers both.

Log-in and log-out stay platform pages on a co-op's subdomain too, so a visitor
sent to log in there reaches a log-in page. A Host that is neither the domain, one
of its subdomains nor BASE_URL's host is answered 400 before the app sees it."""

from urllib.parse import urlsplit

APEX_ALIASES = {"www"}
# Paths a co-op subdomain serves as the platform's own, not the co-op's.
PLATFORM_PREFIXES = ("/c/", "/static/")
PLATFORM_PAGES = frozenset({"/login", "/logout"})


def trusted_hosts(domain, base_url):
    """The apex and every subdomain of ``domain``, and BASE_URL's host."""
    hosts = ["." + domain]
    base_host = urlsplit(base_url).hostname
    if base_host and base_host != domain and not base_host.endswith("." + domain):
        hosts.append(base_host)
    return hosts


class SubdomainToPath:
    def __init__(self, app, domain, base_url):
        self.app = app
        self.suffix = "." + domain.lower()
        self.hosts = trusted_hosts(domain.lower(), base_url)

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST", "").split(":", 1)[0].lower().rstrip(".")
        if not any(host == h.lstrip(".") or (h.startswith(".") and host.endswith(h)) for h in self.hosts):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"This site does not answer to that host name.\n"]
        if host.endswith(self.suffix):
            slug = host[: -len(self.suffix)]
            path = environ.get("PATH_INFO", "") or "/"
            prefix = f"/c/{slug}"
            if slug and "." not in slug and slug not in APEX_ALIASES and not _platform_path(path):
                environ["PATH_INFO"] = prefix + path
        return self.app(environ, start_response)


def _platform_path(path):
    return path.startswith(PLATFORM_PREFIXES) or path in PLATFORM_PAGES
