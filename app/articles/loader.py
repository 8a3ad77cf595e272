"""Articles from Markdown files: front matter, HTML sanitised with an allow-list, an idempotent load.

A file is `---` front matter (title, summary, tags, published) `---` then Markdown. Raw HTML in the
Markdown is parsed and then cleaned by nh3 (so allowed tags render, everything else is removed, and
nothing shows up as literal tags); links may only use http, https and mailto.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import nh3
from markdown_it import MarkdownIt
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from app.models import Article, utcnow
from app.settings import Settings

CONTENT_DIR = Path(__file__).parent / "content"  # inside app/, so the image ships it
WORDS_PER_MINUTE = 200
TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "a", "hr", "br", "sub", "sup", "b", "i",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "code": {"class"}}
SCHEMES = {"http", "https", "mailto"}
_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")
_SLUG_RE = re.compile(r"[^a-z0-9]+")


class ArticleError(ValueError):
    """A content file that cannot be loaded (the message names the file and the problem)."""


@dataclass
class Parsed:
    slug: str
    title: str
    summary: str
    tags: list[str]
    published: date
    body: str
    html: str
    minutes: int
    digest: str


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render(markdown: str) -> str:
    """Markdown to safe HTML; a heading 1 in the body becomes a 2 (the page's title is the h1)."""
    html = _markdown.render(markdown)
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return sanitise(html)


def slugify(text: str) -> str:
    return _SLUG_RE.sub("-", text.lower()).strip("-")[:100]


def reading_minutes(text: str) -> int:
    return max(1, math.ceil(len(text.split()) / WORDS_PER_MINUTE))


def parse(text: str, name: str) -> Parsed:
    if not text.startswith("---"):
        raise ArticleError(f"{name}: no front matter")
    try:
        _, head, body = text.split("---", 2)
    except ValueError as problem:
        raise ArticleError(f"{name}: front matter not closed") from problem
    meta: dict[str, str] = {}
    for line in head.strip().splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip().strip('"').strip("'")
    for key in ("title", "summary", "published"):
        if not meta.get(key):
            raise ArticleError(f"{name}: front matter needs {key}")
    try:
        published = date.fromisoformat(meta["published"])
    except ValueError as problem:
        raise ArticleError(f"{name}: published must be a date like 2026-11-22") from problem
    tags = [slugify(t) for t in meta.get("tags", "").strip("[]").split(",") if slugify(t)]
    body = body.strip()
    return Parsed(
        slug=slugify(meta.get("slug") or Path(name).stem),
        title=meta["title"][:200],
        summary=meta["summary"][:500],
        tags=tags,
        published=published,
        body=body,
        html=render(body),
        minutes=reading_minutes(body),
        digest=hashlib.sha256(text.encode()).hexdigest(),
    )


def read_all(folder: Path = CONTENT_DIR) -> list[Parsed]:
    return [parse(path.read_text(encoding="utf-8"), path.name) for path in sorted(folder.glob("*.md"))]


async def load(session: AsyncSession, folder: Path = CONTENT_DIR) -> tuple[int, int]:
    """Insert new articles and update changed ones (by slug and content hash); returns (added, updated).
    Running it twice changes nothing the second time. Articles whose file is gone are kept."""
    existing = {a.slug: a for a in (await session.execute(select(Article))).scalars().all()}
    added = updated = 0
    for item in read_all(folder):
        article = existing.get(item.slug)
        if article is not None and article.content_hash == item.digest:
            continue
        if article is None:
            article = Article(
                slug=item.slug,
                published=item.published,
                content_hash="",
                body_text="",
                body_html="",
                title="",
                summary="",
            )
            session.add(article)
            added += 1
        else:
            updated += 1
        article.title, article.summary, article.published = item.title, item.summary, item.published
        article.tags = "," + ",".join(item.tags) + ","
        article.body_text, article.body_html = item.body, item.html
        article.reading_minutes, article.content_hash, article.updated_at = (
            item.minutes,
            item.digest,
            utcnow(),
        )
    await session.commit()
    return added, updated


async def ensure_loaded(session: AsyncSession) -> None:
    """Zero set-up: load the articles the first time the table is found empty (one cheap query)."""
    if (await session.execute(select(Article.id).limit(1))).first() is None:
        try:
            await load(session)
        except IntegrityError:  # a concurrent request loaded them first
            await session.rollback()


async def _load_all(settings: Settings) -> tuple[int, int]:
    from app.db import create_engine, create_sessionmaker

    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            return await load(session)
    finally:
        await engine.dispose()


def main(settings: Settings) -> int:
    """`stakeeasy articles`: load the files, print what changed; 1 when a file is invalid."""
    try:
        added, updated = asyncio.run(_load_all(settings))
    except ArticleError as problem:
        print(f"Articles not loaded: {problem}")
        return 1
    print(f"Articles: {added} added, {updated} updated, the rest unchanged.")
    return 0
