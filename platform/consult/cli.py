"""`python run.py`: migrate, seed the demo into an empty database, serve; and admin commands."""
from __future__ import annotations

import argparse
import sys

from consult import migrate
from consult.db import Database
from consult.demo.activity import fill
from consult.demo.seed import join_links, seed
from consult.people import passwords
from consult.accounts.organisers import create_organiser
from consult.settings import Settings

DEMO_ORGANISER = ("organiser@example.org", "brussels-demo-2024")


def prepare(settings: Settings) -> Database:
    """Migrate, and seed the demo conference (with a demo organiser) when the database is empty."""
    db = Database(settings.database_url)
    migrate.upgrade(db.write_engine)
    seeded, _ = db.write(seed)
    if seeded:
        db.write(create_organiser, *DEMO_ORGANISER)
    return db


def serve(args) -> None:
    import uvicorn

    settings = Settings.from_env()
    if args.workers > 1 and not settings.broadcast_url.startswith("postgres"):
        sys.exit("error: several workers share room events through PostgreSQL: "
                 "set DATABASE_URL and BROADCAST_URL to a postgresql+psycopg:// URL")
    passwords.configure(settings.argon2_time_cost, settings.argon2_memory_kib)
    db = prepare(settings)
    base = f"http://{args.host}:{args.port}"
    links = db.read(join_links, base)
    db.dispose()
    print(f"\nConsult is serving the demo conference at {base}\n\nJoin links:")
    print("\n".join(links))
    print(f"\nOrganiser sign-in: {base}/organiser/login  as {DEMO_ORGANISER[0]} / {DEMO_ORGANISER[1]}"
          "\n(demo only; `python run.py create-organiser` adds real accounts)\n", flush=True)
    uvicorn.run("consult.app:create_app", factory=True, host=args.host, port=args.port,
                log_level=args.log_level, ws_per_message_deflate=False, workers=args.workers,
                # Open sockets must not hold a restart up: clients reconnect and catch up.
                timeout_graceful_shutdown=5)


def organiser(args) -> None:
    settings = Settings.from_env()
    passwords.configure(settings.argon2_time_cost, settings.argon2_memory_kib)
    db = Database(settings.database_url)
    migrate.upgrade(db.write_engine)
    created, _ = db.write(lambda s: create_organiser(s, args.email, args.password).email)
    print(f"Organiser {created} can now sign in.")


def demo_activity(args) -> None:
    settings = Settings.from_env()
    db = prepare(settings)
    (filled, left), _ = db.write(fill)
    print("The demo rooms now hold sample comments, amendments, votes and decisions." if filled and not left
          else f"Filled {', '.join(filled)}; left as they were: {', '.join(left)}." if filled
          else "The demo rooms already hold work; nothing was added.")


def export(args) -> None:
    import shutil

    from consult.export.service import record_download, xlsx
    from consult.people.actor import Actor
    settings = Settings.from_env()
    db = Database(settings.database_url)
    migrate.upgrade(db.write_engine)
    # The command line acts with an organiser's rights: whoever runs it holds the database.
    actor = Actor(organiser_id=0)
    path, name = db.snapshot(xlsx, actor, args.event)
    shutil.move(path, args.out)
    db.write(record_download, actor, slug=args.event, room_id=None, filename=name, via="cli")
    print(f"Wrote {args.out} ({name})")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="run.py", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--workers", type=int, default=1, help="processes (more than one needs PostgreSQL)")
    sub = parser.add_subparsers(dest="command")
    org = sub.add_parser("create-organiser", help="create an organiser (or reset their password)")
    org.add_argument("--email", required=True)
    org.add_argument("--password", required=True)
    exp = sub.add_parser("export", help="write the consultation workbook")
    exp.add_argument("--event", required=True)
    exp.add_argument("--out", required=True)
    sub.add_parser("demo-activity", help="fill the demo's parallel rooms with sample work to consolidate")
    args = parser.parse_args(argv)
    from consult.errors import DomainError
    try:
        {"create-organiser": organiser, "demo-activity": demo_activity, "export": export}.get(args.command, serve)(args)
    except DomainError as error:
        sys.exit(f"error: {error.detail}")
