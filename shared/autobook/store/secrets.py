"""Secrets Manager: the shops' secrets and the e-conomic app token, cached per container for
five minutes (a rotated secret is picked up within that time, and a warm container reads
Secrets Manager once per shop, not once per order)."""

import json
import time
from collections.abc import Callable
from typing import Any

import boto3

from autobook.domain.owner_link import MIN_KEY_BYTES
from autobook.domain.shop import ShopSecrets
from autobook.store.aws_config import unavailable_as_transient

MAX_AGE_SECONDS = 300.0


class SecretsManagerSecrets:
    def __init__(
        self,
        *,
        shop_secret_name: Callable[[str], str],
        app_secret_name: str,
        owner_page_secret_name: str = "",
        config: Any = None,
        max_age_seconds: float = MAX_AGE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._shop_secret_name = shop_secret_name
        self._app_secret_name = app_secret_name
        self._owner_page_secret_name = owner_page_secret_name
        self._config = config
        self._max_age = max_age_seconds
        self._monotonic = monotonic
        self._client: Any = None
        self._cache: dict[str, tuple[float, dict[str, Any]]] = {}

    def shop(self, shop_id: str) -> ShopSecrets:
        return ShopSecrets.model_validate(self._read(self._shop_secret_name(shop_id)))

    def economic_app_token(self) -> str:
        return str(self._read(self._app_secret_name)["app_secret_token"])

    def owner_page_key(self) -> bytes:
        """The deployment's key that signs the owner-page links (autobook/<stage>/owner-page)."""
        key = str(self._read(self._owner_page_secret_name)["link_key"]).encode()
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"{self._owner_page_secret_name}: link_key is too short")
        return key

    def forget(self, shop_id: str) -> None:
        self._cache.pop(self._shop_secret_name(shop_id), None)

    def _read(self, name: str) -> dict[str, Any]:
        now = self._monotonic()
        cached = self._cache.get(name)
        if cached and now - cached[0] < self._max_age:
            return cached[1]
        if self._client is None:
            self._client = boto3.client("secretsmanager", config=self._config)
        with unavailable_as_transient("Secrets Manager"):
            answer = self._client.get_secret_value(SecretId=name)
        value: dict[str, Any] = json.loads(answer["SecretString"])
        self._cache[name] = (now, value)
        return value


class SecretsManagerWriter:
    """Operator side: store a shop's secrets (create or replace)."""

    def __init__(self, *, shop_secret_name: Callable[[str], str], config: Any = None) -> None:
        self._shop_secret_name = shop_secret_name
        self._config = config

    def put_shop(self, shop_id: str, secrets: ShopSecrets) -> None:
        client = boto3.client("secretsmanager", config=self._config)
        name = self._shop_secret_name(shop_id)
        value = json.dumps(
            {
                "dandomain_api_key": secrets.dandomain_api_key,
                "webshop_username": secrets.webshop_username,
                "webshop_password": secrets.webshop_password,
                "economic_grant_token": secrets.economic_grant_token,
                "webhook_secret": secrets.webhook_secret,
            }
        )
        try:
            client.put_secret_value(SecretId=name, SecretString=value)
        except client.exceptions.ResourceNotFoundException:
            client.create_secret(Name=name, SecretString=value)
