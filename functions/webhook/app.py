"""POST /webhook/{shop_id}: verify, enqueue, answer 202. Thin: one call into the use case.

No Powertools Tracer here: the X-Ray SDK (and botocore with it) would be most of this
function's cold start; the function's active tracing still records every invocation."""

import base64
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from autobook.composition import root_from_environment
from autobook.usecases.receive_webhook import (
    NOT_AUTHORISED,
    Verdict,
    WebhookRequest,
    receive_webhook,
)

logger = Logger()
metrics = Metrics()
app = APIGatewayRestResolver()
root = root_from_environment()


# One place turns the use case's verdict into HTTP. Every refusal is a 4xx the sender can act
# on; 503 only when a service did not answer (Dandomain retries).
STATUS = {
    Verdict.ACCEPTED: 202,
    Verdict.NOT_AUTHORISED: 401,
    Verdict.TOO_LARGE: 413,
    Verdict.NOT_JSON: 415,
    Verdict.BAD_PAYLOAD: 400,
    Verdict.UNAVAILABLE: 503,
}
RETRY_AFTER_SECONDS = "30"


@app.post("/webhook/<shop_id>")
def webhook(shop_id: str) -> Response[dict[str, object]]:
    event = app.current_event
    headers = event.headers
    outcome = receive_webhook(
        WebhookRequest(
            shop_id=shop_id,
            raw_body=raw_body(event.body, base64_encoded=bool(event.is_base64_encoded)),
            content_type=headers.get("content-type"),
            topic=headers.get("x-webhook-topic"),
            signature=headers.get("x-hmac-sha256"),
            token=event.get_query_string_value("token"),
        ),
        shops=root.webhook_shop_configs,
        secrets=root.secrets,
        queue=root.order_queue,
        clock=root.clock,
    )
    status = STATUS[outcome.verdict]
    metrics.add_metric(name=f"Webhook{status}", unit=MetricUnit.Count, value=1)
    if outcome.verdict is Verdict.ACCEPTED:
        return Response(status, content_types.APPLICATION_JSON, {"accepted": outcome.accepted})
    logger.info("webhook refused", extra={"verdict": outcome.verdict})
    extra = {"Retry-After": RETRY_AFTER_SECONDS} if status == 503 else None
    return Response(status, content_types.APPLICATION_JSON, {"error": outcome.reason}, extra)


@app.not_found
def no_such_shop(error: Exception) -> Response[dict[str, object]]:
    """A path the route does not match holds no shop id: the answer of an unknown shop."""
    metrics.add_metric(name="Webhook401", unit=MetricUnit.Count, value=1)
    body: dict[str, object] = {"error": NOT_AUTHORISED}
    return Response(401, content_types.APPLICATION_JSON, body)


@app.exception_handler(Exception)  # type: ignore[untyped-decorator]
def crashed(error: Exception) -> Response[dict[str, object]]:
    """A bug, never bad input (that is refused above): logged with the trace for the operator,
    answered like an outage so Dandomain delivers again and nothing is lost."""
    logger.error("webhook crashed", exc_info=error)
    metrics.add_metric(name="WebhookCrashed", unit=MetricUnit.Count, value=1)
    body: dict[str, object] = {"error": "temporarily unavailable, please retry"}
    return Response(503, content_types.APPLICATION_JSON, body, {"Retry-After": RETRY_AFTER_SECONDS})


def raw_body(body: str | None, *, base64_encoded: bool) -> bytes:
    """The bytes the caller sent: API Gateway hands binary bodies over base64-encoded. A body
    that is not valid base64 (never from API Gateway) is taken as it is and fails later."""
    if not body:
        return b""
    if base64_encoded:
        try:
            return base64.b64decode(body, validate=True)
        except ValueError:
            return body.encode("utf-8", "surrogatepass")
    return body.encode("utf-8", "surrogatepass")


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True
)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
