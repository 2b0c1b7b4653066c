"""The words of the owner mails, in Danish and in English (each pure in its language)."""

from autobook.domain.shop import Language

MAIL_TEXTS: dict[Language, dict[str, str]] = {
    Language.DA: {
        "subject_error": "[{shop}] Ordre {order} venter: {title}",
        "subject_info": "[{shop}] Ordre {order}: {title}",
        "subject_grouped": "[{shop}] {orders} venter: {title}",
        "subject_paused": "[{shop}] Bogføringen er sat på pause: {title}",
        "heading_resumed": "Bogføringen kører igen",
        "heading_digest": "Oversigt {day}: {items} åbne",
        "intro_waiting": (
            "autobook kan ikke gøre ordren færdig, før det her er rettet. Ordren venter og "
            "bliver ikke væk."
        ),
        "intro_info": "Til orientering om ordren her.",
        "intro_grouped": (
            "{orders} er stoppet af den samme fejl. De venter og bliver ikke væk. Ret fejlen "
            "én gang, så gælder det dem alle."
        ),
        "intro_paused": (
            "autobook har sat bogføringen for {shop} på pause siden {since}, fordi fejlen "
            "rammer alle ordrer. {orders} venter og bliver ikke væk."
        ),
        "intro_resumed": (
            "Bogføringen for {shop} var sat på pause fra {since} til {until} ({title}). "
            "Problemet er løst, og autobook bogfører nu {orders}."
        ),
        "intro_resumed_none": (
            "Bogføringen for {shop} var sat på pause fra {since} til {until} ({title}). "
            "Problemet er løst. Ingen ordrer nåede at vente."
        ),
        "intro_digest": "Det her er stadig åbent {day}.",
        "paused_title": "Sat på pause: {title}",
        "waiting_orders": "{orders} venter.",
        "cause": "Årsag",
        "steps": "Sådan retter du det",
        "order": "Ordre",
        "buyer": "Køber",
        "amount": "Beløb",
        "since": "siden {since}",
        "unknown_buyer": "ukendt",
        "open_page": "Åbn ejersiden",
        "page_note": (
            "På ejersiden ser du alle åbne fejl og kan prøve igen. Linket virker til "
            "{expires} og kræver ingen adgangskode: del det ikke."
        ),
        "footer": "Du får denne mail, fordi du står som ejer af {shop} i autobook.",
        "order_one": "1 ordre",
        "order_many": "{count} ordrer",
        "item_one": "1 sag",
        "item_many": "{count} sager",
    },
    Language.EN: {
        "subject_error": "[{shop}] Order {order} is waiting: {title}",
        "subject_info": "[{shop}] Order {order}: {title}",
        "subject_grouped": "[{shop}] {orders} waiting: {title}",
        "subject_paused": "[{shop}] Booking is paused: {title}",
        "heading_resumed": "Booking has resumed",
        "heading_digest": "Summary {day}: {items} open",
        "intro_waiting": (
            "autobook cannot finish the order until this is fixed. The order waits and is not lost."
        ),
        "intro_info": "For your information about this order.",
        "intro_grouped": (
            "{orders} were stopped by the same error. They wait and are not lost. Fix the "
            "error once, and it holds for all of them."
        ),
        "intro_paused": (
            "autobook has paused booking for {shop} since {since}, because the error hits "
            "every order. {orders} waiting, and none is lost."
        ),
        "intro_resumed": (
            "Booking for {shop} was paused from {since} to {until} ({title}). The problem is "
            "solved; autobook is now booking {orders}."
        ),
        "intro_resumed_none": (
            "Booking for {shop} was paused from {since} to {until} ({title}). The problem is "
            "solved. No orders had to wait."
        ),
        "intro_digest": "This is still open on {day}.",
        "paused_title": "Paused: {title}",
        "waiting_orders": "{orders} waiting.",
        "cause": "Cause",
        "steps": "How to fix it",
        "order": "Order",
        "buyer": "Buyer",
        "amount": "Amount",
        "since": "since {since}",
        "unknown_buyer": "unknown",
        "open_page": "Open the owner page",
        "page_note": (
            "On the owner page you see every open error and can retry. The link works until "
            "{expires} and needs no password: do not share it."
        ),
        "footer": "You receive this mail because you are the owner of {shop} in autobook.",
        "order_one": "1 order",
        "order_many": "{count} orders",
        "item_one": "1 item",
        "item_many": "{count} items",
    },
}


def counted(kind: str, count: int, language: Language) -> str:
    """ "1 ordre" / "3 ordrer" ("1 order" / "3 orders"); `kind` is "order" or "item"."""
    texts = MAIL_TEXTS[language]
    return texts[f"{kind}_one"] if count == 1 else texts[f"{kind}_many"].format(count=count)
