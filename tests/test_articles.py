"""Articles: loading (idempotent), sanitising hostile Markdown, the list (search, tag, sort, pages, in
place with htmx), the article page, and "mark as read"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.articles import loader
from app.models import Article, ArticleRead
from tests.conftest import csrf_token

RESULTS = {"HX-Request": "true", "HX-Target": "#article-results"}
TITLE_RE = re.compile(r'<h3><a href="/articles/([a-z0-9-]+)">')


async def count(sessionmaker, model) -> int:
    async with sessionmaker() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


# ---- rendering and sanitising --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("<script>alert(1)</script>", ["<script", "alert(1)"]),
        ('<img src="x" onerror="alert(1)">', ["<img", "onerror"]),
        ("[click](javascript:alert(1))", ['href="javascript']),
        ('<a href="javascript:alert(1)">x</a>', ["javascript:"]),
        ('<a href="https://example.com" onclick="steal()">x</a>', ["onclick"]),
        ('<iframe src="https://evil.example"></iframe>', ["<iframe"]),
        ('<p style="position:fixed">x</p>', ["style="]),
        ("<svg><script>alert(1)</script></svg>", ["<svg", "<script"]),
        ('<form action="/settings/delete"><button>Win</button></form>', ["<form", "<button"]),
        ("<!-- secret --> visible", ["secret"]),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', ["data:"]),
        ("<object data=x></object><embed src=x><meta http-equiv=refresh>", ["<object", "<embed", "<meta"]),
    ],
)
def test_hostile_markdown_is_sanitised(markdown, forbidden):
    html = loader.render(markdown)
    for bad in forbidden:
        assert bad not in html


def test_tables_headings_lists_and_code_render_as_html_not_literal_tags():
    html = loader.render(
        "# Title\n\n## Part\n\n- one\n- two\n\n1. first\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "`x < y` and\n\n```\nif a < b:\n```\n\n**bold** [link](https://example.com)"
    )
    assert "<h2>Title</h2>" in html and "<h2>Part</h2>" in html  # the page's own title is the only h1
    assert "<ul>" in html and "<ol>" in html and "<table>" in html and "<td>1</td>" in html
    assert "<code>x &lt; y</code>" in html and "<pre><code>if a &lt; b:" in html
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer">link</a>' in html
    assert "&lt;table" not in html and "&lt;h2" not in html


def test_front_matter_is_required_and_checked():
    with pytest.raises(loader.ArticleError, match="no front matter"):
        loader.parse("# Just markdown", "x.md")
    with pytest.raises(loader.ArticleError, match="needs summary"):
        loader.parse("---\ntitle: T\npublished: 2026-01-01\n---\nbody", "x.md")
    with pytest.raises(loader.ArticleError, match="published must be a date"):
        loader.parse("---\ntitle: T\nsummary: S\npublished: soon\n---\nbody", "x.md")
    parsed = loader.parse(
        "---\ntitle: T\nsummary: S\ntags: [Cash Games, PLO]\npublished: 2026-01-01\n---\nword " * 1,
        "my-file.md",
    )
    assert parsed.slug == "my-file" and parsed.tags == ["cash-games", "plo"]


def test_there_are_at_least_eight_articles_and_they_all_load():
    articles = loader.read_all()
    assert len(articles) >= 10
    assert all(a.title and a.summary and a.html and a.minutes >= 1 for a in articles)


async def test_loading_is_idempotent_and_picks_up_changes(sessionmaker, tmp_path: Path):
    (tmp_path / "one.md").write_text(
        "---\ntitle: One\nsummary: S\npublished: 2026-01-01\n---\nHello", "utf-8"
    )
    async with sessionmaker() as session:
        assert await loader.load(session, tmp_path) == (1, 0)
        assert await loader.load(session, tmp_path) == (0, 0)
    (tmp_path / "one.md").write_text(
        "---\ntitle: One!\nsummary: S\npublished: 2026-01-01\n---\nHello", "utf-8"
    )
    async with sessionmaker() as session:
        assert await loader.load(session, tmp_path) == (0, 1)
        titles = (await session.execute(select(Article.title).where(Article.slug == "one"))).scalars().all()
    assert titles == ["One!"]


def test_the_articles_command_loads_the_files_once(tmp_path, monkeypatch, capsys):
    from app.cli import main, migrate
    from app.settings import Settings

    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    migrate(Settings(database_url=url))
    monkeypatch.setenv("DATABASE_URL", url)
    for expected in ("10 added, 0 updated", "0 added, 0 updated"):
        with pytest.raises(SystemExit) as stop:
            main(["articles"])
        assert stop.value.code == 0
        assert expected in capsys.readouterr().out


# ---- the list -------------------------------------------------------------------------------------


async def test_the_list_shows_the_newest_first_five_a_page_for_visitors(client):
    page = await client.get("/articles")
    assert page.status_code == 200
    assert "10 articles" in page.text
    slugs = TITLE_RE.findall(page.text)
    assert len(slugs) == 5 and slugs[0] == "rake-rakeback-and-bonuses"
    assert 'href="/articles?page=2"' in page.text


async def test_search_finds_articles_by_their_words_best_match_first(client):
    page = await client.get("/articles", params={"q": "risk of ruin"})
    slugs = TITLE_RE.findall(page.text)
    assert slugs and slugs[0] == "variance-and-risk-of-ruin"
    assert "for “risk of ruin”" in page.text
    nothing = await client.get("/articles", params={"q": "zzzqqq"})
    assert "No articles found" in nothing.text and not TITLE_RE.findall(nothing.text)


async def test_search_with_htmx_returns_only_the_results_region(client):
    response = await client.get("/articles", params={"q": "omaha"}, headers=RESULTS)
    assert response.status_code == 200
    assert response.text.startswith('<section id="article-results"')
    assert "HX-Request" in response.headers["Vary"]
    assert "spr-in-plo" in response.text


async def test_the_tag_filter_and_sorts_work_and_keep_the_other_filters_in_links(client):
    page = await client.get("/articles", params={"tag": "plo"})
    assert set(TITLE_RE.findall(page.text)) == {"spr-in-plo", "plo-starting-hand-classes"}
    page = await client.get("/articles", params={"sort": "title"})
    slugs = TITLE_RE.findall(page.text)
    assert slugs[0] == "bankroll-management-basics"
    page = await client.get("/articles", params={"sort": "oldest", "tag": "bankroll"})
    assert TITLE_RE.findall(page.text)[0] == "bankroll-management-basics"
    page = await client.get("/articles", params={"sort": "oldest", "page": "2"})
    assert 'href="/articles?sort=oldest"' in page.text  # back to page 1, sort kept
    assert len(TITLE_RE.findall(page.text)) == 5


async def test_odd_list_parameters_are_harmless(client):
    for params in ({"page": "-1"}, {"page": "999"}, {"sort": "drop table"}, {"tag": "<b>"}, {"q": "%_\\"}):
        response = await client.get("/articles", params=params)
        assert response.status_code == 200


# ---- the article page and "mark as read" ----------------------------------------------------------


async def test_an_article_shows_reading_time_and_previous_and_next(client):
    page = await client.get("/articles/spr-in-plo")
    assert page.status_code == 200
    assert "<h1>Stack-to-pot ratio (SPR) in Pot-Limit Omaha</h1>" in page.text
    assert "3 min read" in page.text
    assert 'href="/articles/variance-and-risk-of-ruin" rel="prev"' in page.text
    assert 'href="/articles/pot-odds-and-required-equity" rel="next"' in page.text
    assert "<table>" in page.text
    assert "Log in</a> to keep track" in page.text


async def test_an_unknown_article_is_not_found(client):
    assert (await client.get("/articles/no-such-thing")).status_code == 404


async def test_a_player_marks_an_article_read_once_plain_and_with_htmx(client, player, post, sessionmaker):
    await client.get("/articles")
    response = await post.htmx("/articles/spr-in-plo/read", {}, "#read-status")
    assert response.status_code == 200 and response.text.lstrip().startswith('<div id="read-status"')
    assert "Read ✓" in response.text
    assert "Achievement unlocked: Student of the game" in response.text  # the toast, out of band
    response = await post.form("/articles/spr-in-plo/read")
    assert response.status_code == 303 and response.headers["location"] == "/articles/spr-in-plo"
    assert await count(sessionmaker, ArticleRead) == 1
    page = await client.get("/articles/spr-in-plo")
    assert "Read ✓" in page.text and "Mark as read" not in page.text
    assert "Read ✓" in (await client.get("/articles", params={"tag": "plo"})).text


async def test_marking_read_needs_a_login_a_csrf_token_and_a_real_article(client):
    token = await csrf_token(client, "/articles/spr-in-plo")
    response = await client.post("/articles/spr-in-plo/read", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert (await client.post("/articles/spr-in-plo/read")).status_code == 403


async def test_marking_an_unknown_article_read_is_not_found(client, player, post):
    assert (await post.form("/articles/nope/read")).status_code == 404
