"""The composition root: the one place that builds the adapters from the settings and hands
them to the use cases. Everything is built on first use (and the heavy imports happen there),
so a function pays only for what it uses: the webhook never imports httpx or the mapping.

One `Root` per Lambda container (the handler module holds it); a new root — a new container,
a test — starts with new clients.
"""

from functools import cached_property
from typing import TYPE_CHECKING

from autobook.settings import Settings
from autobook.usecases.clock import Clock, utc_now

if TYPE_CHECKING:  # the types only; the modules are imported where they are first used
    import httpx
    from botocore.config import Config

    from autobook.domain.shop import ShopConfig, ShopSecrets
    from autobook.messaging.dead_letters import SqsDeadLetters
    from autobook.messaging.queues import Sqs, SqsMailQueue, SqsOrderQueue
    from autobook.owner_page.page import OwnerPage
    from autobook.store.cached_shops import CachedShopConfigs
    from autobook.store.call_budget import DynamoCallBudget
    from autobook.store.dynamo import Dynamo
    from autobook.store.error_log import DynamoErrorLog
    from autobook.store.ledger import DynamoLedger
    from autobook.store.secrets import SecretsManagerSecrets, SecretsManagerWriter
    from autobook.store.shops import DynamoShopDirectory
    from autobook.usecases.backfill import Backfill
    from autobook.usecases.book_order import BookOrder
    from autobook.usecases.doctor import ShopDoctor
    from autobook.usecases.mail_invoice import MailInvoice
    from autobook.usecases.mappings import MappingWork
    from autobook.usecases.onboarding import AddShop
    from autobook.usecases.operations import Operations
    from autobook.usecases.owner_notices import OwnerNoticeService
    from autobook.usecases.ports import BooksFactory, Mailer, OrderSources
    from autobook.usecases.queries import ShopQueries
    from autobook.usecases.recheck import Recheck
    from autobook.usecases.reconcile import ReconcileService
    from autobook.usecases.scheduled import ScheduledChecks
    from autobook.usecases.trial import TrialReview


