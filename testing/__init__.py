"""Test support for every app's tests (helpers.py); not an installed app, not used by the site."""
