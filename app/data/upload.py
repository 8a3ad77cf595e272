"""Reading an uploaded file: a multipart form with one file, its CSRF token checked like every POST.

app.security.csrf.checked_form refuses files (max_files=0), so imports read their form here, with the
same token check and the same per-player POST ceiling. The body as a whole is capped by
BodyLimitMiddleware (MAX_BODY_BYTES, and for /data/import a limit just above IMPORT_MAX_BYTES); the file
itself by IMPORT_MAX_BYTES.
"""

from __future__ import annotations

import hmac
import os

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from app.security import csrf
from app.security.ratelimit import client_ip, enforce

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # a five-year heavy account exports to a few MB


class FileProblem(Exception):
    """The upload can't be used: str(e) says why; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


def max_bytes() -> int:
    return int(os.environ.get("IMPORT_MAX_BYTES") or DEFAULT_MAX_BYTES)


async def checked_upload(request: Request) -> FormData:
    """The submitted multipart (or plain) form after the CSRF check; 403 without a good token."""
    form = await request.form(max_files=1, max_fields=40)
    sent = request.headers.get(csrf.HEADER) or form.get(csrf.FIELD) or ""
    expected = request.session.get(csrf.SESSION_KEY) if "session" in request.scope else None
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "This form has expired. Reload the page and try again.")
    uid = request.session.get("uid")
    key = ("user", str(uid)) if isinstance(uid, int) else ("ip", client_ip(request))
    rate = request.app.state.settings.post_rate
    await enforce(request, rate, "post", *key, detail="You are going too fast. Wait a minute and try again.")
    return form


async def file_bytes(form: FormData, name: str = "file") -> tuple[str, bytes]:
    """The uploaded file's name and content; FileProblem when there is none, it is empty or too big."""
    upload = form.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise FileProblem("Choose a file to import.")
    limit = max_bytes()
    content = await upload.read(limit + 1)
    if len(content) > limit:
        raise FileProblem(
            f"That file is larger than {limit // 1024} KB, more than StakeEasy imports at once.", 413
        )
    if not content.strip():
        raise FileProblem("That file is empty.")
    return upload.filename[:200], content
