"""Numbered fix steps for every catalogue code, in Danish and English, with the error's own
values (which product number, which payment method and its id, which amounts differ by how
much), and what happens once the owner has done them.

The catalogue texts (`errors.describe`) say what went wrong; these say what to do, step by step.
Each text is pure in its language: product names (e-conomic, Dandomain) and the error's values
are the only words that are not.
"""

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from autobook.domain.errors import ErrorCode
from autobook.domain.resume import RESUMES, Resume
from autobook.domain.shop import Language


class Remedy(StrEnum):
    """What brings the order on once the steps are done."""

    AUTOMATIC = "automatic"  # autobook notices the fix by itself and books the order
    RETRY = "retry"  # the owner presses "Prøv igen" after the fix
    RESEND = "resend"  # the owner presses "Send faktura igen" after the fix
    CHOICE = "choice"  # the owner chooses: credit and book again, or keep the invoice
    BY_HAND = "by_hand"  # the owner does it in e-conomic and closes it (or retries)
    IGNORE = "ignore"  # nothing to retry: the owner checks and closes it with a reason
    NONE = "none"  # information only: nothing to do


class FixSteps(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: ErrorCode
    language: Language
    steps: tuple[str, ...]
    remedy: Remedy
    # One sentence on what happens after the steps (resumes by itself, or which button).
    afterwards: str


def _remedy(code: ErrorCode) -> Remedy:
    """What brings the order on, from how the core resumes it (`domain.resume`): the texts
    promise only what the core does."""
    how = RESUMES[code]
    if how in (Resume.MAPPING, Resume.RECHECK, Resume.DANDOMAIN, Resume.PAUSE):
        return Remedy.AUTOMATIC
    if code == ErrorCode.MAIL_FAILED:
        return Remedy.RESEND
    if code == ErrorCode.ORDER_CHANGED_AFTER_BOOKING:
        return Remedy.CHOICE
    if code == ErrorCode.CREDIT_NOTE_BY_HAND:
        return Remedy.BY_HAND
    if code == ErrorCode.ORDER_NOT_FOUND:
        return Remedy.IGNORE
    return Remedy.NONE if how == Resume.NONE else Remedy.RETRY


REMEDIES: dict[ErrorCode, Remedy] = {code: _remedy(code) for code in ErrorCode}

# A short heading per code, for mail subjects and the owner page.
_TITLES: dict[ErrorCode, tuple[str, str]] = {
    ErrorCode.PAYMENT_METHOD_UNMAPPED: (
        "Betalingsmetoden er ikke koblet",
        "Payment method not mapped",
    ),
    ErrorCode.PRODUCT_MISSING: ("Varen findes ikke i e-conomic", "Product missing in e-conomic"),
    ErrorCode.PRODUCT_BARRED: ("Varen er spærret i e-conomic", "Product barred in e-conomic"),
    ErrorCode.FEE_UNMAPPED: ("Gebyret har ingen vare", "Fee has no product"),
    ErrorCode.DISCOUNT_UNMAPPED: (
        "Rabat eller gavekort har ingen vare",
        "Discount or gift card has no product",
    ),
    ErrorCode.VAT_ZONE_UNKNOWN: ("Ukendt land for momsen", "Country unknown for VAT"),
    ErrorCode.TOTALS_MISMATCH: ("Beløbene stemmer ikke", "Amounts do not match"),
    ErrorCode.CUSTOMER_INVALID: ("Kundens oplysninger afvises", "Buyer details rejected"),
    ErrorCode.ACCOUNTING_YEAR_MISSING: ("Regnskabsåret mangler", "Accounting year missing"),
    ErrorCode.ECONOMIC_ACCESS: ("Adgangen til e-conomic er afvist", "e-conomic access refused"),
    ErrorCode.DANDOMAIN_ACCESS: ("Dandomain afviser API-nøglen", "Dandomain rejects the API key"),
    ErrorCode.ORDER_CANCELLED_AFTER_BOOKING: (
        "Ordren er annulleret efter bogføring",
        "Order cancelled after booking",
    ),
    ErrorCode.ORDER_CHANGED_AFTER_BOOKING: (
        "Ordren er ændret efter bogføring",
        "Order changed after booking",
    ),
    ErrorCode.MAIL_FAILED: ("Fakturaen kunne ikke mailes", "Invoice mail failed"),
    ErrorCode.ORDER_NOT_FOUND: ("Ordren findes ikke i Dandomain", "Order not found in Dandomain"),
    ErrorCode.ECONOMIC_REJECTED: ("e-conomic afviser fakturaen", "e-conomic rejects the invoice"),
    ErrorCode.CURRENCY_UNKNOWN: ("Valutaen kan ikke bruges", "Currency cannot be used"),
    ErrorCode.CUSTOMER_UNMAPPED: (
        "Momszonen mangler opsætning",
        "VAT zone setup missing",
    ),
    ErrorCode.TRIAL_DRAFT_DELETED: (
        "Kladden fra prøveperioden er slettet",
        "The trial's draft was deleted",
    ),
    ErrorCode.INVOICE_MISMATCH: (
        "Fakturaen i e-conomic er ændret",
        "The invoice in e-conomic was changed",
    ),
    ErrorCode.CREDIT_NOTE_BY_HAND: (
        "Kreditnotaen skal laves i hånden",
        "The credit note must be made by hand",
    ),
    ErrorCode.SERVICE_UNAVAILABLE: ("En tjeneste svarede ikke", "A service did not answer"),
    ErrorCode.UNEXPECTED: ("Uventet fejl", "Unexpected error"),
}


def title(code: ErrorCode, language: Language) -> str:
    da, en = _TITLES[code]
    return da if language == Language.DA else en


_AFTERWARDS: dict[Remedy, tuple[str, str]] = {
    Remedy.AUTOMATIC: (
        "Du behøver ikke gøre mere: autobook opdager rettelsen selv og bogfører ordren. Vil du "
        "ikke vente, kan du trykke »Prøv igen«.",
        "Nothing more to do: autobook notices the fix by itself and books the order. If you do "
        "not want to wait, press “Retry”.",
    ),
    Remedy.RETRY: (
        "Tryk derefter »Prøv igen« ved ordren, så bogfører autobook den.",
        "Then press “Retry” next to the order, and autobook books it.",
    ),
    Remedy.RESEND: (
        "Tryk derefter »Send faktura igen«, så sender autobook fakturaen til køberen.",
        "Then press “Resend invoice”, and autobook mails the invoice to the buyer.",
    ),
    Remedy.CHOICE: (
        "Vælg »Krediter og bogfør igen«, eller »Ignorer« hvis fakturaen skal blive stående.",
        "Choose “Credit and book again”, or “Ignore” if the invoice is to stand.",
    ),
    Remedy.BY_HAND: (
        "Tryk derefter »Ignorer« med en kort begrundelse, så er fejlen lukket. Har autobook "
        "siden bogført en faktura, som kreditnotaen dækker fuldt ud, så tryk i stedet »Prøv "
        "igen«, så krediterer autobook den.",
        "Then press “Ignore” with a short reason to close the error. If autobook has since "
        "booked an invoice the credit note covers in full, press “Retry” instead, and autobook "
        "credits it.",
    ),
    Remedy.IGNORE: (
        "Tryk derefter »Ignorer« med en kort begrundelse, så er fejlen lukket.",
        "Then press “Ignore” with a short reason to close the error.",
    ),
    Remedy.NONE: (
        "Der er intet at gøre: det er kun til orientering.",
        "There is nothing to do: this is for your information only.",
    ),
}

_CUSTOMER_FIELDS: dict[str, tuple[str, str]] = {
    "name": ("navn", "name"),
    "ean": ("EAN-nummer", "EAN number"),
    "email": ("e-mailadresse", "e-mail address"),
    "cvr": ("CVR-nummer", "CVR number"),
    "vatNumber": ("momsnummer", "VAT number"),
}

Steps = tuple[str, ...]
_Builder = Callable[["_Values"], tuple[Steps, Steps]]


class _Values:
    """The error's parameters, with a readable stand-in for a value that is missing."""

    def __init__(self, parameters: Mapping[str, object]) -> None:
        self._values = {k: str(v) for k, v in parameters.items()}

    def __getitem__(self, key: str) -> str:
        value = self._values.get(key, "").strip()
        return value if value and value != "?" else "…"

    def has(self, key: str) -> bool:
        return self[key] != "…"

    def difference(self) -> str:
        """shop_total - economic_total, to the øre, or "…" when either is not a number."""
        try:
            gap = Decimal(self["shop_total"]) - Decimal(self["economic_total"])
        except InvalidOperation:
            return "…"
        return f"{abs(gap):.2f}"


def _payment_method(v: _Values) -> tuple[Steps, Steps]:
    method = f"'{v['method_name']}' (id {v['method_id']})"
    if v.has("old_id"):
        return (
            (
                f"Dandomain har givet betalingsmetoden {method} et nyt id; den var før koblet "
                f"under id {v['old_id']}.",
                f"Flyt koblingen fra id {v['old_id']} til id {v['method_id']} i autobooks "
                "opsætning af betalingsmetoder.",
                "Kontroller, at betalingsbetingelsen stadig er den rigtige.",
            ),
            (
                f"Dandomain has given the payment method {method} a new id; it was mapped under "
                f"id {v['old_id']} before.",
                f"Move the mapping from id {v['old_id']} to id {v['method_id']} in autobook's "
                "payment method setup.",
                "Check that the payment terms are still the right ones.",
            ),
        )
    return (
        (
            f"Find betalingsmetoden {method} i Dandomain.",
            "Vælg den betalingsbetingelse i e-conomic, som metoden skal bogføres med.",
            f"Kobl id {v['method_id']} til betalingsbetingelsen i autobooks opsætning af "
            "betalingsmetoder.",
        ),
        (
            f"Find the payment method {method} in Dandomain.",
            "Choose the e-conomic payment terms the method is to be booked with.",
            f"Map id {v['method_id']} to those payment terms in autobook's payment method setup.",
        ),
    )


def _product_missing(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            f"Find varenummer {v['products']} på ordren i Dandomain.",
            f"Opret varen med varenummer {v['products']} i e-conomic under Salg → Varer, med "
            "den rigtige varegruppe (den bestemmer momsen).",
            "Skal ordrelinjen bogføres på en anden vare, så kobl varenummeret til den i "
            "autobooks opsætning i stedet.",
            "Tip: en vare, der er deaktiveret i webshoppen, kan stadig købes via et link fra en "
            "søgemaskine. Fjern den helt, hvis den ikke skal sælges.",
        ),
        (
            f"Find product number {v['products']} on the order in Dandomain.",
            f"Create the product with number {v['products']} in e-conomic under Sales → "
            "Products, in the right product group (it decides the VAT).",
            "If the order line is to be booked on another product, map the number to that one "
            "in autobook's setup instead.",
            "Hint: a product deactivated in the webshop can still be bought through a link from "
            "a search engine. Remove it completely if it is not for sale.",
        ),
    )


