"""The screens' routes."""
from __future__ import annotations

from starlette.routing import Route

from consult.screens import dashboard, home, room, workbench

routes = [
    Route("/", home.index),
    Route("/e/{slug}", home.event_home),
    Route("/privacy", home.privacy),
    Route("/rooms/{room_id:id}", room.room_page),
    Route("/rooms/{room_id:id}/projector", room.projector),
    Route("/rooms/{room_id:id}/workbench", workbench.workbench),
    Route("/rooms/{room_id:id}/polls", workbench.ask_poll, methods=["POST"]),
    Route("/organiser", dashboard.home),
]
