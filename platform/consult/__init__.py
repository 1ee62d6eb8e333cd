"""Real-time workshop and consultation platform."""

# Before any route is built: every {x:int} path parameter is a bounded id (web/convertors.py).
from consult.web import convertors  # noqa: E402,F401
