"""create_app(settings): routes, middleware, lifespan; nothing else."""
from __future__ import annotations

import contextlib
import gc
import logging

from sqlalchemy.exc import DataError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.routing import Mount, WebSocketRoute
from starlette.staticfiles import StaticFiles

from consult.amendments.routes import routes as amendment_routes
from consult.web.api_errors import domain_error, error_response
from consult.api.routes import routes as api_routes
from consult.audit.routes import routes as audit_routes
from consult.consolidation.routes import routes as consolidation_routes
from consult.contributions.routes import routes as contribution_routes
from consult.core import Core
from consult.engagement.routes import routes as engagement_routes
from consult.db import UNREACHABLE
from consult.errors import BadRequest, DomainError, Unavailable
from consult.export.routes import routes as export_routes
from consult.imports.routes import routes as import_routes
from consult.live.outlet import RawSocketSend
from consult.live.routes import page_stream
from consult.moderation.routes import routes as moderation_routes
from consult.organiser.routes import routes as organiser_routes
from consult.people import passwords
from consult.accounts.routes import routes as account_routes
from consult.steering.routes import routes as steering_routes
from consult.screens.routes import routes as screen_routes
from consult.settings import ROOT, Settings
from consult.synthesis.routes import routes as synthesis_routes
from consult.web.auth import ActorMiddleware
from consult.api.common import MAX_BODY
from consult.imports.routes import BODY_LIMIT as IMPORT_LIMIT
from consult.web.csrf import MAX_FORM_BYTES, CSRFMiddleware
from consult.web.headers import SecurityHeadersMiddleware
from consult.web.locale import LocaleMiddleware, Offered, routes as language_routes
from consult.web.limits import BodyLimitMiddleware, over
from consult.web.routing import SegmentRouter
from consult.web.sessions import ServerSessionMiddleware
from consult.web.forms import refused
from consult.web.templating import page
from consult.i18n import N_, _

log = logging.getLogger("consult")


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def on_domain_error(request: Request, error: DomainError):
    """Every refusal a route does not answer itself: JSON for the API, the page's flash area
    for htmx, a page of its own otherwise."""
    return domain_error(error) if _is_api(request) else refused(request, error)


async def on_unstorable(request: Request, error: Exception):
    """Text that no encoding or database column can hold (a lone surrogate, a NUL), found only
    where it is hashed or stored: bad input, answered as such, with nothing written."""
    return await on_domain_error(request, BadRequest(
        _("Some of the text sent cannot be stored (a lone surrogate or a NUL character); remove it and try again.")))


async def on_unreachable(request: Request, error: Exception):
    log.warning("database unreachable on %s: %s", request.url.path, error.__class__.__name__)
    return await on_domain_error(request, Unavailable())


# The router's own refusals, in the reader's words (Starlette's details are English).
HTTP_HEADINGS = {404: N_("There is no page at this address."),
                 405: N_("This page cannot be used that way: go back and use its buttons.")}


async def on_http_error(request: Request, error: HTTPException):
    if _is_api(request):
        return error_response(error.status_code, "http_error", str(error.detail))
    heading = _(HTTP_HEADINGS[error.status_code]) if error.status_code in HTTP_HEADINGS else str(error.detail)
    return page(request, "message.html", {"heading": heading, "message": "",
                                          "link": "/", "link_text": _("Back to the event")}, status=error.status_code)


async def on_crash(request: Request, error: Exception):
    log.exception("unhandled error on %s", request.url.path)
    if _is_api(request):
        return error_response(500, "internal", "Something went wrong on our side; nothing was saved.")
    return page(request, "message.html", {"heading": _("Something went wrong on our side"),
                                          "message": _("Nothing was saved. Try again in a moment."),
                                          "link": "/", "link_text": _("Back to the event")}, status=500)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    passwords.configure(settings.argon2_time_cost, settings.argon2_memory_kib)
    core = Core(settings)
    offered = Offered(core.db)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await core.broadcast.start()
        # What start-up built (modules, templates, mappers, the seed's leftovers) lives as
        # long as the process: frozen, the collector stops walking it every time the youngest
        # generation fills, which a replay of thousands of rows and a burst of posts do often.
        gc.collect()
        gc.freeze()
        # A message to a room allocates as it goes out; at the default threshold (700) the
        # young generation filled so often that full collections followed every few seconds,
        # each walking every open socket's objects: with 2,000 sockets, pauses of up to 200 ms
        # (bench/fanout_bench.py, N=2000: 5 full collections, 583 ms of pauses, none at 7,000).
        gc.set_threshold(7000, 10, 10)
        yield
        gc.unfreeze()
        await core.broadcast.stop()
        core.hub.close()
        core.db.dispose()

    routes = [
        *account_routes, *screen_routes, *steering_routes, *contribution_routes, *amendment_routes,
        *engagement_routes, *consolidation_routes, *organiser_routes, *moderation_routes, *audit_routes,
        *export_routes, *import_routes, *synthesis_routes, *language_routes,
        WebSocketRoute("/rooms/{room_id:id}/live", page_stream),
        *api_routes,
        Mount("/static", StaticFiles(directory=str(ROOT / "static")), name="static"),
    ]
    middleware = [
        # Outermost: keeps the server's own send for room sockets (live/outlet.py).
        Middleware(RawSocketSend),
        Middleware(SecurityHeadersMiddleware, https=settings.https),
        Middleware(BodyLimitMiddleware, default=MAX_FORM_BYTES,
                   limits={"/api/": (MAX_BODY, over(MAX_BODY)), "/organiser/import/": IMPORT_LIMIT}),
        # CSRF first: its token is in every page, the 503 one included when sessions cannot load.
        Middleware(CSRFMiddleware, secure=settings.https),
        Middleware(ServerSessionMiddleware, db=core.db, https=settings.https),
        Middleware(ActorMiddleware),
        Middleware(LocaleMiddleware, offered=offered),
    ]
    app = Starlette(middleware=middleware,
                    exception_handlers={DomainError: on_domain_error, HTTPException: on_http_error,
                                        UnicodeError: on_unstorable, DataError: on_unstorable,
                                        **dict.fromkeys(UNREACHABLE, on_unreachable),
                                        Exception: on_crash})
    # Starlette's router, finding a request's routes by its path's first segment (web/routing.py).
    app.router = SegmentRouter(routes, lifespan=lifespan)
    app.state.core = core
    app.state.offered_languages = offered
    return app
