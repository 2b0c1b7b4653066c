"""An order's version: a digest of everything that ends up on the invoice. A changed order gets
a new version, hence a new Idempotency-Key, and is recognised as changed after booking."""

import hashlib

from autobook.domain.order import Order

_INVOICE_FIELDS = {
    "currency",
    "total_gross",
    "vat_percent",
    "vat_reg_number",
    "customer",
    "delivery",
    "payment",
    "shipping",
    "sales_discount",
    "gift_certificate_amount",
    "lines",
}


def order_version(order: Order) -> str:
    canonical = order.model_dump_json(include=_INVOICE_FIELDS)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
