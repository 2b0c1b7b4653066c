"""Render stored entities as e-conomic JSON documents with absolute links."""

from __future__ import annotations

import copy
from typing import Any

from sandbox.economic.encoding import encode_id
from sandbox.economic.state import AccountingYear, Agreement, PaymentTerms, Product


def payment_terms(terms: PaymentTerms, base: str) -> dict[str, Any]:
    return {
        "paymentTermsNumber": terms.number,
        "daysOfCredit": terms.days_of_credit,
        "name": terms.name,
        "paymentTermsType": terms.terms_type,
        "self": f"{base}/payment-terms/{terms.number}",
    }


def vat_zone(number: int, name: str, base: str) -> dict[str, Any]:
    return {
        "vatZoneNumber": number,
        "name": name,
        "enabledForCustomer": True,
        "enabledForSupplier": True,
        "self": f"{base}/vat-zones/{number}",
    }


def layout(number: int, name: str, base: str) -> dict[str, Any]:
    return {"layoutNumber": number, "name": name, "self": f"{base}/layouts/{number}"}


def customer_group(number: int, name: str, base: str) -> dict[str, Any]:
    return {
        "customerGroupNumber": number,
        "name": name,
        "customers": f"{base}/customer-groups/{number}/customers",
        "self": f"{base}/customer-groups/{number}",
    }


def product_group(agreement: Agreement, number: int, base: str) -> dict[str, Any]:
    group = agreement.product_groups[number]
    return {
        "productGroupNumber": number,
        "name": group.name,
        "products": f"{base}/product-groups/{number}/products",
        "salesAccounts": f"{base}/product-groups/{number}/sales-accounts",
        "self": f"{base}/product-groups/{number}",
    }


def accounting_year(year: AccountingYear, base: str) -> dict[str, Any]:
    return {
        "year": year.year,
        "fromDate": year.from_date.isoformat(),
        "toDate": year.to_date.isoformat(),
        "self": f"{base}/accounting-years/{year.year}",
    }


def product(agreement: Agreement, item: Product, base: str) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "productNumber": item.product_number,
        "name": item.name,
        "salesPrice": item.sales_price,
        "productGroup": product_group(agreement, item.product_group, base)
        if item.product_group in agreement.product_groups
        else {"productGroupNumber": item.product_group},
        "self": f"{base}/products/{encode_id(item.product_number)}",
    }
    if item.description:
        doc["description"] = item.description
    if item.barred:
        doc["barred"] = True
    return doc


def customer(doc: dict[str, Any], base: str) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    number = out["customerNumber"]
    out["customerGroup"]["self"] = (
        f"{base}/customer-groups/{out['customerGroup']['customerGroupNumber']}"
    )
    out["paymentTerms"]["self"] = (
        f"{base}/payment-terms/{out['paymentTerms']['paymentTermsNumber']}"
    )
    out["vatZone"]["self"] = f"{base}/vat-zones/{out['vatZone']['vatZoneNumber']}"
    if "layout" in out and "layoutNumber" in out["layout"]:
        out["layout"]["self"] = f"{base}/layouts/{out['layout']['layoutNumber']}"
    out["contacts"] = f"{base}/customers/{number}/contacts"
    out["templates"] = {
        "invoice": f"{base}/customers/{number}/templates/invoice",
        "invoiceLine": f"{base}/customers/{number}/templates/invoiceline",
        "self": f"{base}/customers/{number}/templates",
    }
    out["totals"] = {"self": f"{base}/customers/{number}/totals"}
    out["invoices"] = {"self": f"{base}/customers/{number}/invoices"}
    out["self"] = f"{base}/customers/{number}"
    return out


def invoice(doc: dict[str, Any], base: str, *, booked: bool, light: bool = False) -> dict[str, Any]:
    """A stored draft/booked document with links; ``light`` drops lines (collections)."""
    out = copy.deepcopy(doc)
    kind, key = ("booked", "bookedInvoiceNumber") if booked else ("drafts", "draftInvoiceNumber")
    number = out[key]
    out["customer"]["self"] = f"{base}/customers/{out['customer']['customerNumber']}"
    terms = out["paymentTerms"]
    terms["self"] = f"{base}/payment-terms/{terms['paymentTermsNumber']}"
    out["layout"]["self"] = f"{base}/layouts/{out['layout']['layoutNumber']}"
    zone = out["recipient"]["vatZone"]
    zone["self"] = f"{base}/vat-zones/{zone['vatZoneNumber']}"
    out["pdf"] = {"download": f"{base}/invoices/{kind}/{number}/pdf"}
    if light:
        out.pop("lines", None)
    else:
        for line in out.get("lines", []):
            if "product" in line:
                line["product"]["self"] = (
                    f"{base}/products/{encode_id(line['product']['productNumber'])}"
                )
    if not booked:
        templates = f"{base}/invoices/drafts/{number}/templates"
        out["templates"] = {
            "bookingInstructions": f"{templates}/booking-instructions",
            "self": templates,
        }
        out["attachment"] = f"{base}/invoices/drafts/{number}/attachment"
    out["self"] = f"{base}/invoices/{kind}/{number}"
    return out
