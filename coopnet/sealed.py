"""Secrets kept at rest (a co-op's Stripe keys, a person's authenticator secret):
sealed with Fernet under a key per purpose.

The key for purpose ``dues`` is the ``DUES_ENCRYPTION_KEY`` setting, for ``two_factor``
``TWO_FACTOR_ENCRYPTION_KEY``; without it, one derived from SECRET_KEY and the purpose,
so the same secret never seals two purposes' data under one key."""

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def fernet(purpose: str) -> Fernet:
    name = f"{purpose.upper()}_ENCRYPTION_KEY"
    key = current_app.config.get(name) or os.environ.get(name)
    if not key:
        label = f"coopnet {purpose} keys\0".encode()
        digest = hashlib.sha256(label + current_app.config["SECRET_KEY"].encode()).digest()
        key = base64.urlsafe_b64encode(digest)
    return Fernet(key)


def seal(purpose: str, value: str) -> bytes:
    return fernet(purpose).encrypt(value.encode())


def unseal(purpose: str, token: bytes | None) -> str | None:
    """The value, or None when there is none or it was sealed under another key."""
    if token is None:
        return None
    try:
        return fernet(purpose).decrypt(bytes(token)).decode()
    except InvalidToken:
        return None