def _product_barred(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            f"Åbn varen {v['products']} i e-conomic under Salg → Varer.",
            "Fjern markeringen »Spærret«, og gem varen.",
            "Skal varen forblive spærret, så kobl varenummeret til en anden vare i autobooks "
            "opsætning.",
        ),
        (
            f"Open the product {v['products']} in e-conomic under Sales → Products.",
            "Clear the “Barred” mark and save the product.",
            "If the product is to stay barred, map its number to another product in autobook's "
            "setup.",
        ),
    )


def _fee(v: _Values) -> tuple[Steps, Steps]:
    fee_da = f"{v['fee_kind_da']} '{v['fee_name']}' (metode-id {v['method_id']})"
    fee_en = f"{v['fee_kind_en']} '{v['fee_name']}' (method id {v['method_id']})"
    return (
        (
            f"Vælg den vare i e-conomic, som gebyret {fee_da} skal bogføres på. Findes den "
            "ikke, så opret den under Salg → Varer.",
            f"Kobl metode-id {v['method_id']} til varen i autobooks opsætning.",
        ),
        (
            f"Choose the e-conomic product the fee {fee_en} is to be booked on. If there is "
            "none, create it under Sales → Products.",
            f"Map method id {v['method_id']} to that product in autobook's setup.",
        ),
    )