class Root:
    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock = utc_now,
        http: "httpx.Client | None" = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self._http = http

    # -- AWS -----------------------------------------------------------------------------
    @cached_property
    def aws_config(self) -> "Config":
        from autobook.store.aws_config import client_config

        return client_config(
            connect_seconds=self.settings.aws_connect_timeout_seconds,
            read_seconds=self.settings.aws_read_timeout_seconds,
            attempts=self.settings.aws_call_attempts,
        )

    @cached_property
    def dynamo(self) -> "Dynamo":
        from autobook.store.dynamo import Dynamo

        return Dynamo(config=self.aws_config)

    @cached_property
    def sqs(self) -> "Sqs":
        from autobook.messaging.queues import Sqs

        return Sqs(config=self.aws_config)

    @cached_property
    def shops(self) -> "DynamoShopDirectory":
        from autobook.store.shops import DynamoShopDirectory

        return DynamoShopDirectory(self.dynamo, self.settings.shops_table)

    @cached_property
    def webhook_shop_configs(self) -> "CachedShopConfigs":
        from autobook.store.cached_shops import CachedShopConfigs

        return CachedShopConfigs(self.shops)

    @cached_property
    def ledger(self) -> "DynamoLedger":
        from autobook.store.ledger import DynamoLedger

        return DynamoLedger(self.dynamo, self.settings.ledger_table)

    @cached_property
    def errors(self) -> "DynamoErrorLog":
        from autobook.store.error_log import DynamoErrorLog

        return DynamoErrorLog(self.dynamo, self.settings.errors_table)

    @cached_property
    def secrets(self) -> "SecretsManagerSecrets":
        from autobook.store.secrets import SecretsManagerSecrets

        return SecretsManagerSecrets(
            shop_secret_name=self.settings.shop_secret_name,
            app_secret_name=self.settings.economic_app_secret_name,
            owner_page_secret_name=self.settings.owner_page_secret_name,
            config=self.aws_config,
        )

    @cached_property
    def secret_writer(self) -> "SecretsManagerWriter":
        from autobook.store.secrets import SecretsManagerWriter

        return SecretsManagerWriter(
            shop_secret_name=self.settings.shop_secret_name, config=self.aws_config
        )

    @cached_property
    def order_queue(self) -> "SqsOrderQueue":
        from autobook.messaging.queues import SqsOrderQueue

        return SqsOrderQueue(self.sqs, self.settings.orders_queue_url)

    @cached_property
    def mail_queue(self) -> "SqsMailQueue":
        from autobook.messaging.queues import SqsMailQueue

        return SqsMailQueue(self.sqs, self.settings.invoices_queue_url)

    @cached_property
    def mailer(self) -> "Mailer":
        from autobook.notify.ses import SesMailer

        return SesMailer(config=self.aws_config)

    def dead_letters(self, *, dlq_url: str, target_url: str, fifo: bool) -> "SqsDeadLetters":
        from autobook.messaging.dead_letters import SqsDeadLetters

        return SqsDeadLetters(self.sqs, dlq_url=dlq_url, target_url=target_url, fifo=fifo)

    # -- the outside APIs ----------------------------------------------------------------
    @cached_property
    def http(self) -> "httpx.Client":
        if self._http is not None:
            return self._http
        from autobook.economic.http import outside_api_client

        return outside_api_client(self.settings.http_timeout_seconds)

    @cached_property
    def sources(self) -> "OrderSources":
        from autobook.dandomain.factory import DandomainSources

        return DandomainSources(self.secrets, self.http)

    @cached_property
    def books(self) -> "BooksFactory":
        from autobook.economic.agreements import EconomicAgreements
        from autobook.economic.retry import RetryPolicy

        retry = RetryPolicy(
            max_attempts=self.settings.retry_attempts, base_seconds=self.settings.retry_base_seconds
        )
        return EconomicAgreements(
            secrets=self.secrets,
            http=self.http,
            base_url=self.settings.economic_base_url,
            retry=retry,
            budget=self.call_budget,
        )

    @cached_property
    def call_budget(self) -> "DynamoCallBudget | None":
        if not self.settings.call_budget_table:
            return None
        from autobook.store.call_budget import DynamoCallBudget

        return DynamoCallBudget(self.dynamo, self.settings.call_budget_table)

    # -- the owner -----------------------------------------------------------------------
    @cached_property
    def notices(self) -> "OwnerNoticeService":
        from autobook.usecases.owner_mail import OwnerMailPresenter
        from autobook.usecases.owner_notices import OwnerNoticeService

        mail = OwnerMailPresenter(
            mailer=self.mailer,
            sources=self.sources,
            ledger=self.ledger,
            sender=self.settings.sender_address,
            page_base_url=self.settings.owner_page_url,
            link_key=self.secrets.owner_page_key,
            clock=self.clock,
        )
        return OwnerNoticeService(errors=self.errors, shops=self.shops, mail=mail)

    def owner_page(self) -> "OwnerPage":
        from autobook.owner_page.actions import CoreOwnerActions
        from autobook.owner_page.page import OwnerPage

        actions = CoreOwnerActions(
            operations=self.operations(), queries=self.queries(), sources=self.sources
        )
        return OwnerPage(actions=actions, link_key=self.secrets.owner_page_key, clock=self.clock)

    # -- use cases -----------------------------------------------------------------------
    def book_order(self) -> "BookOrder":
        from autobook.usecases.book_order import BookOrder

        return BookOrder(
            shops=self.shops,
            sources=self.sources,
            books=self.books,
            ledger=self.ledger,
            notices=self.notices,
            mail_queue=self.mail_queue,
            order_queue=self.order_queue,
            clock=self.clock,
        )

    def backfill(self) -> "Backfill":
        from autobook.usecases.backfill import Backfill

        return Backfill(book_order=self.book_order(), ledger=self.ledger)

    def mail_invoice(self) -> "MailInvoice":
        from autobook.usecases.mail_invoice import MailInvoice

        return MailInvoice(
            shops=self.shops,
            sources=self.sources,
            books=self.books,
            ledger=self.ledger,
            notices=self.notices,
            mailer=self.mailer,
            sender_address=self.settings.sender_address,
            clock=self.clock,
        )

    def reconcile(self) -> "ReconcileService":
        from autobook.usecases.reconcile import ReconcileService

        return ReconcileService(
            shops=self.shops,
            sources=self.sources,
            ledger=self.ledger,
            notices=self.notices,
            order_queue=self.order_queue,
            clock=self.clock,
        )

    def recheck(self) -> "Recheck":
        from autobook.usecases.recheck import Recheck

        return Recheck(
            shops=self.shops, ledger=self.ledger, errors=self.errors, order_queue=self.order_queue
        )

    def scheduled(self) -> "ScheduledChecks":
        from autobook.usecases.scheduled import ScheduledChecks

        return ScheduledChecks(
            shops=self.shops,
            reconcile=self.reconcile(),
            recheck=self.recheck(),
            notices=self.notices,
        )

    def operations(self) -> "Operations":
        from autobook.usecases.operations import Operations

        return Operations(
            shops=self.shops,
            ledger=self.ledger,
            errors=self.errors,
            order_queue=self.order_queue,
            mail_queue=self.mail_queue,
            clock=self.clock,
        )

    def queries(self) -> "ShopQueries":
        from autobook.usecases.queries import ShopQueries

        return ShopQueries(shops=self.shops, ledger=self.ledger, errors=self.errors)

    def add_shop(self) -> "AddShop":
        from autobook.usecases.onboarding import AddShop

        return AddShop(
            shops=self.shops,
            operations=self.operations(),
            probe=LiveCredentialProbe(self),
            writer=self.secret_writer,
        )

    def mapping_work(self) -> "MappingWork":
        from autobook.usecases.mappings import MappingWork

        return MappingWork(
            shops=self.shops, sources=self.sources, books=self.books, operations=self.operations()
        )

    def doctor(self) -> "ShopDoctor":
        from autobook.notify.ses import SesMailer
        from autobook.usecases.doctor import ShopDoctor

        return ShopDoctor(
            shops=self.shops,
            sources=self.sources,
            books=self.books,
            sender=SesMailer(config=self.aws_config),
            sender_address=self.settings.sender_address,
            clock=self.clock,
        )

    def trial(self) -> "TrialReview":
        from autobook.usecases.trial import TrialReview

        return TrialReview(
            shops=self.shops,
            ledger=self.ledger,
            errors=self.errors,
            books=self.books,
            sources=self.sources,
            clock=self.clock,
        )


class LiveCredentialProbe:
    """Credentials tried with one read each: the Dandomain sites, e-conomic's `/self`."""

    def __init__(self, root: Root) -> None:
        self._root = root

    def dandomain(self, config: "ShopConfig", secrets: "ShopSecrets") -> str:
        from autobook.dandomain.sources import build_order_source

        sites = build_order_source(config, secrets, self._root.http).sites()
        return f"{len(sites)} sites ({', '.join(s.name for s in sites)})"

    def economic(self, grant_token: str) -> str:
        from autobook.economic.client import EconomicBooks

        books = EconomicBooks(
            base_url=self._root.settings.economic_base_url,
            app_secret_token=self._root.secrets.economic_app_token(),
            grant_token=grant_token,
            http=self._root.http,
        )
        return f"agreement answers, base currency {books.base_currency()}"


def root_from_environment() -> Root:
    return Root(Settings.from_environment().require_all())  # values come from the environment
