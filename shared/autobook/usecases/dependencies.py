"""What the use cases need from the outside, wired once per Lambda container (lazily)."""

from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from autobook.dandomain.classic_client import ClassicClient
from autobook.domain.shop import ShopConfig, ShopSecrets
from autobook.economic.client import EconomicClient
from autobook.economic.retry import RetryPolicy
from autobook.messaging.queues import MailQueue, OrderQueue
from autobook.notify.ses import MailSender
from autobook.settings import Settings
from autobook.store.error_log import ErrorLogRepository
from autobook.store.ledger import LedgerRepository
from autobook.store.secrets import SecretStore
from autobook.store.shops import ShopRepository
from autobook.usecases.clock import Clock, utc_now

DandomainFactory = Callable[[ShopConfig, ShopSecrets], ClassicClient]
EconomicFactory = Callable[[ShopSecrets], EconomicClient]


@dataclass
class Dependencies:
    shops: ShopRepository
    ledger: LedgerRepository
    errors: ErrorLogRepository
    secrets: SecretStore
    order_queue: OrderQueue
    mail_queue: MailQueue
    mail_sender: MailSender
    dandomain: DandomainFactory
    economic: EconomicFactory
    sender_address: str
    clock: Clock = field(default=utc_now)


def build_dependencies(settings: Settings, *, http: httpx.Client | None = None) -> Dependencies:
    client = http or httpx.Client(timeout=settings.http_timeout_seconds)
    retry = RetryPolicy(
        max_attempts=settings.retry_attempts, base_seconds=settings.retry_base_seconds
    )
    secrets = SecretStore(
        shop_secret_name=settings.shop_secret_name,
        app_secret_name=settings.economic_app_secret_name,
    )

    def dandomain(shop: ShopConfig, shop_secrets: ShopSecrets) -> ClassicClient:
        return ClassicClient(
            base_url=shop.dandomain.base_url, api_key=shop_secrets.dandomain_api_key, http=client
        )

    def economic(shop_secrets: ShopSecrets) -> EconomicClient:
        return EconomicClient(
            base_url=settings.economic_base_url,
            app_secret_token=secrets.economic_app_secret_token(),
            grant_token=shop_secrets.economic_grant_token,
            http=client,
            retry=retry,
        )

    return Dependencies(
        shops=ShopRepository(settings.shops_table),
        ledger=LedgerRepository(settings.ledger_table),
        errors=ErrorLogRepository(settings.errors_table),
        secrets=secrets,
        order_queue=OrderQueue(settings.orders_queue_url),
        mail_queue=MailQueue(settings.invoices_queue_url),
        mail_sender=MailSender(),
        dandomain=dandomain,
        economic=economic,
        sender_address=settings.sender_address,
    )