def _discount(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            f"Vælg en {v['product_da']} i e-conomic til linjen '{v['line_name']}'. Findes den "
            "ikke, så opret den under Salg → Varer.",
            f"Kobl den som {v['product_da']} i autobooks opsætning.",
        ),
        (
            f"Choose a {v['product_en']} in e-conomic for the line '{v['line_name']}'. If "
            "there is none, create it under Sales → Products.",
            f"Map it as the {v['product_en']} in autobook's setup.",
        ),
    )


def _vat_zone(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            f"Kontroller landet '{v['country']}' på ordren i Dandomain, både på kunden og på "
            "leveringsadressen.",
            "Er landet stavet forkert, så ret det i Dandomain.",
            "Er landet rigtigt, så send ordrenummeret til den, der driver autobook for dig: "
            "landet mangler i autobooks landeliste.",
        ),
        (
            f"Check the country '{v['country']}' on the order in Dandomain, on both the buyer "
            "and the delivery address.",
            "If the country is misspelt, correct it in Dandomain.",
            "If the country is right, send the order number to whoever runs autobook for you: "
            "the country is missing from autobook's country list.",
        ),
    )


def _totals(v: _Values) -> tuple[Steps, Steps]:
    gap = v.difference()
    currency = v["currency"]
    draft_da = f" (kladde {v['draft_invoice_number']})" if v.has("draft_invoice_number") else ""
    draft_en = f" (draft {v['draft_invoice_number']})" if v.has("draft_invoice_number") else ""
    return (
        (
            f"Webshoppen opkrævede {v['shop_total']} {currency}, e-conomic beregner "
            f"{v['economic_total']} {currency}: en forskel på {gap} {currency}.",
            "Kontroller varegruppen på varerne i ordren i e-conomic: varegruppen bestemmer momsen.",
            "Kontroller kundens momszone i e-conomic og ordrens land i Dandomain.",
            f"Fakturakladden{draft_da} er autobooks: den erstattes af sig selv, når du prøver "
            "igen.",
        ),
        (
            f"The shop charged {v['shop_total']} {currency}, e-conomic computes "
            f"{v['economic_total']} {currency}: a difference of {gap} {currency}.",
            "Check the product group of the order's products in e-conomic: the product group "
            "decides the VAT.",
            "Check the buyer's VAT zone in e-conomic and the order's country in Dandomain.",
            f"The draft invoice{draft_en} is autobook's: it is replaced by itself when you retry.",
        ),
    )


