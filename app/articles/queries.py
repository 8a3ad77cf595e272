"""All SQL for articles: search (PostgreSQL full-text with ranking, LIKE on SQLite), tags, reads."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from app.models import Article, ArticleRead, utcnow

A = Article.__table__.c  # type: ignore[attr-defined]
R = ArticleRead.__table__.c  # type: ignore[attr-defined]
SORTS = {
    "relevance": "Best match",
    "newest": "Newest",
    "oldest": "Oldest",
    "updated": "Recently updated",
    "title": "Title",
}


@dataclass
class Page:
    articles: list[Article]
    total: int


_WEIGHT: dict[str, sa.ColumnClause[str]] = {
    w: sa.literal_column(f"'{w}'") for w in "ABC"
}  # setweight takes a "char", not a varchar


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "postgresql"


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search(session: AsyncSession, q: str, tag: str, sort: str, page: int, per_page: int) -> Page:
    conditions: list[sa.ColumnElement[bool]] = []
    rank: sa.ColumnElement | None = None  # type: ignore[type-arg]
    if tag:
        conditions.append(A.tags.like(f"%,{_escape(tag)},%", escape="\\"))
    if q and _dialect(session) == "postgresql":
        document = (
            sa.func.setweight(sa.func.to_tsvector("english", A.title), _WEIGHT["A"])
            .op("||")(sa.func.setweight(sa.func.to_tsvector("english", A.summary), _WEIGHT["B"]))
            .op("||")(sa.func.setweight(sa.func.to_tsvector("english", A.tags), _WEIGHT["B"]))
            .op("||")(sa.func.setweight(sa.func.to_tsvector("english", A.body_text), _WEIGHT["C"]))
        )
        query = sa.func.websearch_to_tsquery("english", q)
        conditions.append(document.op("@@")(query))
        rank = sa.func.ts_rank(document, query)
    elif q:
        score = []
        for word in q.split()[:8]:
            pattern = f"%{_escape(word)}%"
            hits = [
                column.ilike(pattern, escape="\\") for column in (A.title, A.summary, A.tags, A.body_text)
            ]
            conditions.append(sa.or_(*hits))
            score.append(sa.case((A.title.ilike(pattern, escape="\\"), 3), else_=0))
            score.append(sa.case((A.summary.ilike(pattern, escape="\\"), 2), else_=0))
        rank = sum(score[1:], score[0])  # type: ignore[arg-type]
    order = {
        "newest": [A.published.desc(), A.id.desc()],
        "oldest": [A.published.asc(), A.id.asc()],
        "updated": [A.updated_at.desc(), A.id.desc()],
        "title": [A.title.asc(), A.id.asc()],
    }.get(sort)
    if order is None:  # relevance
        order = ([rank.desc()] if rank is not None else []) + [A.published.desc(), A.id.desc()]
    total = (
        await session.execute(sa.select(sa.func.count()).select_from(Article).where(*conditions))
    ).scalar_one()
    rows = await session.execute(
        select(Article).where(*conditions).order_by(*order).limit(per_page).offset((page - 1) * per_page)
    )
    return Page(list(rows.scalars().all()), total)


async def all_tags(session: AsyncSession) -> list[str]:
    tags: set[str] = set()
    for value in (await session.execute(sa.select(A.tags))).scalars():
        tags.update(t for t in value.split(",") if t)
    return sorted(tags)


async def by_slug(session: AsyncSession, slug: str) -> Article | None:
    return (await session.execute(select(Article).where(Article.slug == slug))).scalars().first()


async def neighbours(session: AsyncSession, article: Article) -> tuple[Article | None, Article | None]:
    """The previous (older) and next (newer) article by publication date."""
    key = sa.tuple_(A.published, A.id)
    here = sa.tuple_(sa.literal(article.published), sa.literal(article.id))
    older = select(Article).where(key < here).order_by(A.published.desc(), A.id.desc()).limit(1)
    newer = select(Article).where(key > here).order_by(A.published.asc(), A.id.asc()).limit(1)
    return (
        (await session.execute(older)).scalars().first(),
        (await session.execute(newer)).scalars().first(),
    )


async def is_read(session: AsyncSession, user_id: int, article_id: int) -> bool:
    query = sa.select(R.read_at).where(R.user_id == user_id, R.article_id == article_id)
    return (await session.execute(query)).first() is not None


async def read_ids(session: AsyncSession, user_id: int) -> set[int]:
    return set((await session.execute(sa.select(R.article_id).where(R.user_id == user_id))).scalars().all())


async def mark_read(session: AsyncSession, user_id: int, article_id: int) -> None:
    """Record a read once (an upsert that keeps the first read's time)."""
    insert = sqlite_insert if _dialect(session) == "sqlite" else pg_insert
    statement = insert(ArticleRead).values(user_id=user_id, article_id=article_id, read_at=utcnow())
    await session.execute(statement.on_conflict_do_nothing(index_elements=["user_id", "article_id"]))
    await session.commit()
