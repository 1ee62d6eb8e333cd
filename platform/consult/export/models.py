"""An export being written in a worker thread: how far it has got, and the file once written.
A row, not process memory: with several worker processes, whichever answers the page's next
look at it reads the same progress."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base


class ExportJob(Base):
    __tablename__ = "export_jobs"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)  # unguessable: it is in the page
    owner: Mapped[str] = mapped_column(sa.String(40))  # "o:<id>" or "p:<id>": only they see it
    sheet: Mapped[int] = mapped_column(default=0)  # sheets begun
    sheets: Mapped[int] = mapped_column(default=0)
    sheet_name: Mapped[str] = mapped_column(sa.String(80), default="")  # English; shown translated
    rows: Mapped[int] = mapped_column(default=0)  # rows written in that sheet
    path: Mapped[str | None] = mapped_column(sa.String(400))
    filename: Mapped[str | None] = mapped_column(sa.String(200))
    failed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(index=True)
