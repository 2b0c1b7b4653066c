"""Idempotency-Key values: stable per (shop, order, step, order version), so a retried write is
answered from e-conomic's cache, while a changed order (new version) gets a fresh key."""

import hashlib


def idempotency_key(shop_id: str, order_id: str, step: str, version: str = "") -> str:
    digest = hashlib.sha256(f"{shop_id}\x1f{order_id}\x1f{step}\x1f{version}".encode()).hexdigest()
    return f"autobook-{step}-{digest[:40]}"