def _customer_invalid(v: _Values) -> tuple[Steps, Steps]:
    field_da, field_en = _CUSTOMER_FIELDS.get(v["field"], ("kundeoplysning", "buyer detail"))
    return (
        (
            f"Åbn ordren i Dandomain, og ret kundens {field_da}.",
            "Gem ordren i Dandomain.",
        ),
        (
            f"Open the order in Dandomain and correct the buyer's {field_en}.",
            "Save the order in Dandomain.",
        ),
    )


def _accounting_year(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            f"Opret regnskabsåret, der dækker {v['date']}, i e-conomic (under indstillingerne "
            "for regnskabsår).",
            "Kontroller, at året ikke er lukket for bogføring.",
        ),
        (
            f"Create the accounting year that covers {v['date']} in e-conomic (in the "
            "accounting year settings).",
            "Check that the year is not closed for booking.",
        ),
    )


def _economic_access(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            "Log ind i e-conomic som administrator.",
            "Åbn Alle indstillinger → Apps, og kontroller, at autobook står på listen.",
            "Er autobook fjernet, så tilføj den igen med linket fra den, der driver autobook "
            "for dig.",
        ),
        (
            "Log in to e-conomic as an administrator.",
            "Open All settings → Apps and check that autobook is on the list.",
            "If autobook was removed, add it again with the link from whoever runs autobook "
            "for you.",
        ),
    )


def _dandomain_access(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            "Log ind i Dandomains administration, og opret en ny API-nøgle til autobook.",
            "Send den nye nøgle til den, der driver autobook for dig, ad en sikker vej (ikke "
            "i en almindelig mail).",
        ),
        (
            "Log in to the Dandomain administration and create a new API key for autobook.",
            "Send the new key to whoever runs autobook for you by a safe route (not in a plain "
            "mail).",
        ),
    )


