"""Secrets Manager access, cached for five minutes per container (Powertools parameters)."""

import json
from typing import Any

from aws_lambda_powertools.utilities import parameters

from autobook.domain.shop import ShopSecrets

_MAX_AGE_SECONDS = 300


class SecretStore:
    def __init__(self, *, shop_secret_name: Any, app_secret_name: str) -> None:
        self._shop_secret_name = shop_secret_name
        self._app_secret_name = app_secret_name

    def shop(self, shop_id: str) -> ShopSecrets:
        value = parameters.get_secret(
            self._shop_secret_name(shop_id), transform="json", max_age=_MAX_AGE_SECONDS
        )
        return ShopSecrets.model_validate(value)

    def economic_app_secret_token(self) -> str:
        value = parameters.get_secret(
            self._app_secret_name, transform="json", max_age=_MAX_AGE_SECONDS
        )
        return str(value["app_secret_token"])


class SecretWriter:
    """Operator side: store a shop's secrets (create or replace). Used by onboarding only."""

    def __init__(self, *, shop_secret_name: Any) -> None:
        self._shop_secret_name = shop_secret_name

    def put_shop(self, shop_id: str, secrets: ShopSecrets) -> None:
        import boto3  # only the operator path writes secrets; Lambdas never load this client

        client = boto3.client("secretsmanager")
        name = self._shop_secret_name(shop_id)
        value = json.dumps(
            {
                "dandomain_api_key": secrets.dandomain_api_key,
                "economic_grant_token": secrets.economic_grant_token,
                "webhook_secret": secrets.webhook_secret,
            }
        )
        try:
            client.put_secret_value(SecretId=name, SecretString=value)
        except client.exceptions.ResourceNotFoundException:
            client.create_secret(Name=name, SecretString=value)
