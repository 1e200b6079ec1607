"""Printable pages for routes marked `html: <template>` in api_spec.yaml: when the client
prefers text/html to application/json (its Accept header), the generated path operation
renders app/templates/<template>.html from the very JSON the route would have answered, with
Starlette's Jinja2Templates (autoescape on: every value from the database is escaped). Both
answers carry `Vary: Accept`, so a cache keeps them apart.

Starlette and FastAPI have no content negotiation, so `quality` reads the Accept header's
q-values itself: the few lines of RFC 9110 one header needs, rather than a framework
(werkzeug's MIMEAccept) added as a dependency for them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
VARY = {"Vary": "Accept"}
templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
)


def rupees(paise: int) -> str:
    """Paise as rupees for people: 239800 -> 2,398.00 (money stays paise everywhere else)."""
    return f"{paise // 100:,}.{paise % 100:02d}"


templates.env.filters["rupees"] = rupees


def quality(accept: str, media_type: str) -> float:
    """The q a client's Accept gives a media type: that of the most specific range matching it
    (type/subtype, then type/*, then */*), 0 when none does (RFC 9110, section 12.5.1)."""
    kind = media_type.split("/")[0]
    best: tuple[int, float] = (-1, 0.0)
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media_range = fields[0].lower()
        specificity = {media_type: 2, f"{kind}/*": 1, "*/*": 0}.get(media_range)
        if specificity is None or specificity < best[0]:
            continue
        q = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        best = (specificity, q)
    return best[1]


def prefers_html(request: Request) -> bool:
    """True when the Accept header ranks text/html above application/json; a tie, no Accept
    header or */* alone keep JSON."""
    accept = request.headers.get("accept", "")
    return quality(accept, "text/html") > quality(accept, "application/json")


def render_html(
    request: Request, template: str, context: dict[str, Any], status: int
) -> HTMLResponse:
    """The page app/templates/<template>.html made from the route's JSON (as `data`)."""
    return templates.TemplateResponse(
        request, f"{template}.html", {"data": context}, status_code=status, headers=VARY
    )
