"""GET /owner/{shop_id} shows the owner page; POST /owner/{shop_id}/actions/{action} runs one
button and redirects back. Thin: one call into the page per route."""

import base64
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from autobook.owner_page.page import PageResponse
from autobook.owner_page.wiring import owner_page

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayRestResolver()


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
@tracer.capture_method(capture_response=False)
def show(shop_id: str) -> Response[str]:
    logger.append_keys(shop_id=shop_id)
    query = dict(app.current_event.query_string_parameters or {})
    return _respond(owner_page().show(shop_id, query, _cookies()))


@app.post("/owner/<shop_id>/actions/<action>")
@tracer.capture_method(capture_response=False)
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
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
