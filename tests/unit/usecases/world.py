"""One shop's world of fakes, wired like the composition root wires the real adapters."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from autobook.domain.events import EventSource, MailJob, OrderEvent
from autobook.domain.ledger import LedgerEntry
from autobook.domain.order import Fee, Order, OrderLine, OrderState, Party
from autobook.domain.shop import (
    DandomainSettings,
    EconomicMapping,
    OwnerContact,
    PaymentMapping,
    ShippingMapping,
    ShopConfig,
    ShopMode,
    ShopSecrets,
)
from autobook.usecases.book_order import BookOrder, Outcome
from autobook.usecases.mail_invoice import MailInvoice, MailOutcome
from autobook.usecases.operations import Operations
from autobook.usecases.owner_notices import OwnerNoticeService
from autobook.usecases.queries import ShopQueries
from autobook.usecases.recheck import Recheck
from autobook.usecases.reconcile import ReconcileService
from autobook.usecases.trial import TrialReview
from tests.fakes import (
    FakeAgreements,
    FakeBooks,
    FakeClock,
    FakeErrorLog,
    FakeLedger,
    FakeMailer,
    FakeMailQueue,
    FakeOrderQueue,
    FakeOrderSource,
    FakeOwnerMail,
    FakeSecrets,
    FakeShops,
    FakeSources,
)

SHOP_ID = "shop-1"
BOOK = 3
CANCEL = 7
CARD = 60
GLS = 67


def shop_config(**changes: object) -> ShopConfig:
    config = ShopConfig(
        shop_id=SHOP_ID,
        name="Butik ApS",
        mode=ShopMode.ACTIVE,
        dandomain=DandomainSettings(base_url="https://shop.example"),
        booking_state_ids=frozenset({BOOK}),
        cancel_state_ids=frozenset({CANCEL}),
        owner=OwnerContact(addresses=("ejer@butik.dk",)),
        economic=EconomicMapping(
            payment_methods={CARD: PaymentMapping(name="Betalingskort", payment_terms_number=4)},
            shipping_methods={GLS: ShippingMapping(name="GLS", product="FRAGT")},
            discount_product="RABAT",
        ),
        trial_started_at=datetime(2026, 2, 1, tzinfo=UTC),
    )
    return config.model_copy(update=changes)


def order(
    order_id: str = "1001",
    *,
    state: int = BOOK,
    price: str = "100.00",
    quantity: str = "1",
    sku: str = "SKU-1",
    email: str = "karen@example.dk",
    payment_id: int = CARD,
    modified: datetime | None = None,
) -> Order:
    unit = Decimal(price)
    total = (unit * Decimal(quantity) * Decimal("1.25")).quantize(Decimal("0.01"))
    when = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    return Order(
        order_id=order_id,
        created_at=when,
        modified_at=modified or when,
        state=OrderState(id=state),
        currency="DKK",
        total_gross=total,
        vat_percent=Decimal("25"),
        customer=Party(name="Karen Jensen", country="Danmark", email=email),
        payment=Fee(method_id=payment_id, name="Betalingskort"),
        shipping=Fee(method_id=GLS, name="GLS"),
        lines=(
            OrderLine(
                line_id=1,
                sku=sku,
                name="Vare",
                quantity=Decimal(quantity),
                unit_net_price=unit,
                vat_percent=Decimal("25"),
            ),
        ),
    )


@dataclass
class World:
    shop: ShopConfig = field(default_factory=shop_config)
    clock: FakeClock = field(default_factory=FakeClock)
    source: FakeOrderSource = field(default_factory=FakeOrderSource)
    books: FakeBooks = field(default_factory=FakeBooks)
    ledger: FakeLedger = field(default_factory=FakeLedger)
    errors: FakeErrorLog = field(default_factory=FakeErrorLog)
    owner_mail: FakeOwnerMail = field(default_factory=FakeOwnerMail)
    mailer: FakeMailer = field(default_factory=FakeMailer)
    order_queue: FakeOrderQueue = field(default_factory=FakeOrderQueue)
    mail_queue: FakeMailQueue = field(default_factory=FakeMailQueue)
    secrets: FakeSecrets = field(default_factory=FakeSecrets)

    def __post_init__(self) -> None:
        self.shops = FakeShops(self.shop)
        self.secrets.put_shop(
            SHOP_ID,
            ShopSecrets(dandomain_api_key="k", economic_grant_token="g", webhook_secret="w"),
        )
        self.notices = OwnerNoticeService(
            errors=self.errors, shops=self.shops, mail=self.owner_mail
        )

    # -- the use cases, wired --------------------------------------------------------------
    @property
    def book_order(self) -> BookOrder:
        return BookOrder(
            shops=self.shops,
            sources=FakeSources(self.source),
            books=FakeAgreements(self.books),
            ledger=self.ledger,
            notices=self.notices,
            mail_queue=self.mail_queue,
            order_queue=self.order_queue,
            clock=self.clock,
        )

    @property
    def mail_invoice(self) -> MailInvoice:
        return MailInvoice(
            shops=self.shops,
            sources=FakeSources(self.source),
            books=FakeAgreements(self.books),
            ledger=self.ledger,
            notices=self.notices,
            mailer=self.mailer,
            sender_address="faktura@autobook.example",
            clock=self.clock,
        )

    @property
    def operations(self) -> Operations:
        return Operations(
            shops=self.shops,
            ledger=self.ledger,
            errors=self.errors,
            order_queue=self.order_queue,
            mail_queue=self.mail_queue,
            clock=self.clock,
        )

    @property
    def reconcile(self) -> ReconcileService:
        return ReconcileService(
            shops=self.shops,
            sources=FakeSources(self.source),
            ledger=self.ledger,
            notices=self.notices,
            order_queue=self.order_queue,
            clock=self.clock,
        )

    @property
    def recheck(self) -> Recheck:
        return Recheck(
            shops=self.shops, ledger=self.ledger, errors=self.errors, order_queue=self.order_queue
        )

    @property
    def queries(self) -> ShopQueries:
        return ShopQueries(shops=self.shops, ledger=self.ledger, errors=self.errors)

    @property
    def trial(self) -> TrialReview:
        return TrialReview(
            shops=self.shops,
            ledger=self.ledger,
            errors=self.errors,
            books=FakeAgreements(self.books),
            sources=FakeSources(self.source),
            clock=self.clock,
        )

    # -- driving ---------------------------------------------------------------------------
    def set_shop(self, **changes: object) -> ShopConfig:
        self.shop = self.shop.model_copy(update=changes)
        self.shops.put(self.shop)
        return self.shop

    def book(self, order_id: str = "1001", **kwargs: object) -> Outcome:
        event = OrderEvent(
            shop_id=SHOP_ID,
            order_id=order_id,
            source=EventSource.WEBHOOK,
            received_at=self.clock(),
            event_id=f"test:{order_id}:{self.clock().isoformat()}",
        )
        return self.book_order(event, **kwargs)  # type: ignore[arg-type]

    def deliver(self) -> list[Outcome]:
        """Book what is on the orders queue, like the booking function would."""
        return [self.book_order(event) for event in self.order_queue.take()]

    def mail(self) -> list[MailOutcome]:
        return [self.mail_invoice(job) for job in self.mail_queue.take()]

    def entry(self, order_id: str = "1001") -> LedgerEntry:
        entry = self.ledger.get(SHOP_ID, order_id)
        assert entry is not None
        return entry

    def mail_job(self, order_id: str = "1001") -> MailJob:
        number = self.entry(order_id).invoice.booked_number
        assert number is not None
        return MailJob(shop_id=SHOP_ID, order_id=order_id, booked_invoice_number=number)
