"""The owner page's link key from Secrets Manager (`autobook/<stage>/owner-page` ->
{"link_key": ...}), cached for five minutes per container (Powertools parameters)."""

from aws_lambda_powertools.utilities import parameters

from autobook.domain.owner_link import MIN_KEY_BYTES

_MAX_AGE_SECONDS = 300


class PageKeyStore:
    def __init__(self, secret_name: str) -> None:
        self._secret_name = secret_name

    def link_key(self) -> bytes:
        value = parameters.get_secret(self._secret_name, transform="json", max_age=_MAX_AGE_SECONDS)
        key = str(value["link_key"]).encode()
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"{self._secret_name}: link_key has fewer than {MIN_KEY_BYTES} bytes")
        return key
