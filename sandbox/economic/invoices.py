"""Draft-invoice creation (validation + e-conomic's arithmetic) and booking."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sandbox.economic.encoding import decode_id
from sandbox.economic.errors import ApiError, annotation, not_found, validation_error
from sandbox.economic.jsonio import round2
from sandbox.economic.rules import BOOKED_INVOICE_POST, DRAFT_INVOICE_POST
from sandbox.economic.state import Agreement, Product
from sandbox.economic.validation import validate

HUNDRED = Decimal(100)
# Sandbox assumption: fixed "daily" rates, DKK per 100 units (e-conomic would use today's rate).
DKK_PER_100 = {
    "DKK": Decimal("100"),
    "EUR": Decimal("745.81"),
    "SEK": Decimal("68.50"),
    "NOK": Decimal("64.20"),
    "USD": Decimal("690.00"),
}
# Sandbox assumptions (no source names these codes):
E_BARRED_PRODUCT = "E07060"
E_BARRED_CUSTOMER = "E07050"
E_NO_ACCOUNTING_YEAR = "E04190"
E_BAD_DATE = "E04170"
E_NUMBER_TAKEN = "E06210"


def ref_number(obj: Any, key: str) -> Any:
    """The identifier of a reference given by number or by ``self`` link."""
    if not isinstance(obj, dict):
        return None
    if key in obj:
        return obj[key]
    link = obj.get("self")
    if isinstance(link, str) and link.rstrip("/"):
        last = link.rstrip("/").rsplit("/", 1)[-1]
        return int(last) if last.isdigit() else decode_id(last)
    return None


def _parse_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def exchange_rate(agreement: Agreement, currency: str, sent: Any) -> Decimal | None:
    if currency == agreement.base_currency:
        return HUNDRED  # assumption: a sent rate is overridden, not rejected
    if sent is not None:
        return Decimal(sent)
    if currency in DKK_PER_100 and agreement.base_currency in DKK_PER_100:
        rate = DKK_PER_100[currency] / DKK_PER_100[agreement.base_currency] * HUNDRED
        return rate.quantize(Decimal("0.000001"))
    return None


def _line_product_errors(agreement: Agreement, line: dict[str, Any]) -> dict[str, Any] | None:
    """Annotated errors for one line (without arrayIndex), or None."""
    product_ref = line.get("product")
    number = ref_number(product_ref, "productNumber")
    if number is None:
        if "quantity" in line or "unitNetPrice" in line:
            msg = "A product is required when quantity or unitNetPrice is set."
            return {"product": annotation("E04500", msg, None)}
        return None
    product = agreement.products.get(str(number))
    if product is None:
        return {"product": {"productNumber": annotation("E06000", "Product not found.", number)}}
    if product.barred:
        return {
            "product": {"productNumber": annotation(E_BARRED_PRODUCT, "Product is barred.", number)}
        }
    if "quantity" not in line:
        return {"quantity": annotation("E04730", "Quantity must have a value.", None)}
    return None


def _semantic_errors(agreement: Agreement, body: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    invoice_date = _parse_date(body["date"])
    if invoice_date is None:
        errors["date"] = annotation(E_BAD_DATE, "Invalid date.", body["date"])
    currency = body["currency"].upper()
    if exchange_rate(agreement, currency, body.get("exchangeRate")) is None:
        errors["currency"] = annotation("E06000", "Currency not found.", body["currency"])
    customer_no = ref_number(body["customer"], "customerNumber")
    if customer_no not in agreement.customers:
        errors["customer"] = annotation("E06000", "Customer not found.", customer_no)
    terms_no = ref_number(body["paymentTerms"], "paymentTermsNumber")
    terms = agreement.payment_terms.get(terms_no) if isinstance(terms_no, int) else None
    if terms is None:
        errors["paymentTerms"] = annotation("E06000", "Payment terms not found.", terms_no)
    else:
        sent_type = body["paymentTerms"].get("paymentTermsType")
        if sent_type is not None and sent_type != terms.terms_type:
            msg = "paymentTermsType does not match the payment terms."
            errors["paymentTerms"] = annotation("E07180", msg, sent_type)
        if terms.terms_type == "dueDate":
            due = _parse_date(body.get("dueDate"))
            if "dueDate" not in body:
                errors["dueDate"] = annotation("E04042", "dueDate is required.", None)
            elif due is None or (invoice_date is not None and due < invoice_date):
                msg = "dueDate cannot be earlier than date."
                errors["dueDate"] = annotation("E04760", msg, body.get("dueDate"))
    layout_no = ref_number(body["layout"], "layoutNumber")
    if layout_no not in agreement.layouts:
        errors["layout"] = annotation("E06000", "Layout not found.", layout_no)
    zone_no = ref_number(body["recipient"]["vatZone"], "vatZoneNumber")
    if zone_no not in agreement.vat_zones:
        zone_err = {"vatZone": annotation("E06000", "VAT zone not found.", zone_no)}
        errors["recipient"] = zone_err
    line_errors = []
    for index, line in enumerate(body.get("lines", [])):
        problem = _line_product_errors(agreement, line)
        if problem:
            line_errors.append({"arrayIndex": index, **problem})
    if line_errors:
        errors["lines"] = line_errors
    return errors


def _compute_line(
    agreement: Agreement, index: int, line: dict[str, Any], zone: int
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "lineNumber": line.get("lineNumber", index + 1),
        "sortKey": line.get("sortKey", line.get("lineNumber", index + 1)),
    }
    number = ref_number(line.get("product"), "productNumber")
    product: Product | None = agreement.products.get(str(number)) if number is not None else None
    description = line.get("description", product.name if product else "")
    out["description"] = description
    quantity = Decimal(line.get("quantity", 0))
    price = Decimal(line.get("unitNetPrice", product.sales_price if product else 0))
    discount = Decimal(line.get("discountPercentage", 0))
    cost = Decimal(line.get("unitCostPrice", 0))
    net = round2(quantity * price * (1 - discount / HUNDRED))
    group = agreement.product_groups.get(product.product_group) if product else None
    rate = group.vat_rates.get(zone, Decimal(0)) if group else Decimal(0)
    out.update(
        quantity=quantity,
        unitNetPrice=price,
        discountPercentage=discount,
        unitCostPrice=cost,
        totalNetAmount=net,
        vatRate=(rate * HUNDRED).quantize(Decimal("0.000001")),
        vatAmount=round2(net * rate),
    )
    if product is not None:
        out["product"] = {"productNumber": product.product_number}
    for key in ("unit", "accrual", "departmentalDistribution"):
        if key in line:
            out[key] = copy.deepcopy(line[key])
    return out


def build_draft(agreement: Agreement, body: Any) -> dict[str, Any]:
    """Validate a POST /invoices/drafts body and build the stored draft (raises ApiError)."""
    structural = validate(body, DRAFT_INVOICE_POST)
    if structural:
        raise validation_error(structural if isinstance(structural, dict) else {})
    semantic = _semantic_errors(agreement, body)
    if semantic:
        raise validation_error(semantic)
    currency = body["currency"].upper()
    rate = exchange_rate(agreement, currency, body.get("exchangeRate"))
    assert rate is not None
    terms = agreement.payment_terms[ref_number(body["paymentTerms"], "paymentTermsNumber")]
    invoice_date = date.fromisoformat(body["date"])
    due = (
        body["dueDate"]
        if terms.terms_type == "dueDate"
        else (invoice_date + timedelta(days=terms.days_of_credit)).isoformat()
    )
    zone_no = ref_number(body["recipient"]["vatZone"], "vatZoneNumber")
    lines = [_compute_line(agreement, i, ln, zone_no) for i, ln in enumerate(body.get("lines", []))]
    net = sum((ln["totalNetAmount"] for ln in lines), Decimal(0))
    vat = sum((ln["vatAmount"] for ln in lines), Decimal(0))
    cost = sum((ln["quantity"] * ln["unitCostPrice"] for ln in lines), Decimal(0))
    net_base = round2(net * rate / HUNDRED)
    margin = round2(net_base - cost * rate / HUNDRED)
    recipient = copy.deepcopy(body["recipient"])
    recipient["vatZone"] = {
        "vatZoneNumber": zone_no,
        "name": agreement.vat_zones[zone_no],
        "enabledForCustomer": True,
        "enabledForSupplier": True,
    }
    draft: dict[str, Any] = {
        "draftInvoiceNumber": agreement.next_draft_number(),
        "date": body["date"],
        "currency": currency,
        "exchangeRate": rate,
        "netAmount": net,
        "netAmountInBaseCurrency": net_base,
        "grossAmount": net + vat,
        "grossAmountInBaseCurrency": round2((net + vat) * rate / HUNDRED),
        "marginInBaseCurrency": margin,
        "marginPercentage": round2(margin / net_base * HUNDRED) if net_base else Decimal(0),
        "vatAmount": vat,
        "roundingAmount": Decimal(0),
        "costPriceInBaseCurrency": round2(cost * rate / HUNDRED),
        "dueDate": due,
        "paymentTerms": {
            "paymentTermsNumber": terms.number,
            "daysOfCredit": terms.days_of_credit,
            "name": terms.name,
            "paymentTermsType": terms.terms_type,
        },
        "customer": {"customerNumber": ref_number(body["customer"], "customerNumber")},
        "recipient": recipient,
        "layout": {"layoutNumber": ref_number(body["layout"], "layoutNumber")},
        "lines": lines,
        "lastUpdated": agreement.clock().strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    for key in ("delivery", "deliveryLocation", "notes", "references", "project"):
        if key in body:
            draft[key] = copy.deepcopy(body[key])
    return draft


def book(agreement: Agreement, body: Any) -> dict[str, Any]:
    """Validate a POST /invoices/booked body, book the draft and return the booked doc."""
    structural = validate(body, BOOKED_INVOICE_POST)
    if structural:
        raise validation_error(structural if isinstance(structural, dict) else {})
    if "draftInvoice" not in body:
        raise validation_error(
            {"draftInvoice": annotation("E04100", "Property is required.", None)}
        )
    draft_no = ref_number(body["draftInvoice"], "draftInvoiceNumber")
    draft = agreement.drafts.get(draft_no) if isinstance(draft_no, int) else None
    if draft is None:
        raise not_found("E06000")
    errors: dict[str, Any] = {}
    customer = agreement.customers.get(draft["customer"]["customerNumber"])
    if customer is None:
        errors["customer"] = annotation("E06000", "Customer not found.", None)
    elif customer.get("barred"):
        number = customer["customerNumber"]
        errors["customer"] = annotation(E_BARRED_CUSTOMER, "Customer is barred.", number)
    line_errors = []
    for index, line in enumerate(draft["lines"]):
        if "product" not in line:
            continue
        number = line["product"]["productNumber"]
        product = agreement.products.get(number)
        if product is None or product.barred:
            code, msg = (
                ("E06000", "Product not found.")
                if product is None
                else (
                    E_BARRED_PRODUCT,
                    "Product is barred.",
                )
            )
            node = {"product": {"productNumber": annotation(code, msg, number)}}
            line_errors.append({"arrayIndex": index, **node})
    if line_errors:
        errors["lines"] = line_errors
    if errors:
        raise validation_error(errors)
    if agreement.accounting_year_for(date.fromisoformat(draft["date"])) is None:
        msg = "No accounting year exists for the invoice date."
        raise ApiError(
            400,
            msg,
            "Create an accounting year covering the invoice date.",
            error_code=E_NO_ACCOUNTING_YEAR,
            errors={"date": annotation(E_NO_ACCOUNTING_YEAR, msg, draft["date"])},
        )
    number = body.get("bookWithNumber") or agreement.next_booked_number()
    if number in agreement.booked or number < 1:
        msg = "An invoice with this number already exists."
        raise validation_error({"bookWithNumber": annotation(E_NUMBER_TAKEN, msg, number)})
    booked = {k: v for k, v in copy.deepcopy(draft).items() if k != "draftInvoiceNumber"}
    booked = {"bookedInvoiceNumber": number, **booked}
    booked["remainder"] = booked["grossAmount"]
    booked["remainderInBaseCurrency"] = booked["grossAmountInBaseCurrency"]
    del agreement.drafts[draft_no]
    agreement.booked[number] = booked
    return booked
