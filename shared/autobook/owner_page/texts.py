"""The words of the owner page, in Danish and in English (each pure in its language)."""

from autobook.domain.shop import Language

PAGE_TEXTS: dict[Language, dict[str, str]] = {
    Language.DA: {
        "title": "{shop}: fejl og fakturaer",
        "switch_label": "English",
        "open_errors": "Åbne fejl",
        "no_errors": "Der er ingen åbne fejl. Alle ordrer er bogført eller på vej.",
        "paused": "Bogføringen er sat på pause: {title}",
        "paused_since": "Siden {since}. {orders} venter og bliver ikke væk.",
        "retry_now": "Prøv igen nu",
        "retry": "Prøv igen",
        "retry_all": "Prøv igen for alle med denne fejl",
        "resend": "Send faktura igen",
        "rebook": "Krediter og bogfør igen",
        "ignore": "Ignorer",
        "reason": "Begrundelse for at ignorere",
        "steps": "Sådan retter du det",
        "order": "Ordre",
        "buyer": "Køber",
        "amount": "Beløb",
        "cause": "Årsag",
        "since": "Første gang {since}",
        "seen": "set {count} gange",
        "orders_with_error": "{orders} med denne fejl",
        "invoices": "Seneste fakturaer",
        "no_invoices": "Ingen fakturaer endnu.",
        "state_drafted": "Kladde",
        "state_booked": "Bogført",
        "state_mailed": "Bogført og mailet",
        "state_credited": "Krediteret",
        "draft_number": "kladde {number}",
        "booked_number": "faktura {number}",
        "credit_number": "kreditnota {number}",
        "find_in_economic": "Find {what} i e-conomic",
        "mail_failed": "Mailen til køberen fejlede.",
        "updated": "Opdateret {when}",
        "link_note": (
            "Linket til siden virker til {expires}. Det giver adgang uden adgangskode: del "
            "det ikke."
        ),
        "order_one": "1 ordre",
        "order_many": "{count} ordrer",
        "done_replay": "Ordre {order} er sendt til bogføring igen.",
        "none_replay": "Ordre {order} har ingen åben fejl at prøve igen.",
        "done_replay_code": "{orders} med fejlen »{title}« er sendt til bogføring igen.",
        "none_replay_code": "Ingen ordrer har fejlen »{title}« lige nu.",
        "done_resend": "Fakturaen til ordre {order} bliver sendt igen.",
        "none_resend": "Ordre {order} har ingen faktura, der venter på at blive sendt.",
        "done_ignore": "Fejlen på ordre {order} er ignoreret.",
        "none_ignore": "Ordre {order} har ingen åben fejl at ignorere.",
        "done_rebook": "Fakturaen til ordre {order} krediteres, og ordren bogføres igen.",
        "none_rebook": "Ordre {order} har ingen ændring, der venter på dit valg.",
        "reason_missing": "Skriv en begrundelse, før du ignorerer en fejl.",
        "invalid": "Handlingen kunne ikke udføres, fordi oplysningerne var ugyldige.",
    },
    Language.EN: {
        "title": "{shop}: errors and invoices",
        "switch_label": "Dansk",
        "open_errors": "Open errors",
        "no_errors": "There are no open errors. Every order is booked or on its way.",
        "paused": "Booking is paused: {title}",
        "paused_since": "Since {since}. {orders} waiting, and none is lost.",
        "retry_now": "Retry now",
        "retry": "Retry",
        "retry_all": "Retry all with this error",
        "resend": "Resend invoice",
        "rebook": "Credit and book again",
        "ignore": "Ignore",
        "reason": "Reason for ignoring",
        "steps": "How to fix it",
        "order": "Order",
        "buyer": "Buyer",
        "amount": "Amount",
        "cause": "Cause",
        "since": "First seen {since}",
        "seen": "seen {count} times",
        "orders_with_error": "{orders} with this error",
        "invoices": "Recent invoices",
        "no_invoices": "No invoices yet.",
        "state_drafted": "Draft",
        "state_booked": "Booked",
        "state_mailed": "Booked and mailed",
        "state_credited": "Credited",
        "draft_number": "draft {number}",
        "booked_number": "invoice {number}",
        "credit_number": "credit note {number}",
        "find_in_economic": "Find {what} in e-conomic",
        "mail_failed": "The mail to the buyer failed.",
        "updated": "Updated {when}",
        "link_note": (
            "The link to this page works until {expires}. It gives access without a password: "
            "do not share it."
        ),
        "order_one": "1 order",
        "order_many": "{count} orders",
        "done_replay": "Order {order} was sent for booking again.",
        "none_replay": "Order {order} has no open error to retry.",
        "done_replay_code": "{orders} with the error “{title}” sent for booking again.",
        "none_replay_code": "No orders have the error “{title}” right now.",
        "done_resend": "The invoice for order {order} is being sent again.",
        "none_resend": "Order {order} has no invoice waiting to be sent.",
        "done_ignore": "The error on order {order} is ignored.",
        "none_ignore": "Order {order} has no open error to ignore.",
        "done_rebook": "The invoice for order {order} is being credited and the order booked again.",
        "none_rebook": "Order {order} has no change waiting for your choice.",
        "reason_missing": "Write a reason before you ignore an error.",
        "invalid": "The action could not be done because the details were invalid.",
    },
}

# The same body for every refused request (forged, expired, another shop's, unknown shop), in
# both languages: it reveals nothing about why.
FORBIDDEN_TEXTS = (
    (
        "da",
        "Linket virker ikke",
        "Linket er ugyldigt eller udløbet. Brug linket i den nyeste mail fra autobook.",
    ),
    (
        "en",
        "The link does not work",
        "The link is invalid or has expired. Use the link in the latest mail from autobook.",
    ),
)


def counted_orders(count: int, language: Language) -> str:
    texts = PAGE_TEXTS[language]
    return texts["order_one"] if count == 1 else texts["order_many"].format(count=count)
