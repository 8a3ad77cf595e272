"""Sign in with Google (OpenID Connect) and Facebook (OAuth 2), through authlib.

A provider is offered only when its client id and secret are configured. The first sign-in creates an
account; an identity whose e-mail address already has an account is connected only after the player
proves the account is theirs: by logging in with the password (in the same browser) or by opening a
link mailed to that address. Players connect and disconnect providers in Settings → Security, and can
never disconnect their last way in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from authlib.integrations.starlette_client import OAuth, OAuthError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app.auth import queries
from app.auth.login import DISABLED, go, start_pending, start_session
from app.email.sending import mailer
from app.models import User
from app.security import csrf, tokens
from app.security.ratelimit import client_ip, enforce
from app.settings import Settings
from app.templating import flash, render
from app.web import current_user, db, require_user, settings

NAMES = {"google": "Google", "facebook": "Facebook"}
PENDING_KEY = "oauth_link"  # an identity waiting for the password login that proves ownership
INTENT_KEY = "oauth_intent"
REREQUEST_KEY = "oauth_rerequest"  # the provider to ask again for the permissions the player declined


@dataclass(frozen=True)
class Identity:
    provider: str
    subject: str
    email: str | None
    email_verified: bool


def _registry(request: Request) -> OAuth:
    """One authlib registry per app, made on first use from the app's settings."""
    state = request.app.state
    if getattr(state, "oauth", None) is None:
        state.oauth = build_registry(state.settings)
    return state.oauth  # type: ignore[no-any-return]


def build_registry(config: Settings) -> OAuth:
    oauth = OAuth()
    if "google" in config.oauth_providers:
        oauth.register(
            "google",
            client_id=config.google_client_id,
            client_secret=config.google_client_secret,
            server_metadata_url=config.google_metadata_url,
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
        )
    if "facebook" in config.oauth_providers:
        graph = config.facebook_graph_url.rstrip("/") + "/"
        oauth.register(
            "facebook",
            client_id=config.facebook_client_id,
            client_secret=config.facebook_client_secret,
            authorize_url=config.facebook_dialog_url,
            access_token_url=graph + "oauth/access_token",
            api_base_url=graph,
            client_kwargs={"scope": "email public_profile"},
        )
    return oauth


def _provider(request: Request) -> str:
    provider = request.path_params["provider"]
    if provider not in settings(request).oauth_providers:
        raise HTTPException(404)
    return str(provider)


def _callback_url(request: Request, provider: str) -> str:
    return settings(request).base_url + request.app.url_path_for("finish_oauth", provider=provider)


async def start_oauth(request: Request) -> Response:
    provider = _provider(request)
    request.session[INTENT_KEY] = "login"
    client = _registry(request).create_client(provider)
    extra: dict[str, str] = {}
    if request.session.pop(REREQUEST_KEY, None) == provider == "facebook":
        # The player declined to share the e-mail address last time: Facebook asks again only when told to.
        extra["auth_type"] = "rerequest"
    return await client.authorize_redirect(request, _callback_url(request, provider), **extra)  # type: ignore[no-any-return]


async def link_oauth(request: Request) -> Response:
    await csrf.checked_form(request)
    provider = _provider(request)
    async with db(request) as session:
        user = await require_user(request, session)
    request.session[INTENT_KEY] = f"link:{user.id}"
    client = _registry(request).create_client(provider)
    return await client.authorize_redirect(request, _callback_url(request, provider))  # type: ignore[no-any-return]


async def _identity(request: Request, provider: str) -> Identity:
    client = _registry(request).create_client(provider)
    token = await client.authorize_access_token(request)
    if provider == "google":
        info: dict[str, Any] = token.get("userinfo") or {}
        verified = info.get("email_verified") in (True, "true")
        return Identity(provider, str(info["sub"]), _email(info.get("email")), verified)
    me = (await client.get("me", params={"fields": "id,email"}, token=token)).json()
    # Facebook sends only confirmed addresses, but says nothing about it: treat them as unverified.
    return Identity(provider, str(me["id"]), _email(me.get("email")), False)


