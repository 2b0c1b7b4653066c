"""What an operator or an owner can do, with the same rules wherever it is started (the CLI,
the owner page, a Lambda): register or change a shop, replay orders, resolve or ignore an
error, resend a mail, credit and rebook a changed order. Every action is recorded in the
order's history with who did it and when."""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from aws_lambda_powertools import Logger

from autobook.domain.errors import ErrorCode, ErrorRecord, ErrorStatus
from autobook.domain.events import DocumentKind, MailJob
from autobook.domain.ledger import Booker, LedgerEntry, LedgerState, MailRecord, OwnerRequest
from autobook.domain.resume import Resume, codes_resumed_by
from autobook.domain.shop import ShopConfig, ShopSecrets
from autobook.usecases.ports import (
    Clock,
    DeadLetters,
    ErrorLog,
    Ledger,
    MailQueue,
    OrderQueue,
    SecretWriter,
    ShopDirectory,
)
from autobook.usecases.replay import replay_event

logger = Logger(child=True)


class ActionError(Exception):
    """An action that cannot be done as asked, with the reason in Danish and English."""

    def __init__(self, da: str, en: str) -> None:
        self.da = da
        self.en = en
        super().__init__(en)


class UnknownShopError(ActionError):
    def __init__(self, shop_id: str) -> None:
        super().__init__(f"Butikken {shop_id} findes ikke.", f"Shop {shop_id} does not exist.")


def registered_shop(shops: ShopDirectory, shop_id: str) -> ShopConfig:
    """The shop's configuration; UnknownShopError for a shop that is not registered."""
    shop = shops.get(shop_id)
    if shop is None:
        raise UnknownShopError(shop_id)
    return shop


class Done(StrEnum):
    QUEUED = "queued"
    RESOLVED = "resolved"
    IGNORED = "ignored"


