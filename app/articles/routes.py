"""Articles: the list (search, tag, sort, pages: in place with htmx, in the URL for sharing), an
article with reading time and previous/next, and "mark as read" (which feeds achievements)."""

from __future__ import annotations

from math import ceil
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app import htmx
from app.achievements import services as achievements
from app.articles import loader, queries
from app.security import csrf
from app.templating import render
from app.web import current_user, db, require_user

PER_PAGE = 5


def _filters(request: Request) -> dict[str, str]:
    params = request.query_params
    q = (params.get("q") or "").strip()[:100]
    tag = loader.slugify(params.get("tag") or "")
    sort = params.get("sort") or ""
    if sort not in queries.SORTS or (sort == "relevance" and not q):
        sort = "relevance" if q else "newest"
    page = params.get("page") or "1"
    return {"q": q, "tag": tag, "sort": sort, "page": page if page.isdigit() and int(page) > 0 else "1"}


async def list_articles(request: Request) -> Response:
    filters = _filters(request)
    async with db(request) as session:
        await loader.ensure_loaded(session)
        user = await current_user(request, session)
        page = int(filters["page"])
        found = await queries.search(session, filters["q"], filters["tag"], filters["sort"], page, PER_PAGE)
        tags = await queries.all_tags(session)
        read = await queries.read_ids(session, user.id) if user and user.id else set()
        if user is not None and not htmx.is_partial(request):
            await achievements.sync(session, user, request)
    pages = max(1, ceil(found.total / PER_PAGE))

    def url(**changes: str | int) -> str:
        merged = {**filters, **{k: str(v) for k, v in changes.items()}}
        if merged["page"] == "1":
            del merged["page"]
        if merged["sort"] == ("relevance" if merged["q"] else "newest"):
            del merged["sort"]
        query = urlencode({k: v for k, v in merged.items() if v})
        return str(request.app.url_path_for("list_articles")) + (f"?{query}" if query else "")

    context = {
        "filters": filters,
        "found": found,
        "tags": tags,
        "sorts": [(k, v) for k, v in queries.SORTS.items() if k != "relevance" or filters["q"]],
        "page": page,
        "pages": pages,
        "url": url,
        "read": read,
    }
    return render(request, "articles/list.html", context, block=htmx.block_for(request, "article_results"))


async def show_article(request: Request) -> Response:
    async with db(request) as session:
        await loader.ensure_loaded(session)
        user = await current_user(request, session)
        article = await queries.by_slug(session, request.path_params["slug"])
        if article is None:
            raise HTTPException(404)
        older, newer = await queries.neighbours(session, article)
        read = bool(user and user.id and article.id and await queries.is_read(session, user.id, article.id))
        if user is not None:
            await achievements.sync(session, user, request)
    context = {"article": article, "older": older, "newer": newer, "is_read": read}
    return render(request, "articles/show.html", context)


async def mark_article_read(request: Request) -> Response:
    await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        article = await queries.by_slug(session, request.path_params["slug"])
        if article is None or article.id is None or user.id is None:
            raise HTTPException(404)
        await queries.mark_read(session, user.id, article.id)
        await achievements.sync(session, user, request)
    if not htmx.is_htmx(request):
        path = request.app.url_path_for("show_article", slug=article.slug)
        return RedirectResponse(str(path), status_code=303)
    return render(request, "articles/show.html", {"article": article, "is_read": True}, block="read_status")


routes = [
    Route("/articles", list_articles, methods=["GET"]),
    Route("/articles/{slug:str}", show_article, methods=["GET"]),
    Route("/articles/{slug:str}/read", mark_article_read, methods=["POST"]),
]