def _email(value: object) -> str | None:
    return value.strip().lower()[:254] if isinstance(value, str) and "@" in value else None


def _problem(request: Request, message: str, status_code: int = 400) -> Response:
    return render(request, "auth/oauth_problem.html", {"message": message}, status_code=status_code)


async def finish_oauth(request: Request) -> Response:
    provider = _provider(request)
    await enforce(request, settings(request).login_ip_rate, "oauth", client_ip(request))
    intent = str(request.session.pop(INTENT_KEY, "login"))
    try:
        identity = await _identity(request, provider)
    except (OAuthError, KeyError, ValueError) as error:
        detail = getattr(error, "description", None) or "the answer could not be checked"
        return _problem(
            request, f"Signing in with {NAMES[provider]} did not work ({detail}). Please try again."
        )
    async with db(request) as session:
        if intent.startswith("link:"):
            return await _link_to_signed_in(request, session, identity, intent)
        linked = await queries.oauth_account(session, identity.provider, identity.subject)
        if linked is not None:
            user = await session.get(User, linked.user_id)
            if user is not None:
                return await _sign_in(request, session, user)
        if identity.email is None:
            request.session[REREQUEST_KEY] = provider
            return _problem(
                request,
                f"{NAMES[provider]} did not share your e-mail address, which your StakeEasy account needs. "
                f"Sign in with {NAMES[provider]} again and allow access to your e-mail address, "
                "or sign up with your e-mail address and a password.",
            )
        existing = await queries.user_by_email(session, identity.email)
        if existing is not None:
            return await _ask_for_proof(request, session, existing, identity)
        user = await queries.create_user(
            session, identity.email, "", "USD", "en_US", confirmed=identity.email_verified
        )
        if user is None or not await queries.link_oauth(
            session,
            user.id,
            provider,
            identity.subject,
            identity.email,  # type: ignore[arg-type]
        ):
            return _problem(request, "That account was just created elsewhere. Please try again.")
        flash(request, f"Welcome to StakeEasy! You signed up with {NAMES[provider]}.", "success")
        return await _sign_in(request, session, user)


async def _sign_in(request: Request, session: AsyncSession, user: User) -> Response:
    """A provider's word counts as the password: two-factor, when on, is still asked for."""
    if user.disabled_at is not None:
        return _problem(request, DISABLED, 403)
    await queries.record_login(session, user, signed_in=user.totp_enabled_at is None)
    if user.totp_enabled_at is not None:
        start_pending(request, user, False, "/dashboard")
        return RedirectResponse("/login/two-factor", status_code=303)
    flashes = request.session.get("flashes", [])
    start_session(request, user, remember=False)
    request.session["flashes"] = flashes
    return RedirectResponse("/dashboard", status_code=303)


async def _link_to_signed_in(
    request: Request, session: AsyncSession, identity: Identity, intent: str
) -> Response:
    user = await current_user(request, session)
    if user is None or intent != f"link:{user.id}":
        return _problem(request, "Log in first, then connect the provider from Settings → Security.")
    name = NAMES[identity.provider]
    linked = await queries.oauth_account(session, identity.provider, identity.subject)
    if linked is not None and linked.user_id != user.id:
        return _problem(request, f"That {name} account is already connected to another StakeEasy account.")
    if linked is None:
        await queries.unlink_oauth(session, user.id, identity.provider)  # type: ignore[arg-type]
        await queries.link_oauth(session, user.id, identity.provider, identity.subject, identity.email)  # type: ignore[arg-type]
    flash(request, f"{name} is connected: you can sign in with it now.", "success")
    return RedirectResponse("/settings/security", status_code=303)


