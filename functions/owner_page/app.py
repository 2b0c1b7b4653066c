"""GET /owner/{shop_id} shows the owner page; POST /owner/{shop_id}/actions/{action} runs one
button and redirects back. Thin: one call into the page per route."""

import base64
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from autobook.composition import root_from_environment
from autobook.owner_page.page import OwnerPage, PageResponse

logger = Logger()
metrics = Metrics()
app = APIGatewayRestResolver()
root = root_from_environment()


@cache
def owner_page() -> OwnerPage:
    """Built on the first request (the container's composition root holds the clients)."""
    return root.owner_page()


def _cookies() -> str | None:
    headers = app.current_event.headers
    return headers.get("Cookie") or headers.get("cookie")


def _respond(answer: PageResponse) -> Response[str]:
    metrics.add_metric(name=f"OwnerPage{answer.status}", unit=MetricUnit.Count, value=1)
    headers: dict[str, str | list[str]] = dict(answer.headers)
    if answer.set_cookies:
        headers["Set-Cookie"] = list(answer.set_cookies)
    return Response(answer.status, None, answer.body, headers)


# Responses carry the link and CSRF tokens: traces keep no response.
@app.get("/owner/<shop_id>")
def show(shop_id: str) -> Response[str]:
    logger.append_keys(shop_id=shop_id)
    query = dict(app.current_event.query_string_parameters or {})
    return _respond(owner_page().show(shop_id, query, _cookies()))


@app.post("/owner/<shop_id>/actions/<action>")
def act(shop_id: str, action: str) -> Response[str]:
    logger.append_keys(shop_id=shop_id, action=action)
    event = app.current_event
    raw = event.body or ""
    body = base64.b64decode(raw).decode(errors="replace") if event.is_base64_encoded else raw
    return _respond(owner_page().act(shop_id, action, body, _cookies()))


# The link token is in the query string: never log the event.
@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True, log_event=False
)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
