"""Shared by the browser tests: rooms they use, and waiting for a page's socket."""
from __future__ import annotations

from playwright.sync_api import Page

# Two rooms of session 2 (platform/consult/demo/content.py); the socket tests use session 1's.
ROOM_E = "P5CQJ7"
ROOM_F = "T8GNX4"
# Session 1's rooms G and H are left to the workbench and console browser tests.
ROOM_G = "M3YRK9"
ROOM_H = "B6HSW2"
LIVE = "#live-status[data-state=live]"
TIMEOUT_MS = 10_000


def wait_live(page: Page) -> None:
    """Wait for the room socket to be live; on failure, say what the page showed instead."""
    try:
        page.wait_for_selector(LIVE)
    except Exception as error:
        status = page.evaluate("() => { const s = document.getElementById('live-status');"
                               " return s ? s.dataset.state + ': ' + s.textContent : 'no #live-status'; }")
        raise AssertionError(f"{page.url}: the socket never went live ({status}); "
                             f"page errors: {getattr(page, 'errors', [])}; sockets: {getattr(page, 'sockets', [])}") from error
