"""Exports that take a while: started by a request, written in a worker thread that reports
its progress here, looked at and downloaded by the person who started it alone."""
from __future__ import annotations

import datetime as dt
import secrets
import time

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from consult import clock
from consult.db import Database
from consult.errors import NotFound
from consult.export.models import ExportJob
from consult.i18n import _
from consult.people.actor import Actor

KEPT = dt.timedelta(hours=1)  # a written file waits this long for its download
# Far longer than the largest export takes (bench/export_bench.py: well under a minute): a job
# still unwritten after this lost its process, and its page stops waiting.
GIVEN_UP = dt.timedelta(minutes=10)
REPORT_SECONDS = 0.5


def owner(actor: Actor) -> str:
    return f"o:{actor.organiser_id}" if actor.participant_id is None else f"p:{actor.participant_id}"


def create(session: Session, actor: Actor) -> tuple[str, list[str]]:
    """A new job, and the files of the jobs let go meanwhile (for the caller to delete once
    this has committed)."""
    old = clock.now() - KEPT
    stale = list(session.scalars(select(ExportJob.path).where(ExportJob.created_at < old,
                                                              ExportJob.path.is_not(None))))
    session.execute(delete(ExportJob).where(ExportJob.created_at < old))
    job = ExportJob(id=secrets.token_hex(16), owner=owner(actor), created_at=clock.now())
    session.add(job)
    return job.id, stale


def look(session: Session, actor: Actor, job_id: str) -> ExportJob:
    job = session.get(ExportJob, job_id)
    if job is None or job.owner != owner(actor):
        raise NotFound(_("No such export: it may have expired. Start it again."))
    return job


def failed_or_lost(job: ExportJob) -> bool:
    return job.failed or (job.path is None and clock.now() - job.created_at > GIVEN_UP)


def progressed(session: Session, job_id: str, *, sheet: int, sheets: int, sheet_name: str, rows: int) -> None:
    session.execute(update(ExportJob).where(ExportJob.id == job_id)
                    .values(sheet=sheet, sheets=sheets, sheet_name=sheet_name[:80], rows=rows))


def finished(session: Session, job_id: str, *, path: str, filename: str) -> None:
    session.execute(update(ExportJob).where(ExportJob.id == job_id).values(path=path, filename=filename))


def failed(session: Session, job_id: str) -> None:
    session.execute(update(ExportJob).where(ExportJob.id == job_id).values(failed=True))


class Reporter:
    """What the worker thread writing the workbook calls as it goes (consult/workbook.py): at
    most one small write every REPORT_SECONDS, and one at each new sheet."""

    def __init__(self, db: Database, job_id: str):
        self.db, self.job_id = db, job_id
        self._at, self._sheet = 0.0, -1

    def __call__(self, sheet: int, sheets: int, name: str, rows: int) -> None:
        now = time.monotonic()
        if sheet == self._sheet and now - self._at < REPORT_SECONDS:
            return
        self._at, self._sheet = now, sheet
        self.db.write(progressed, self.job_id, sheet=sheet, sheets=sheets, sheet_name=name, rows=rows)
