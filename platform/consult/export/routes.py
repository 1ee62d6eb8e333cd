"""Downloads: the workbook and each table as CSV, built in a worker thread so that live rooms
keep flowing while a large export is written.

From a page (htmx), the workbook is an export job instead: if it is written within
WAIT_SECONDS it downloads at once; if not, the page shows a progress bar, fed by the worker
thread (export/jobs.py) and looked at every half second, until the file downloads
(static/js/app.js, data-download). Without
scripts, the plain links download as before."""
from __future__ import annotations

import asyncio
import logging
import os

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Route

from consult.errors import NotFound
from consult.export import jobs, service
from consult.i18n import _
from consult.web.templating import page

WAIT_SECONDS = 2.0
logger = logging.getLogger("consult.export")
# Jobs still being written: a task nothing refers to may be collected before it finishes.
_running: set[asyncio.Task] = set()

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


async def start_event_job(request: Request):
    return await _start(request, request.path_params["slug"], None)


async def start_room_job(request: Request):
    return await _start(request, None, request.path_params["room_id"])


async def _start(request: Request, slug: str | None, room_id: int | None):
    core, actor, hidden = request.app.state.core, request.state.actor, _hidden(request)
    await core.read(service.check_export, actor, slug, room_id)   # refused before anything starts
    job_id, stale = await core.write(jobs.create, actor)
    for path in stale:
        if os.path.exists(path):
            os.unlink(path)
    task = asyncio.create_task(run_in_threadpool(_write_job, core, actor, job_id, slug, room_id, hidden))
    _running.add(task)
    task.add_done_callback(_running.discard)
    await asyncio.wait({task}, timeout=WAIT_SECONDS)
    return await _shown(request, job_id)


def _write_job(core, actor, job_id: str, slug: str | None, room_id: int | None, hidden: bool) -> None:
    """In a worker thread: the workbook from one snapshot, its progress reported as it goes."""
    try:
        path, filename = core.db.snapshot(service.xlsx, actor, slug, room_id, hidden, jobs.Reporter(core.db, job_id))
        core.db.write(service.record_download, actor, slug=slug, room_id=room_id, filename=filename, hidden=hidden)
        core.db.write(jobs.finished, job_id, path=path, filename=filename)
    except Exception:
        logger.exception("export %s failed", job_id)
        core.db.write(jobs.failed, job_id)


async def job_status(request: Request):
    return await _shown(request, request.path_params["job_id"])


async def _shown(request: Request, job_id: str):
    job = await request.app.state.core.read(jobs.look, request.state.actor, job_id)
    # Once written, the fragment that replaces the bar (and so stops its polling) names the
    # file, and the page's script sends the browser to it: it downloads, the page stays. (An
    # HX-Redirect would leave the polling bar in place, and download again every half second.)
    return page(request, "export/_progress.html", {"job": job, "failed": jobs.failed_or_lost(job)})


async def job_file(request: Request):
    job = await request.app.state.core.read(jobs.look, request.state.actor, request.path_params["job_id"])
    if not job.path or not os.path.exists(job.path):
        raise NotFound(_("That export is not written yet, or has expired."))
    # Kept for a second download until the job expires (export/jobs.py, KEPT).
    return FileResponse(job.path, filename=job.filename, media_type=MEDIA[os.path.splitext(job.filename)[1]])


routes = [
    Route("/e/{slug}/exports", start_event_job, methods=["POST"]),
    Route("/rooms/{room_id:id}/exports", start_room_job, methods=["POST"]),
    Route("/exports/{job_id}", job_status),
    Route("/exports/{job_id}/file", job_file),
    Route("/e/{slug}/export.xlsx", event_xlsx),
    Route("/e/{slug}/export/{table}.csv", event_csv),
    Route("/rooms/{room_id:id}/export.xlsx", room_xlsx),
    Route("/rooms/{room_id:id}/export/{table}.csv", room_csv),
]