@dataclass(frozen=True)
class Operations:
    shops: ShopDirectory
    ledger: Ledger
    errors: ErrorLog
    order_queue: OrderQueue
    mail_queue: MailQueue
    clock: Clock

    # -- shops ---------------------------------------------------------------------------
    def register_shop(
        self, config: ShopConfig, secrets: ShopSecrets, writer: SecretWriter, *, actor: str
    ) -> ShopConfig:
        """Register (or re-register) a shop: secrets to Secrets Manager, config to the table.
        A new shop starts its trial now."""
        problems = registration_problems(config, secrets)
        if problems:
            raise ActionError(
                "Butikken kan ikke registreres: " + "; ".join(da for da, _ in problems) + ".",
                "The shop cannot be registered: " + "; ".join(en for _, en in problems) + ".",
            )
        now = self.clock()
        existing = self.shops.get(config.shop_id)
        if existing is None:
            config = config.model_copy(
                update={
                    "trial_started_at": config.trial_started_at or now,
                    "go_live_at": config.go_live_at or config.trial_started_at or now,
                }
            )
        writer.put_shop(config.shop_id, secrets)
        self._save(existing, config, actor=actor)
        logger.info("shop registered", extra={"shop_id": config.shop_id, "actor": actor})
        return config

    def update_shop(self, config: ShopConfig, *, actor: str) -> list[str]:
        """Save a changed config. When the mapping changed, the orders a mapping blocks are
        replayed (they go through if the change fixed them). The replayed order ids."""
        existing = self.shops.get(config.shop_id)
        if existing is None:
            raise UnknownShopError(config.shop_id)
        return self._save(existing, config, actor=actor)

    def _save(self, existing: ShopConfig | None, config: ShopConfig, *, actor: str) -> list[str]:
        self.shops.put(config)
        if existing is None or existing.economic == config.economic:
            return []
        return self._replay_codes(config.shop_id, codes_resumed_by(Resume.MAPPING), actor=actor)

    # -- orders --------------------------------------------------------------------------
    def replay_order(self, shop_id: str, order_id: str, *, actor: str) -> Done:
        """Send the order through booking again (after a fix). A trial draft the owner deleted
        is invoiced anew only when someone asks like this."""
        self._shop(shop_id)
        entry = self.ledger.get(shop_id, order_id)
        if entry is not None:
            if (
                entry.state == LedgerState.FAILED
                and entry.error_code == ErrorCode.TRIAL_DRAFT_DELETED
            ):
                entry = entry.requested(OwnerRequest.INVOICE_AGAIN, self.clock(), actor=actor)
            else:
                entry = entry.noted(self.clock(), "replay requested", actor=actor)
            self.ledger.save(entry)
        self.order_queue.send([replay_event(shop_id, order_id, self.clock(), actor=actor)])
        logger.info(
            "replay queued", extra={"shop_id": shop_id, "order_id": order_id, "actor": actor}
        )
        return Done.QUEUED

    def replay_code(self, shop_id: str, code: ErrorCode, *, actor: str) -> list[str]:
        """Replay every order of the shop whose open error has this code."""
        self._shop(shop_id)
        return self._replay_codes(shop_id, frozenset({str(code)}), actor=actor)

    def _replay_codes(self, shop_id: str, codes: frozenset[str], *, actor: str) -> list[str]:
        now = self.clock()
        entries = [
            e
            for e in self.ledger.in_states(shop_id, [LedgerState.FAILED], limit=1000)
            if e.error_code in codes
        ]
        events = [replay_event(shop_id, e.order_id, now, actor=actor) for e in entries]
        self.order_queue.send(events)
        return [e.order_id for e in entries]

    def credit_and_rebook(self, shop_id: str, order_id: str, *, actor: str) -> Done:
        """The owner's choice for a booked order that changed: credit it and invoice the
        order as it is now."""
        entry = self._entry(shop_id, order_id)
        if not entry.is_invoiced or entry.invoice.booked_by != Booker.AUTOBOOK:
            raise ActionError(
                f"Ordre {order_id} har ingen faktura fra autobook at kreditere.",
                f"Order {order_id} has no invoice from autobook to credit.",
            )
        self.ledger.save(entry.requested(OwnerRequest.CREDIT_AND_REBOOK, self.clock(), actor=actor))
        self.order_queue.send([replay_event(shop_id, order_id, self.clock(), actor=actor)])
        return Done.QUEUED

    # -- errors --------------------------------------------------------------------------
    def resolve_error(self, shop_id: str, order_id: str, code: ErrorCode, *, actor: str) -> Done:
        record = self._open_error(shop_id, order_id, code)
        self.errors.close(record, ErrorStatus.RESOLVED, self.clock(), by=actor)
        self._note(shop_id, order_id, f"{code} marked resolved", actor)
        return Done.RESOLVED

    def ignore_error(
        self, shop_id: str, order_id: str, code: ErrorCode, reason: str, *, actor: str
    ) -> Done:
        reason = " ".join(reason.split())
        if not reason:
            raise ActionError("Skriv hvorfor fejlen ignoreres.", "Say why the error is ignored.")
        record = self._open_error(shop_id, order_id, code)
        self.errors.close(record, ErrorStatus.IGNORED, self.clock(), by=actor, reason=reason[:500])
        self._note(shop_id, order_id, f"{code} ignored: {reason[:200]}", actor)
        return Done.IGNORED

    # -- mail ----------------------------------------------------------------------------
    def resend_mail(
        self, shop_id: str, order_id: str, *, actor: str, credit_note: bool = False
    ) -> Done:
        """Mail the invoice (or credit note) to the buyer again: after a failed or uncertain
        mail, or because the buyer asked. Only documents autobook booked itself."""
        shop = self._shop(shop_id)
        entry = self._entry(shop_id, order_id)
        document = entry.credit if credit_note else entry.invoice
        kind = "kreditnota" if credit_note else "faktura"
        if document.booked_number is None or entry.invoice.booked_by != Booker.AUTOBOOK:
            raise ActionError(
                f"Ordre {order_id} har ingen bogført {kind} fra autobook at sende.",
                f"Order {order_id} has no booked {'credit note' if credit_note else 'invoice'} "
                "from autobook to send.",
            )
        if shop.invoice_source != "economic":
            raise ActionError(
                "Butikken sender selv sine fakturaer.", "The shop sends its own invoices."
            )
        entry = entry.with_mail(credit_note, MailRecord(), self.clock())
        self.ledger.save(entry.noted(self.clock(), f"{kind} mail requested again", actor=actor))
        self.mail_queue.send(
            MailJob(
                shop_id=shop_id,
                order_id=order_id,
                booked_invoice_number=document.booked_number,
                kind=DocumentKind.CREDIT_NOTE if credit_note else DocumentKind.INVOICE,
            )
        )
        mail_error = self.errors.get(shop_id, order_id, ErrorCode.MAIL_FAILED)
        if mail_error is not None and mail_error.status == ErrorStatus.OPEN:
            self.errors.close(mail_error, ErrorStatus.RESOLVED, self.clock(), by=actor)
        return Done.QUEUED

    # -- dead letters --------------------------------------------------------------------
    def redrive(self, letters: DeadLetters, *, max_messages: int, actor: str) -> int:
        """Move dead letters back to their queue once the cause is fixed (booking and mailing
        are idempotent, so a message moved twice is harmless)."""
        moved = letters.redrive(max_messages=max_messages, now=self.clock())
        logger.info("dead letters redriven", extra={"moved": moved, "actor": actor})
        return moved

    # -- helpers -------------------------------------------------------------------------
    def _shop(self, shop_id: str) -> ShopConfig:
        return registered_shop(self.shops, shop_id)

    def _entry(self, shop_id: str, order_id: str) -> LedgerEntry:
        self._shop(shop_id)
        entry = self.ledger.get(shop_id, order_id)
        if entry is None:
            raise ActionError(
                f"autobook kender ikke ordre {order_id}.",
                f"autobook does not know order {order_id}.",
            )
        return entry

    def _open_error(self, shop_id: str, order_id: str, code: ErrorCode) -> ErrorRecord:
        self._shop(shop_id)
        record = self.errors.get(shop_id, order_id, code)
        if record is None or record.status != ErrorStatus.OPEN:
            raise ActionError(
                f"Ordre {order_id} har ingen åben fejl {code}.",
                f"Order {order_id} has no open error {code}.",
            )
        return record

    def _note(self, shop_id: str, order_id: str, note: str, actor: str) -> None:
        entry = self.ledger.get(shop_id, order_id)
        if entry is not None:
            self.ledger.save(entry.noted(self.clock(), note, actor=actor))


def registration_problems(config: ShopConfig, secrets: ShopSecrets) -> Sequence[tuple[str, str]]:
    """What keeps a shop from working, in Danish and English."""
    problems: list[tuple[str, str]] = []
    if not config.booking_state_ids:
        problems.append(
            (
                "ingen ordrestatus bogfører ordrer (booking_state_ids)",
                "no order state books orders (booking_state_ids)",
            )
        )
    if config.booking_state_ids & config.cancel_state_ids:
        problems.append(
            ("en ordrestatus både bogfører og annullerer", "an order state both books and cancels")
        )
    if config.owner is None:
        problems.append(
            ("ingen ejer at give besked (owner.addresses)", "no owner to tell (owner.addresses)")
        )
    missing = secrets.missing_for(config.dandomain.platform)
    if missing:
        names = ", ".join(missing)
        problems.append((f"hemmeligheder mangler: {names}", f"secrets missing: {names}"))
    return problems
