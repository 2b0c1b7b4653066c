"""e-conomic's official draft-03 JSON schemas as jsonschema validators (with ``maxDecimal``).

The schema files live outside the repo in ``<repo>/../shared/reference/economic-schema``.
Usage::

    from tests.contract.economic_schema import validator
    errors = list(validator("invoices.drafts.post").iter_errors(body))

Bodies may hold ``int``, ``float`` or ``Decimal`` numbers; ``maxDecimal`` is judged on the
number's decimal text (``Decimal("1.500")`` has 3 decimals, a float uses its ``repr``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft3Validator, ValidationError, validators
from jsonschema.protocols import Validator

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO_ROOT.parent / "shared" / "reference" / "economic-schema"


def decimals_of(value: int | float | Decimal) -> int:
    if isinstance(value, int):
        return 0
    exponent = Decimal(repr(value) if isinstance(value, float) else value).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _max_decimal(
    validator: Validator, limit: int, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "number") and decimals_of(instance) > limit:
        yield ValidationError(f"{instance!r} has more than {limit} decimals")


EconomicDraft3Validator = validators.extend(Draft3Validator, {"maxDecimal": _max_decimal})


def load_schema(name: str) -> dict[str, Any]:
    """Load ``<name>.schema.json`` (``name`` like ``"invoices.drafts.post"``)."""
    filename = name if name.endswith(".schema.json") else f"{name}.schema.json"
    with (SCHEMA_DIR / filename).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@cache
def validator(name: str) -> Validator:
    """A draft-03 validator for the named schema that also enforces ``maxDecimal``."""
    return EconomicDraft3Validator(load_schema(name))
