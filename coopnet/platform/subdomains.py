"""Serve <slug>.<PLATFORM_DOMAIN>/x as /c/<slug>/x, so one set of routes covers both."""

APEX_ALIASES = {"www"}


class SubdomainToPath:
    def __init__(self, app, domain):
        self.app = app
        self.suffix = "." + domain.lower()

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST", "").split(":", 1)[0].lower().rstrip(".")
        if host.endswith(self.suffix):
            slug = host[: -len(self.suffix)]
            path = environ.get("PATH_INFO", "") or "/"
            prefix = f"/c/{slug}"
            if slug and "." not in slug and slug not in APEX_ALIASES and not path.startswith(("/c/", "/static/")):
                environ["PATH_INFO"] = prefix + path
        return self.app(environ, start_response)
