"""Reset my bankroll data: a typed confirmation word, everything soft-deleted at once, undo for 24
hours (names taken meanwhile get "(restored)"), then purged for good by the scheduled job."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select, update

from app.data import export, reset
from app.models import BankrollDay, DataImport, DataReset, Flow, Holding, ToolUse, Transfer, User, utcnow
from tests.conftest import csrf_token, sign_up
from tests.test_import import build_account, normal, user_for


async def rows(sessionmaker, model, **where) -> int:
    async with sessionmaker() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return (await session.execute(query)).scalar_one()


async def snapshot(sessionmaker, user: User) -> dict:
    async with sessionmaker() as session:
        return normal(await export.document(session, await session.get(User, user.id)))


async def player_with_data(client, sessionmaker) -> User:
    user = await user_for(sessionmaker, await sign_up(client, currency="EUR"))
    await build_account(sessionmaker, user)
    return user


def reset_data(word: str = "RESET", key: str | None = None) -> dict[str, str]:
    return {"confirm": word, "request_key": key or str(uuid.uuid4())}


async def test_the_data_page_offers_an_export_before_the_reset(client, player):
    page = (await client.get("/data")).text
    assert '<form id="reset-form"' in page and "Type RESET to confirm" in page
    before_form = page.split('<form id="reset-form"')[0]
    assert "download your data as JSON</a>" in before_form.split("Reset my bankroll data")[-1]


async def test_a_wrong_word_is_refused_next_to_the_field_and_nothing_changes(client, post, sessionmaker):
    user = await player_with_data(client, sessionmaker)
    plain = await post.form("/data/reset", reset_data("reset please"))
    assert plain.status_code == 422 and "<html" in plain.text
    assert '<p class="error" id="e-confirm">Type RESET to confirm.</p>' in plain.text
    assert 'value="reset please"' in plain.text
    swapped = await post.htmx("/data/reset", reset_data(""), target="form#reset-form")
    assert swapped.status_code == 422 and swapped.text.lstrip().startswith('<form id="reset-form"')
    assert await rows(sessionmaker, Holding, user_id=user.id, deleted_at=None) == 3
    assert await rows(sessionmaker, DataReset) == 0


async def test_a_reset_sets_all_bankroll_data_aside_and_undo_brings_it_back(client, post, sessionmaker):
    user = await player_with_data(client, sessionmaker)
    before = await snapshot(sessionmaker, user)
    response = await post.form("/data/reset", reset_data("reset"))
    assert response.status_code == 303 and response.headers["location"] == "/data"
    page = (await client.get("/data")).text
    assert "Your bankroll data was reset. You can undo this for 24 hours." in page
    assert "0 sites and assets, 0 balance" in page and "Undo the reset" in page
    assert await rows(sessionmaker, Holding, user_id=user.id, deleted_at=None) == 0
    assert await rows(sessionmaker, Flow, user_id=user.id, deleted_at=None) == 0
    assert await rows(sessionmaker, Transfer, user_id=user.id, deleted_at=None) == 0
    assert await rows(sessionmaker, BankrollDay, user_id=user.id) == 0
    assert await rows(sessionmaker, ToolUse, user_id=user.id) == 1  # the account's own things stay
    assert "Welcome! Start with your first poker site" in (await client.get("/dashboard")).text
    [marker] = await all_resets(sessionmaker)
    undo = await post.htmx(f"/data/resets/{marker.id}/undo", target="#flash")
    assert undo.status_code == 204 and undo.headers["HX-Location"] == "/data"
    assert await snapshot(sessionmaker, user) == before
    assert await rows(sessionmaker, BankrollDay, user_id=user.id) > 0
    assert "Your bankroll data is back." in (await client.get("/data")).text
    again = await post.form(f"/data/resets/{marker.id}/undo")
    assert again.status_code == 303 and "already back" in (await client.get("/data")).text


async def all_resets(sessionmaker) -> list[DataReset]:
    async with sessionmaker() as session:
        return list((await session.execute(select(DataReset))).scalars())


async def test_undo_keeps_what_was_added_since_and_renames_a_taken_name(client, post, sessionmaker):
    user = await player_with_data(client, sessionmaker)
    await post.form("/data/reset", reset_data())
    async with sessionmaker() as session:
        session.add(Holding(user_id=user.id, kind="site", name="Stars", name_key="stars", currency="USD"))
        await session.commit()
    [marker] = await all_resets(sessionmaker)
    await post.form(f"/data/resets/{marker.id}/undo")
    names = await holding_names(sessionmaker, user)
    assert names == ["Cold", "GG", "Stars", "Stars (restored)"]
    assert "Renamed, as the name was taken meanwhile: Stars (restored)." in (await client.get("/data")).text


async def holding_names(sessionmaker, user: User) -> list[str]:
    async with sessionmaker() as session:
        query = select(Holding.name).where(Holding.user_id == user.id, Holding.deleted_at.is_(None))
        return sorted((await session.execute(query)).scalars())


async def test_a_double_submitted_reset_happens_once(client, post, sessionmaker):
    await player_with_data(client, sessionmaker)
    data = reset_data(key="same-key")
    await post.form("/data/reset", data)
    second = await post.htmx("/data/reset", data, target="form#reset-form")
    assert second.status_code == 204
    assert "Your data was already reset." in (await client.get("/data")).text
    assert await rows(sessionmaker, DataReset) == 1


async def test_another_players_reset_is_not_found(client, post, other_client, other_post, sessionmaker):
    await player_with_data(client, sessionmaker)
    await post.form("/data/reset", reset_data())
    [marker] = await all_resets(sessionmaker)
    await sign_up(other_client)
    assert (await other_post.form(f"/data/resets/{marker.id}/undo")).status_code == 404
    assert (await other_post.form("/data/resets/999999/undo")).status_code == 404


async def test_after_24_hours_undo_is_refused_and_the_job_purges_for_good(client, post, sessionmaker):
    user = await player_with_data(client, sessionmaker)
    async with sessionmaker() as session:
        session.add(
            Holding(
                user_id=user.id,
                kind="site",
                name="Deleted before",
                name_key="deleted before",
                currency="USD",
                deleted_at=utcnow() - timedelta(days=3),
            )
        )
        session.add(
            DataImport(user_id=user.id, format="json", payload="{}", created_at=utcnow() - timedelta(days=2))
        )
        session.add(DataImport(user_id=user.id, format="json", payload="{}"))
        await session.commit()
    await post.form("/data/reset", reset_data())
    [marker] = await all_resets(sessionmaker)
    async with sessionmaker() as session:
        old = marker.created_at - timedelta(hours=25)  # move the reset and what it marked a day back
        for model in (Holding, Flow, Transfer):
            await session.execute(
                update(model).where(model.deleted_at == marker.created_at).values(deleted_at=old)
            )
        await session.execute(update(DataReset).values(created_at=old))
        await session.commit()
    refused = await post.form(f"/data/resets/{marker.id}/undo")
    assert refused.status_code == 303
    assert "more than 24 hours old" in (await client.get("/data")).text
    assert await reset.purge_expired(sessionmaker) == 1
    assert await rows(sessionmaker, Holding, user_id=user.id) == 1  # only the one deleted on its own stays
    assert await rows(sessionmaker, Flow, user_id=user.id) == 0
    assert await rows(sessionmaker, Transfer, user_id=user.id) == 0
    assert await rows(sessionmaker, DataImport) == 1  # the unconfirmed import of two days ago is gone
    [marker] = await all_resets(sessionmaker)
    assert marker.purged_at is not None
    assert await reset.purge_expired(sessionmaker) == 0


async def test_a_reset_that_was_undone_is_never_purged(client, post, sessionmaker):
    user = await player_with_data(client, sessionmaker)
    await post.form("/data/reset", reset_data())
    [marker] = await all_resets(sessionmaker)
    await post.form(f"/data/resets/{marker.id}/undo")
    assert await reset.purge_expired(sessionmaker, now=utcnow() + timedelta(days=2)) == 0
    assert await rows(sessionmaker, Holding, user_id=user.id, deleted_at=None) == 3


async def test_reset_needs_a_csrf_token_and_a_login(client, sessionmaker):
    user = await player_with_data(client, sessionmaker)
    assert (await client.post("/data/reset", data={"confirm": "RESET"})).status_code == 403
    assert await rows(sessionmaker, Holding, user_id=user.id, deleted_at=None) == 3
    await client.post("/logout", data={"csrf_token": await csrf_token(client, "/data")})
    response = await client.post(
        "/data/reset", data={"csrf_token": await csrf_token(client, "/login"), "confirm": "RESET"}
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
