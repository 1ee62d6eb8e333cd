"""Real-time workshop and consultation platform."""

# Our routes write path ids as {x:id} (web/convertors.py); Starlette reads its convertor table
# when a Route is built, at import, so the name is added before any route module loads.
from consult.web import convertors  # noqa: E402

convertors.register()
