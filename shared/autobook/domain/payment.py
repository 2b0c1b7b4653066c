"""Payment method -> e-conomic payment terms (and layout), detecting ids Dandomain has changed."""

import re

from pydantic import BaseModel, ConfigDict

from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.order import Order
from autobook.domain.shop import EconomicMapping, PaymentMapping


class PaymentChoice(BaseModel):
    model_config = ConfigDict(frozen=True)

    payment_terms_number: int
    layout_number: int
    mapping: PaymentMapping | None  # None when the shop's default terms were used


def _name_key(name: str) -> str:
    return re.sub(r"\s+", "", name).casefold()


def resolve_payment(order: Order, mapping: EconomicMapping) -> PaymentChoice:
    """Payment method ids are per Dandomain site: the order's site's methods decide."""
    method = order.payment
    methods = mapping.payment_methods_for(order.site_id)
    layout = mapping.layout_number_for(order.site_id)
    found = methods.get(method.method_id)
    if found is not None:
        return PaymentChoice(
            payment_terms_number=found.payment_terms_number,
            layout_number=found.layout_number or layout,
            mapping=found,
        )
    key = _name_key(method.name)
    renamed = [
        old_id for old_id, known in sorted(methods.items()) if key and _name_key(known.name) == key
    ]
    if renamed:
        old = ", ".join(str(i) for i in renamed)
        raise KnownError(
            ErrorCode.PAYMENT_METHOD_UNMAPPED,
            order_id=order.order_id,
            method_id=method.method_id,
            method_name=method.name,
            old_id=old,
            id_changed_da=(
                f" Dandomain har ændret id'et for '{method.name}' fra {old} til "
                f"{method.method_id}: flyt koblingen til det nye id."
            ),
            id_changed_en=(
                f" Dandomain changed the id of '{method.name}' from {old} to "
                f"{method.method_id}: move the mapping to the new id."
            ),
        )
    if mapping.default_payment_terms_number is not None:
        return PaymentChoice(
            payment_terms_number=mapping.default_payment_terms_number,
            layout_number=layout,
            mapping=None,
        )
    raise KnownError(
        ErrorCode.PAYMENT_METHOD_UNMAPPED,
        order_id=order.order_id,
        method_id=method.method_id,
        method_name=method.name,
    )
