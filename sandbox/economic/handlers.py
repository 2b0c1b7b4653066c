"""Endpoint handlers: plain functions from a request context to a response value."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from sandbox.economic import filters, render
from sandbox.economic.encoding import decode_id
from sandbox.economic.errors import ApiError, annotation, not_found, validation_error
from sandbox.economic.invoices import book, build_draft, ref_number
from sandbox.economic.pdf import render_invoice_pdf
from sandbox.economic.rules import CUSTOMER_POST
from sandbox.economic.state import Agreement
from sandbox.economic.validation import validate

MAX_PAGE = 1000
CUSTOMER_FILTERS = [
    "address", "balance", "barred", "city", "corporateIdentificationNumber", "country",
    "creditLimit", "currency", "customerNumber", "ean", "email", "lastUpdated", "name",
    "publicEntryNumber", "telephoneAndFaxNumber", "mobilePhone", "vatNumber", "website", "zip",
    "customerGroup.customerGroupNumber", "pNumber",
]  # fmt: skip
PRODUCT_FILTERS = [
    "productNumber", "description", "name", "costPrice", "recommendedPrice", "salesPrice",
    "barCode", "barred", "lastUpdated", "productGroup.productGroupNumber",
]  # fmt: skip
_INVOICE_FILTERS = [
    "date", "currency", "exchangeRate", "paymentTerms.paymentTermsNumber",
    "customer.customerNumber", "recipient.name", "recipient.address", "recipient.zip",
    "recipient.city", "recipient.country", "recipient.ean", "recipient.publicEntryNumber",
    "deliveryLocation.deliveryLocationNumber", "delivery.address", "delivery.zip",
    "delivery.city", "delivery.country", "delivery.deliveryTerms", "delivery.deliveryDate",
    "notes.heading", "notes.textLine1", "notes.textLine2", "references.salesPerson.employeeNumber",
    "references.vendorReference.employeeNumber", "references.other",
]  # fmt: skip
DRAFT_FILTERS = ["draftInvoiceNumber", *_INVOICE_FILTERS, "lastUpdated"]
BOOKED_FILTERS = ["bookedInvoiceNumber", *_INVOICE_FILTERS, "recipient.vatZone.vatZoneNumber"]


@dataclass
class Ctx:
    agreement: Agreement
    method: str
    path: str
    params: list[str]
    query: Mapping[str, str]
    body: Any
    base: str


@dataclass
class Resp:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    media_type: str = "application/json"


def _int(segment: str) -> int:
    try:
        return int(unquote(segment))
    except ValueError:
        raise not_found() from None


def _page_param(ctx: Ctx, name: str, default: int) -> int:
    raw = ctx.query.get(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise validation_error({name: annotation("E04800", "Must be an integer.", raw)}) from None


def collection(
    ctx: Ctx,
    docs: list[dict[str, Any]],
    allowed: list[str],
    light: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Resp:
    """Filter + paginate ``docs`` into e-conomic's collection envelope (§1.6)."""
    size = _page_param(ctx, "pagesize", 20)
    skip = _page_param(ctx, "skippages", 0)
    if not 1 <= size <= MAX_PAGE:
        msg = f"Page size must be between 1 and {MAX_PAGE}."
        raise validation_error({"pagesize": annotation("E04810", msg, size)})
    matching = docs
    text = ctx.query.get("filter")
    if text:
        groups = filters.parse(text)
        filters.check_fields(groups, allowed)
        matching = [d for d in docs if filters.matches(d, groups)]
    page = matching[skip * size : (skip + 1) * size] if skip >= 0 else []
    extra = f"&filter={quote(text, safe='')}" if text else ""

    def link(n: int) -> str:
        return f"{ctx.base}{ctx.path}?skippages={n}&pagesize={size}{extra}"

    last = max(0, (len(matching) - 1) // size)
    pagination: dict[str, Any] = {
        "maxPageSizeAllowed": MAX_PAGE,
        "skipPages": skip,
        "pageSize": size,
        "results": len(matching),
        "resultsWithoutFilter": len(docs),
        "firstPage": link(0),
    }
    if skip < last:
        pagination["nextPage"] = link(skip + 1)
    pagination["lastPage"] = link(last)
    items = [light(d) for d in page] if light else page
    return Resp(200, {"collection": items, "pagination": pagination, "self": link(skip)})


def get_self(ctx: Ctx) -> Resp:
    a = ctx.agreement
    body = {
        "agreementNumber": a.agreement_number,
        "company": {"name": a.company_name},
        "settings": {"baseCurrency": a.base_currency},
        "canSendElectronicInvoice": False,
        "self": f"{ctx.base}/self",
    }
    return Resp(200, body)


def list_customers(ctx: Ctx) -> Resp:
    docs = [render.customer(c, ctx.base) for _, c in sorted(ctx.agreement.customers.items())]
    return collection(ctx, docs, CUSTOMER_FILTERS)


def get_customer(ctx: Ctx) -> Resp:
    doc = ctx.agreement.customers.get(_int(ctx.params[0]))
    if doc is None:
        raise not_found()
    return Resp(200, render.customer(doc, ctx.base))


def create_customer(ctx: Ctx) -> Resp:
    a, body = ctx.agreement, ctx.body
    structural = validate(body, CUSTOMER_POST)
    if structural:
        raise validation_error(structural if isinstance(structural, dict) else {})
    errors: dict[str, Any] = {}
    refs = (
        ("customerGroup", "customerGroupNumber", a.customer_groups, "Customer group not found."),
        ("paymentTerms", "paymentTermsNumber", a.payment_terms, "Payment terms not found."),
        ("vatZone", "vatZoneNumber", a.vat_zones, "VAT zone not found."),
        ("layout", "layoutNumber", a.layouts, "Layout not found."),
    )
    resolved: dict[str, int] = {}
    for prop, key, table, msg in refs:
        if prop not in body:
            continue
        number = ref_number(body[prop], key)
        if number not in table:
            errors[prop] = annotation("E06000", msg, number)
        else:
            resolved[prop] = number
    number = body.get("customerNumber") or a.next_customer_number()
    if number in a.customers:
        msg = "A customer with this number already exists."
        errors["customerNumber"] = annotation("E06210", msg, number)
    if errors:
        raise validation_error(errors)
    skip = {"customerGroup", "paymentTerms", "vatZone", "layout", "customerNumber", "name"}
    skip |= {"currency", "priceGroup", "salesPerson"}
    extra = {
        k: body[k]
        for k in CUSTOMER_POST.properties
        if k in body and k not in skip and body[k] is not False
    }
    doc = a.add_customer(
        body["name"],
        customer_number=number,
        currency=body["currency"],
        customer_group=resolved["customerGroup"],
        payment_terms=resolved["paymentTerms"],
        vat_zone=resolved["vatZone"],
        **extra,
    )
    if "layout" in resolved:
        doc["layout"] = {"layoutNumber": resolved["layout"]}
    rendered = render.customer(doc, ctx.base)
    return Resp(201, rendered, {"Location": rendered["self"]})


def list_products(ctx: Ctx) -> Resp:
    a = ctx.agreement
    docs = [render.product(a, p, ctx.base) for _, p in sorted(a.products.items())]
    return collection(ctx, docs, PRODUCT_FILTERS)


def get_product(ctx: Ctx) -> Resp:
    product = ctx.agreement.products.get(decode_id(ctx.params[0]))
    if product is None:
        raise not_found()
    return Resp(200, render.product(ctx.agreement, product, ctx.base))


def _reference(kind: str) -> tuple[Callable[[Ctx], Resp], Callable[[Ctx], Resp]]:
    def docs(ctx: Ctx) -> dict[int, dict[str, Any]]:
        a, base = ctx.agreement, ctx.base
        if kind == "payment-terms":
            return {n: render.payment_terms(t, base) for n, t in a.payment_terms.items()}
        if kind == "vat-zones":
            return {n: render.vat_zone(n, name, base) for n, name in a.vat_zones.items()}
        if kind == "layouts":
            return {n: render.layout(n, name, base) for n, name in a.layouts.items()}
        if kind == "customer-groups":
            return {
                n: render.customer_group(n, name, base) for n, name in a.customer_groups.items()
            }
        return {n: render.product_group(a, n, base) for n in a.product_groups}

    def list_all(ctx: Ctx) -> Resp:
        return collection(ctx, [d for _, d in sorted(docs(ctx).items())], [])

    def get_one(ctx: Ctx) -> Resp:
        doc = docs(ctx).get(_int(ctx.params[0]))
        if doc is None:
            raise not_found()
        return Resp(200, doc)

    return list_all, get_one


def list_accounting_years(ctx: Ctx) -> Resp:
    years = sorted(ctx.agreement.accounting_years, key=lambda y: y.from_date)
    return collection(ctx, [render.accounting_year(y, ctx.base) for y in years], [])


def get_accounting_year(ctx: Ctx) -> Resp:
    wanted = unquote(ctx.params[0]).replace("_6_", "/")
    for year in ctx.agreement.accounting_years:
        if year.year == wanted:
            return Resp(200, render.accounting_year(year, ctx.base))
    raise not_found()


def _invoice_resp(ctx: Ctx, doc: dict[str, Any], *, booked: bool, status: int = 200) -> Resp:
    rendered = render.invoice(doc, ctx.base, booked=booked)
    headers = {"Location": rendered["self"]} if status == 201 else {}
    return Resp(status, rendered, headers)


def create_draft(ctx: Ctx) -> Resp:
    draft = build_draft(ctx.agreement, ctx.body)
    ctx.agreement.drafts[draft["draftInvoiceNumber"]] = draft
    return _invoice_resp(ctx, draft, booked=False, status=201)


def list_drafts(ctx: Ctx) -> Resp:
    docs = [
        render.invoice(d, ctx.base, booked=False) for _, d in sorted(ctx.agreement.drafts.items())
    ]
    return collection(ctx, docs, DRAFT_FILTERS, light=_light)


def _light(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "lines"}


def _draft(ctx: Ctx, error_code: str | None = None) -> dict[str, Any]:
    doc = ctx.agreement.drafts.get(_int(ctx.params[0]))
    if doc is None:
        raise not_found(error_code)
    return doc


def get_draft(ctx: Ctx) -> Resp:
    return _invoice_resp(ctx, _draft(ctx), booked=False)


def delete_draft(ctx: Ctx) -> Resp:
    doc = _draft(ctx, "E06000")
    number = doc["draftInvoiceNumber"]
    del ctx.agreement.drafts[number]
    item = {"draftInvoiceNumber": number, "self": f"{ctx.base}/invoices/drafts/{number}"}
    body = {"message": "Deleted invoice.", "deletedCount": 1, "deletedItems": [item]}
    return Resp(200, body)


def draft_booking_instructions(ctx: Ctx) -> Resp:
    number = _draft(ctx)["draftInvoiceNumber"]
    link = f"{ctx.base}/invoices/drafts/{number}"
    return Resp(200, {"draftInvoice": {"draftInvoiceNumber": number, "self": link}})


def draft_pdf(ctx: Ctx) -> Resp:
    doc = _draft(ctx)
    ctx.agreement.pdf_downloads += 1
    pdf = render_invoice_pdf(doc, f"Fakturakladde {doc['draftInvoiceNumber']}")
    return Resp(200, pdf, media_type="application/pdf")


def create_booked(ctx: Ctx) -> Resp:
    return _invoice_resp(ctx, book(ctx.agreement, ctx.body), booked=True, status=201)


def list_booked(ctx: Ctx) -> Resp:
    docs = [
        render.invoice(d, ctx.base, booked=True) for _, d in sorted(ctx.agreement.booked.items())
    ]
    return collection(ctx, docs, BOOKED_FILTERS, light=_light)


def _booked(ctx: Ctx) -> dict[str, Any]:
    doc = ctx.agreement.booked.get(_int(ctx.params[0]))
    if doc is None:
        raise not_found()
    return doc


def get_booked(ctx: Ctx) -> Resp:
    return _invoice_resp(ctx, _booked(ctx), booked=True)


def booked_pdf(ctx: Ctx) -> Resp:
    doc = _booked(ctx)
    ctx.agreement.pdf_downloads += 1
    pdf = render_invoice_pdf(doc, f"Faktura {doc['bookedInvoiceNumber']}")
    return Resp(200, pdf, media_type="application/pdf")


Handler = Callable[[Ctx], Resp]
ROUTES: list[tuple[str, tuple[str, ...], Handler]] = [
    ("GET", ("self",), get_self),
    ("GET", ("customers",), list_customers),
    ("POST", ("customers",), create_customer),
    ("GET", ("customers", "*"), get_customer),
    ("GET", ("products",), list_products),
    ("GET", ("products", "*"), get_product),
    ("GET", ("accounting-years",), list_accounting_years),
    ("GET", ("accounting-years", "*"), get_accounting_year),
    ("POST", ("invoices", "drafts"), create_draft),
    ("GET", ("invoices", "drafts"), list_drafts),
    ("GET", ("invoices", "drafts", "*"), get_draft),
    ("DELETE", ("invoices", "drafts", "*"), delete_draft),
    ("GET", ("invoices", "drafts", "*", "pdf"), draft_pdf),
    (
        "GET",
        ("invoices", "drafts", "*", "templates", "booking-instructions"),
        draft_booking_instructions,
    ),
    ("POST", ("invoices", "booked"), create_booked),
    ("GET", ("invoices", "booked"), list_booked),
    ("GET", ("invoices", "booked", "*"), get_booked),
    ("GET", ("invoices", "booked", "*", "pdf"), booked_pdf),
]
for _kind in ("payment-terms", "vat-zones", "layouts", "customer-groups", "product-groups"):
    _list, _one = _reference(_kind)
    ROUTES += [("GET", (_kind,), _list), ("GET", (_kind, "*"), _one)]


def route(method: str, segments: list[str]) -> tuple[Handler, list[str]]:
    """Find the handler for raw path ``segments``; raises 404/405 ApiErrors."""
    allowed = False
    for verb, pattern, handler in ROUTES:
        if len(pattern) != len(segments):
            continue
        if all(p == "*" or p == s for p, s in zip(pattern, segments, strict=True)):
            if verb == method:
                return handler, [s for p, s in zip(pattern, segments, strict=True) if p == "*"]
            allowed = True
    if allowed:
        raise ApiError(405, "Method not allowed.", f"{method} is not supported on this resource.")
    raise not_found()