def _cancelled(v: _Values) -> tuple[Steps, Steps]:
    return (
        (f"Ordren blev annulleret efter bogføring af faktura {v['invoice_number']}.",),
        (f"The order was cancelled after invoice {v['invoice_number']} was booked.",),
    )


def _changed(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            f"Sammenlign ordren i Dandomain med faktura {v['invoice_number']} i e-conomic: "
            f"{v['difference_da']}.",
            "Skal fakturaen følge ordren, så krediterer autobook den og bogfører ordren igen.",
            "Skal fakturaen blive stående, så ignorer fejlen med en begrundelse.",
        ),
        (
            f"Compare the order in Dandomain with invoice {v['invoice_number']} in e-conomic: "
            f"{v['difference_en']}.",
            "If the invoice is to follow the order, autobook credits it and books the order again.",
            "If the invoice is to stand, ignore the error with a reason.",
        ),
    )


def _mail_failed(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            f"Kontroller køberens e-mailadresse på ordren i Dandomain, og ret den, hvis den er "
            f"forkert (faktura {v['invoice_number']}).",
        ),
        (
            f"Check the buyer's e-mail address on the order in Dandomain and correct it if it "
            f"is wrong (invoice {v['invoice_number']}).",
        ),
    )


def _order_not_found(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            f"Søg efter ordre {v['order_id']} i Dandomain.",
            "Er ordren slettet, så ignorer fejlen med en begrundelse.",
        ),
        (
            f"Search for order {v['order_id']} in Dandomain.",
            "If the order was deleted, ignore the error with a reason.",
        ),
    )


def _rejected(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            f"Læs e-conomics besked: {v['detail_da']}",
            "Ret det, beskeden peger på, i e-conomic eller på ordren i Dandomain.",
            "Forstår du ikke beskeden, så send den til den, der driver autobook for dig.",
        ),
        (
            f"Read e-conomic's message: {v['detail_en']}",
            "Fix what the message points to, in e-conomic or on the order in Dandomain.",
            "If the message is unclear, send it to whoever runs autobook for you.",
        ),
    )


def _currency(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            f"Kontroller, at valutaen {v['currency']} er oprettet i e-conomic (under "
            "indstillingerne for valuta).",
            f"Kontroller, at webshoppen har en kurs for {v['currency']} i Dandomain.",
        ),
        (
            f"Check that the currency {v['currency']} is set up in e-conomic (in the currency "
            "settings).",
            f"Check that the shop has an exchange rate for {v['currency']} in Dandomain.",
        ),
    )


def _customer_unmapped(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            f"Vælg den {v['what_da']} i e-conomic, som kunder i momszone {v['vat_zone']} skal "
            "have.",
            f"Bed den, der driver autobook for dig, om at tilføje den for momszone "
            f"{v['vat_zone']}.",
        ),
        (
            f"Choose the e-conomic {v['what_en']} for buyers in VAT zone {v['vat_zone']}.",
            f"Ask whoever runs autobook for you to add it for VAT zone {v['vat_zone']}.",
        ),
    )


def _trial_draft_deleted(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            f"Find ud af, om ordre {v['order_id']} skal faktureres (kladde {v['draft_number']} "
            "blev slettet i e-conomic).",
            "Skal den faktureres, så tryk »Prøv igen«: autobook laver og bogfører fakturaen.",
            "Skal den ikke, så ignorer fejlen med en begrundelse.",
        ),
        (
            f"Decide whether order {v['order_id']} is to be invoiced (draft "
            f"{v['draft_number']} was deleted in e-conomic).",
            "If it is, press “Retry”: autobook makes and books the invoice.",
            "If it is not, ignore the error with a reason.",
        ),
    )


def _credit_note_by_hand(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            f"Åbn kreditnota-ordre {v['order_id']} i Dandomain, og se hvad den krediterer "
            f"({v['amount']} {v['currency']} af ordre {v['credited_order_id']}).",
            v["reason_da"],
        ),
        (
            f"Open credit-note order {v['order_id']} in Dandomain and see what it credits "
            f"({v['amount']} {v['currency']} of order {v['credited_order_id']}).",
            v["reason_en"],
        ),
    )