async def _ask_for_proof(request: Request, session: AsyncSession, user: User, identity: Identity) -> Response:
    """Same address, not yet connected: connect only after a password login or the e-mailed link."""
    if user.disabled_at is not None:  # no link mailed to an account that cannot sign in anyway
        return _problem(request, DISABLED, 403)
    request.session[PENDING_KEY] = {
        "provider": identity.provider,
        "subject": identity.subject,
        "email": identity.email,
    }
    await enforce(request, settings(request).email_rate, "email", user.email)
    mail = mailer(request)
    token = tokens.make(
        settings(request).secret_key, "oauth-link", user.id, provider=identity.provider, sub=identity.subject
    )  # type: ignore[arg-type]
    await mail.send(
        session,
        to=user.email,
        subject=f"Connect {NAMES[identity.provider]} to your StakeEasy account",
        template="oauth_link",
        context={"link": mail.link(f"/auth/link/{token}"), "provider": NAMES[identity.provider]},
        user_id=user.id,
    )
    context = {"provider": NAMES[identity.provider], "email": user.email}
    return render(request, "auth/oauth_pending.html", context)


async def finish_pending_link(request: Request, session: AsyncSession, user: User) -> bool:
    """After a full login: connect the identity waiting in this browser, if it has this account's address."""
    pending = request.session.pop(PENDING_KEY, None)
    if not isinstance(pending, dict) or pending.get("email") != user.email:
        return False
    if await queries.oauth_account(session, str(pending["provider"]), str(pending["subject"])):
        return False
    return await queries.link_oauth(
        session,
        user.id,
        str(pending["provider"]),
        str(pending["subject"]),
        str(pending["email"]),  # type: ignore[arg-type]
    )


async def _linkable(session: AsyncSession, secret: str, raw: str) -> tuple[tokens.Token, User]:
    token = tokens.read(secret, "oauth-link", raw)
    user = await session.get(User, token.user_id)
    if user is None or user.disabled_at is not None:
        raise tokens.TokenError(tokens.INVALID)
    if await tokens.is_used(session, token):
        raise tokens.TokenError(tokens.USED)
    return token, user


async def show_oauth_link(request: Request) -> Response:
    async with db(request) as session:
        try:
            token, user = await _linkable(session, settings(request).secret_key, request.path_params["token"])
        except tokens.TokenError as error:
            return _problem(request, error.message)
    context = {
        "provider": NAMES.get(str(token.data.get("provider")), "?"),
        "email": user.email,
        "token": request.path_params["token"],
    }
    return render(request, "auth/oauth_link.html", context)


async def confirm_oauth_link(request: Request) -> Response:
    await csrf.checked_form(request)
    async with db(request) as session:
        try:
            token, user = await _linkable(session, settings(request).secret_key, request.path_params["token"])
            await tokens.use(session, token)
        except tokens.TokenError as error:
            return _problem(request, error.message)
        provider, subject = str(token.data["provider"]), str(token.data["sub"])
        if not await queries.link_oauth(session, user.id, provider, subject, user.email):  # type: ignore[arg-type]
            return _problem(request, "That account is already connected.")
    request.session.pop(PENDING_KEY, None)
    flash(request, f"{NAMES.get(provider, provider)} is connected. Sign in with it now.", "success")
    return go(request, "/login")


async def unlink_oauth(request: Request) -> Response:
    await csrf.checked_form(request)
    provider = request.path_params["provider"]
    async with db(request) as session:
        user = await require_user(request, session)
        linked = await queries.oauth_accounts(session, user.id)  # type: ignore[arg-type]
        if provider not in {account.provider for account in linked}:
            raise HTTPException(404)
        if len(linked) + (1 if user.password_hash else 0) <= 1:
            flash(request, "That is your only way in. Set a password first, then disconnect it.", "error")
            return go(request, "/settings/security")
        await queries.unlink_oauth(session, user.id, provider)  # type: ignore[arg-type]
    flash(request, f"{NAMES.get(provider, provider)} is disconnected.", "success")
    return go(request, "/settings/security")


routes = [
    Route("/auth/{provider}/login", start_oauth, methods=["GET"]),
    Route("/auth/{provider}/callback", finish_oauth, methods=["GET"]),
    Route("/auth/link/{token}", show_oauth_link, methods=["GET"]),
    Route("/auth/link/{token}", confirm_oauth_link, methods=["POST"]),
    Route("/settings/connections/{provider}/link", link_oauth, methods=["POST"]),
    Route("/settings/connections/{provider}/unlink", unlink_oauth, methods=["POST"]),
]
