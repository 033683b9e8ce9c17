"""Links in dues mail: a member's pay link and receipt link, signed so they work without
logging in, and made from BASE_URL so jobs can write them outside a request."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer


def _serializer(purpose):
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"coopnet-dues-{purpose}")


def token(purpose: str, tenant_id: int, record_id: int) -> str:
    return _serializer(purpose).dumps([tenant_id, record_id])


def read(purpose: str, value: str, tenant_id: int) -> int | None:
    """The record id in a link's token, or None when it is forged or for another tenant."""
    try:
        found_tenant, record_id = _serializer(purpose).loads(value)
    except (BadSignature, ValueError, TypeError):
        return None
    return record_id if found_tenant == tenant_id and isinstance(record_id, int) else None


def pay_link(tenant, member_id: int) -> str:
    return f"{current_app.config['BASE_URL']}/c/{tenant.slug}/dues/pay/{token('pay', tenant.id, member_id)}"


def receipt_link(tenant, payment_id: int) -> str:
    return f"{current_app.config['BASE_URL']}/c/{tenant.slug}/dues/receipts/{token('receipt', tenant.id, payment_id)}"
