"""Adding a shop: its credentials are tried live against Dandomain and e-conomic before
anything is stored, so a wrong key or token is refused with the reason instead of failing the
shop's first order; then it is registered (secrets to Secrets Manager) and starts its trial."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from autobook.domain.errors import KnownError, TransientError
from autobook.domain.shop import ShopConfig, ShopSecrets
from autobook.usecases.operations import ActionError, Operations
from autobook.usecases.ports import SecretWriter, ShopDirectory


class CredentialProbe(Protocol):
    """One harmless read with credentials not stored yet; what it saw, in a few words.
    KnownError (DANDOMAIN_ACCESS / ECONOMIC_ACCESS) when refused, TransientError when the
    service did not answer."""

    def dandomain(self, config: ShopConfig, secrets: ShopSecrets) -> str: ...
    def economic(self, grant_token: str) -> str: ...


class ShopExistsError(ActionError):
    def __init__(self, shop_id: str) -> None:
        super().__init__(
            f"Butikken {shop_id} findes allerede.",
            f"Shop {shop_id} already exists (`autobook register` replaces its configuration).",
        )


@dataclass(frozen=True)
class AddShop:
    shops: ShopDirectory
    operations: Operations
    probe: CredentialProbe
    writer: SecretWriter

    def __call__(
        self, config: ShopConfig, secrets: ShopSecrets, *, actor: str
    ) -> tuple[ShopConfig, list[str]]:
        """The registered shop, and what each system answered."""
        if self.shops.get(config.shop_id) is not None:
            raise ShopExistsError(config.shop_id)
        seen: list[str] = []
        refused: list[tuple[str, str]] = []
        probes: list[tuple[str, Callable[[], str]]] = [
            ("Dandomain", lambda: self.probe.dandomain(config, secrets)),
            ("e-conomic", lambda: self.probe.economic(secrets.economic_grant_token)),
        ]
        for name, probe in probes:
            try:
                seen.append(f"{name}: {probe()}")
            except KnownError as error:
                detail = error.parameters.get("detail", error.code)
                refused.append(
                    (
                        f"{name} afviste adgangen ({detail}).",
                        f"{name} refused the credentials ({detail}).",
                    )
                )
            except TransientError as error:
                refused.append(
                    (f"{name} svarede ikke ({error})", f"{name} did not answer ({error})")
                )
        if refused:
            raise ActionError(
                "Butikken er ikke gemt. " + " ".join(da for da, _ in refused),
                "The shop was not saved. " + " ".join(en for _, en in refused),
            )
        return self.operations.register_shop(config, secrets, self.writer, actor=actor), seen
