"""Downloads: the workbook and each table as CSV, built in a worker thread so that live rooms
keep flowing while a large export is written."""
from __future__ import annotations

import os

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Route

from consult.export import service

MEDIA = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".csv": "text/csv; charset=utf-8"}


async def download(request: Request, build, *args):
    core = request.app.state.core
    actor = request.state.actor
    path, filename = await run_in_threadpool(core.db.snapshot, build, actor, *args)
    slug = request.path_params.get("slug")
    await core.write(service.record_download, actor, slug=slug, room_id=request.path_params.get("room_id"),
                     filename=filename,
                     hidden=_hidden(request))
    return file_response(path, filename)


def file_response(path: str, filename: str) -> FileResponse:
    return FileResponse(path, filename=filename, media_type=MEDIA[os.path.splitext(filename)[1]],
                        background=BackgroundTask(os.unlink, path))


def _hidden(request: Request) -> bool:
    """?hidden=1: include moderated content, marked as such."""
    return request.query_params.get("hidden") == "1"


async def event_xlsx(request: Request):
    return await download(request, service.xlsx, request.path_params["slug"], None, _hidden(request))


async def event_csv(request: Request):
    return await download(request, service.csv, request.path_params["table"], request.path_params["slug"], None,
                          _hidden(request))


async def room_xlsx(request: Request):
    return await download(request, service.xlsx, None, request.path_params["room_id"], _hidden(request))


async def room_csv(request: Request):
    return await download(request, service.csv, request.path_params["table"], None, request.path_params["room_id"],
                          _hidden(request))


routes = [
    Route("/e/{slug}/export.xlsx", event_xlsx),
    Route("/e/{slug}/export/{table}.csv", event_csv),
    Route("/rooms/{room_id:id}/export.xlsx", room_xlsx),
    Route("/rooms/{room_id:id}/export/{table}.csv", room_csv),
]