def _invoice_mismatch(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            f"Åbn {v['document_da']} {v['number']} i e-conomic og se, hvad der er ændret.",
            "Er den rigtig, så bogfør den selv i e-conomic; ellers slet den.",
            "Tryk derefter »Prøv igen«: autobook noterer din faktura eller laver en ny.",
        ),
        (
            f"Open {v['document_en']} {v['number']} in e-conomic and see what was changed.",
            "If it is right, book it yourself in e-conomic; otherwise delete it.",
            "Then press “Retry”: autobook records your invoice or makes a new one.",
        ),
    )


def _service_unavailable(v: _Values) -> tuple[Steps, Steps]:
    return (
        (f"Intet at gøre: autobook prøver igen, når {v['service']} svarer igen.",),
        (f"Nothing to do: autobook tries again once {v['service']} answers again.",),
    )


def _unexpected(v: _Values) -> tuple[Steps, Steps]:
    return (
        (
            f"Send referencen {v['reference']} til den, der driver autobook for dig.",
            "Tryk »Prøv igen«, når du har fået besked om, at fejlen er rettet.",
        ),
        (
            f"Send the reference {v['reference']} to whoever runs autobook for you.",
            "Press “Retry” once you hear the fault is fixed.",
        ),
    )


_BUILDERS: dict[ErrorCode, _Builder] = {
    ErrorCode.TRIAL_DRAFT_DELETED: _trial_draft_deleted,
    ErrorCode.INVOICE_MISMATCH: _invoice_mismatch,
    ErrorCode.CREDIT_NOTE_BY_HAND: _credit_note_by_hand,
    ErrorCode.SERVICE_UNAVAILABLE: _service_unavailable,
    ErrorCode.UNEXPECTED: _unexpected,
    ErrorCode.PAYMENT_METHOD_UNMAPPED: _payment_method,
    ErrorCode.PRODUCT_MISSING: _product_missing,
    ErrorCode.PRODUCT_BARRED: _product_barred,
    ErrorCode.FEE_UNMAPPED: _fee,
    ErrorCode.DISCOUNT_UNMAPPED: _discount,
    ErrorCode.VAT_ZONE_UNKNOWN: _vat_zone,
    ErrorCode.TOTALS_MISMATCH: _totals,
    ErrorCode.CUSTOMER_INVALID: _customer_invalid,
    ErrorCode.ACCOUNTING_YEAR_MISSING: _accounting_year,
    ErrorCode.ECONOMIC_ACCESS: _economic_access,
    ErrorCode.DANDOMAIN_ACCESS: _dandomain_access,
    ErrorCode.ORDER_CANCELLED_AFTER_BOOKING: _cancelled,
    ErrorCode.ORDER_CHANGED_AFTER_BOOKING: _changed,
    ErrorCode.MAIL_FAILED: _mail_failed,
    ErrorCode.ORDER_NOT_FOUND: _order_not_found,
    ErrorCode.ECONOMIC_REJECTED: _rejected,
    ErrorCode.CURRENCY_UNKNOWN: _currency,
    ErrorCode.CUSTOMER_UNMAPPED: _customer_unmapped,
}


def fix_steps(code: ErrorCode, parameters: Mapping[str, object], language: Language) -> FixSteps:
    """The numbered steps for one error, in `language`, with the error's own values."""
    da, en = _BUILDERS[code](_Values(parameters))
    remedy = REMEDIES[code]
    after_da, after_en = _AFTERWARDS[remedy]
    danish = language == Language.DA
    return FixSteps(
        code=code,
        language=language,
        steps=da if danish else en,
        remedy=remedy,
        afterwards=after_da if danish else after_en,
    )


def merged_parameters(many: Sequence[Mapping[str, object]]) -> dict[str, str]:
    """One parameter set for several errors of one code: the distinct values of each key, in
    order, joined (product numbers 'A, B'), so one list of steps covers them all."""
    merged: dict[str, list[str]] = {}
    for parameters in many:
        for key, value in parameters.items():
            seen = merged.setdefault(key, [])
            for part in str(value).split(", "):
                if part and part not in seen:
                    seen.append(part)
    return {key: ", ".join(values) for key, values in merged.items()}
