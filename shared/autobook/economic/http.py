"""The HTTP client the outside APIs (e-conomic, Dandomain) are called through: one per
container, with the settings' timeout."""

import httpx


def outside_api_client(timeout_seconds: float) -> httpx.Client:
    return httpx.Client(timeout=timeout_seconds)
