"""Journeys in a real browser (Debian Chromium through Playwright) against coopnet under gunicorn."""
