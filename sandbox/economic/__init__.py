"""Local emulation of e-conomic's legacy REST API (restapi.e-conomic.com) for tests."""

from sandbox.economic.app import create_app
from sandbox.economic.server import RunningSandbox, start_economic_sandbox
from sandbox.economic.state import (
    AccountingYear,
    Agreement,
    CallRecord,
    EconomicState,
    PaymentTerms,
    Product,
    ProductGroup,
)

__all__ = [
    "AccountingYear",
    "Agreement",
    "CallRecord",
    "EconomicState",
    "PaymentTerms",
    "Product",
    "ProductGroup",
    "RunningSandbox",
    "create_app",
    "start_economic_sandbox",
]
