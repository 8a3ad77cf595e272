"""The installable app: web app manifest, service worker, offline page."""
