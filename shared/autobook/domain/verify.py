"""After the draft is created: does e-conomic's own total equal the shop's? If not, say why.

The usual cause is a product whose product group has another VAT code than the shop charged
(a VAT-free group for a 25 % line, or the reverse), or a customer price/discount rule that
changed a line's net price.
"""

from collections.abc import Sequence
from decimal import Decimal
from itertools import combinations

from autobook.domain.books import BookedLine, EconomicInvoice
from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.mapped import MappedInvoice
from autobook.domain.money import ZERO
from autobook.domain.pricing import PricedLine

_MAX_SUBSET = 3


def _names(lines: Sequence[PricedLine]) -> str:
    seen: list[str] = []
    for line in lines:
        if line.product_number not in seen:
            seen.append(line.product_number)
    return ", ".join(seen)


def _vat_free_by_line(
    mapped: MappedInvoice, lines: Sequence[BookedLine]
) -> tuple[list[PricedLine], list[PricedLine]]:
    """(lines e-conomic gave no VAT though we expected some, lines it gave VAT we did not)."""
    missing: list[PricedLine] = []
    extra: list[PricedLine] = []
    for index, answered in enumerate(lines):
        if index >= len(mapped.priced_lines):
            break
        vat = answered.vat_amount
        if vat is None:
            continue
        ours = mapped.priced_lines[index]
        if vat == 0 and ours.vat != 0:
            missing.append(ours)
        elif vat != 0 and ours.vat == 0:
            extra.append(ours)
    return missing, extra


def _explaining_subset(lines: Sequence[PricedLine], amount: Decimal) -> list[PricedLine]:
    """The fewest lines whose expected VAT sums to `amount` (e-conomic gave them none)."""
    with_vat = [line for line in lines if line.vat != 0]
    for size in range(1, min(_MAX_SUBSET, len(with_vat)) + 1):
        for subset in combinations(with_vat, size):
            if sum((line.vat for line in subset), ZERO) == amount:
                return list(subset)
    return []


def _cause(mapped: MappedInvoice, draft: EconomicInvoice, gross: Decimal) -> tuple[str, str]:
    missing, extra = _vat_free_by_line(mapped, draft.lines or ())
    vat: Decimal | None = draft.vat
    net: Decimal | None = draft.net
    if not missing and not extra and vat is not None and mapped.expected_vat is not None:
        short = mapped.expected_vat - vat
        if short > 0:
            missing = _explaining_subset(mapped.priced_lines, short)
    if missing:
        names = _names(missing)
        return (
            f"Sandsynlig årsag: varen {names} ligger i en momsfri varegruppe i e-conomic, "
            "men webshoppen har lagt moms på. Flyt varen til en momsbelagt varegruppe.",
            f"Likely cause: product {names} is in a VAT-free product group in e-conomic, but "
            "the shop charged VAT on it. Move it to a product group with VAT.",
        )
    if extra:
        names = _names(extra)
        return (
            f"Sandsynlig årsag: varen {names} får moms i e-conomic, men webshoppen solgte den "
            "uden moms. Kontroller varegruppen.",
            f"Likely cause: product {names} carries VAT in e-conomic, but the shop sold it "
            "without VAT. Check its product group.",
        )
    if vat is not None and mapped.expected_vat is not None and vat > mapped.expected_vat:
        return (
            f"e-conomic beregner {vat:.2f} i moms, webshoppen {mapped.expected_vat:.2f}. "
            "Kontroller varegrupperne og momszonen.",
            f"e-conomic computes {vat:.2f} VAT, the shop {mapped.expected_vat:.2f}. Check the "
            "product groups and the VAT zone.",
        )
    if net is not None and mapped.expected_net is not None and net != mapped.expected_net:
        return (
            f"e-conomic har ændret nettobeløbet ({net:.2f} i stedet for "
            f"{mapped.expected_net:.2f}), fx via kundens priser eller rabatter.",
            f"e-conomic changed the net amount ({net:.2f} instead of "
            f"{mapped.expected_net:.2f}), e.g. through the customer's prices or discounts.",
        )
    difference = gross - mapped.expected_gross
    return (
        f"Forskellen er {difference:.2f}. Kontroller varegrupper og afrunding.",
        f"The difference is {difference:.2f}. Check product groups and rounding.",
    )


def verify_economic_gross(mapped: MappedInvoice, draft: EconomicInvoice) -> None:
    """Raise TOTALS_MISMATCH unless e-conomic's grossAmount is the shop's total to the øre."""
    gross = draft.gross
    if gross == mapped.expected_gross:
        return
    da, en = _cause(mapped, draft, gross)
    raise KnownError(
        ErrorCode.TOTALS_MISMATCH,
        order_id=mapped.order_id or draft.reference,
        economic_total=f"{gross:.2f}",
        shop_total=f"{mapped.expected_gross:.2f}",
        currency=mapped.draft.currency,
        cause_da=da,
        cause_en=en,
        draft_invoice_number=draft.draft_number or "",
    )
