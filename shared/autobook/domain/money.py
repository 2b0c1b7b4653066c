"""Money is Decimal, rounded half-up to the øre where e-conomic demands it."""

from decimal import ROUND_HALF_UP, Decimal

ORE = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")


def to_decimal(value: object) -> Decimal:
    """Convert a JSON number (possibly a float from the wire) without binary noise."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def round_ore(amount: Decimal) -> Decimal:
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def add_vat(net: Decimal, vat_percent: Decimal) -> Decimal:
    return net * (1 + vat_percent / HUNDRED)


def net_from_gross(gross: Decimal, vat_percent: Decimal) -> Decimal:
    return gross / (1 + vat_percent / HUNDRED)
