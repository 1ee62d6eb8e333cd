"""Reading base documents."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from consult.documents.models import Document, Section


def section_view(section: Section) -> dict:
    return {
        "id": section.id,
        "title": section.title,
        "number": section.position + 1,
        "paragraphs": [
            {"id": p.id, "number": f"{section.position + 1}.{p.position + 1}", "text": p.text}
            for p in section.paragraphs
        ],
    }


def list_documents(session: Session, event_id: int) -> list[dict]:
    documents = session.scalars(
        select(Document).where(Document.event_id == event_id).order_by(Document.position)
        .options(selectinload(Document.sections).selectinload(Section.paragraphs))
    )
    return [
        {"id": d.id, "kind": d.kind, "title": d.title, "sections": [section_view(s) for s in d.sections]}
        for d in documents
    ]
