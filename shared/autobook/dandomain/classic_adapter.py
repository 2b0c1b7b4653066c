"""Classic WEBAPI v1 wire order -> the platform-neutral domain `Order`.

The adapter boundary: everything Classic-specific (camelCase names, `/Date()/` dates, VAT rates
as strings, `""` customer ids, a delivery block that is empty when the buyer's address is used)
ends here. A second source (Dandomain Webshop / HostedShop) gets its own wire model + adapter
producing the same `Order`.
"""

import html
from typing import Any

from autobook.dandomain.classic_model import ClassicFee, ClassicOrder, ClassicParty
from autobook.domain.order import Fee, Order, OrderLine, OrderState, Party


def _clean(text: str) -> str:
    # Classic text fields carry HTML entities (&aring;); e-conomic wants the characters.
    return html.unescape(text).strip()


def _party(p: ClassicParty) -> Party:
    return Party(
        name=_clean(p.name),
        attention=_clean(p.attention),
        address=_clean(p.address),
        address2=_clean(p.address2),
        zip_code=_clean(p.zip_code),
        city=_clean(p.city),
        country=_clean(p.country),
        country_id=p.country_id or None,  # 0 = none
        email=p.email.strip(),
        phone=p.phone.strip(),
        ean=p.ean.strip(),
        cvr=p.cvr.strip(),
    )


def _fee(f: ClassicFee) -> Fee:
    return Fee(method_id=f.id, name=_clean(f.name), amount=f.fee, flag_incl_vat=f.fee_incl_vat)


def to_domain(wire: ClassicOrder) -> Order:
    created = wire.created_date
    if created is None:
        raise ValueError(f"order {wire.id} has no createdDate")
    delivery = wire.delivery_info
    state = wire.order_state
    return Order(
        order_id=str(wire.id),
        created_at=created,
        modified_at=wire.modified_date or created,
        state=OrderState(
            id=state.id if state else 0,
            name=state.name if state else "",
            excluded_from_statistics=state.excl_statistics if state else False,
        ),
        incomplete=wire.incomplete,
        site_id=wire.site_id,
        currency=wire.currency_code.strip().upper() or "DKK",
        total_gross=wire.total_price,
        vat_percent=wire.vat_pct,
        vat_reg_number=wire.vat_reg_number.strip(),
        customer_id=wire.customer_info.id.strip(),
        customer=_party(wire.customer_info),
        delivery=_party(delivery) if delivery and _has_address(delivery) else None,
        payment=_fee(wire.payment_info),
        shipping=_fee(wire.shipping_info),
        sales_discount=wire.sales_discount,
        gift_certificate_amount=wire.gift_certificate_amount,
        gift_certificate_number=wire.gift_certificate_number.strip(),
        customer_comment=_clean(wire.customer_comment),
        reference_number=wire.reference_number.strip(),
        transaction_number=wire.transaction_number.strip(),
        lines=tuple(
            OrderLine(
                line_id=line.id,
                sku=line.product_id.strip(),
                name=_clean(line.product_name),
                variant=_clean(line.variant),
                quantity=line.quantity,
                unit_net_price=line.unit_price,
                vat_percent=line.vat_pct,
            )
            for line in wire.order_lines
        ),
    )


def _has_address(party: ClassicParty) -> bool:
    return bool(party.address.strip() or party.address2.strip() or party.city.strip())


def parse_classic_order(data: dict[str, Any]) -> Order:
    """A Classic v1 order JSON document (as `OrderService/{key}/{id}` answers) -> `Order`."""
    return to_domain(ClassicOrder.model_validate(data))
