"""POST /webhook/{shop_id}: verify, enqueue, answer 202. Thin: one call into the use case.

What this function does not import, for its cold start (bench/README.md, "Cold start"):
- no Powertools Tracer: the X-Ray SDK (and botocore with it) would be most of it; the
  function's active tracing still records every invocation;
- no Powertools REST event handler: importing it loads every resolver and event class
  Powertools has, a third of this function's import, to route the one path API Gateway sends
  here. `ApiGatewayRequest` reads the few fields of that event instead.
"""

import base64
import json
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from autobook.composition import root_from_environment
from autobook.usecases.receive_webhook import (
    NOT_AUTHORISED,
    Verdict,
    WebhookRequest,
    receive_webhook,
)

logger = Logger()
metrics = Metrics()
root = root_from_environment()


# The one route API Gateway sends here (template.yaml's event, docs/webhook-openapi.yaml).
ROUTE = ("POST", "/webhook/{shop_id}")


class ApiGatewayRequest(BaseModel):
    """What this function reads of API Gateway's REST proxy event."""

    model_config = ConfigDict(extra="ignore")

    method: str = Field("", alias="httpMethod")
    resource: str = ""  # the route's template, as API Gateway matched it
    path_parameters: dict[str, str] | None = Field(None, alias="pathParameters")
    headers: dict[str, str] | None = None
    query: dict[str, str] | None = Field(None, alias="queryStringParameters")
    body: str | None = None
    base64_encoded: bool = Field(False, alias="isBase64Encoded")

    def header(self, name: str) -> str | None:
        """HTTP header names are case-insensitive; API Gateway passes them as sent."""
        wanted = name.lower()
        return next((v for k, v in (self.headers or {}).items() if k.lower() == wanted), None)


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


def webhook(request: ApiGatewayRequest) -> dict[str, Any]:
    shop_id = (request.path_parameters or {}).get("shop_id")
    if (request.method, request.resource) != ROUTE or not shop_id:
        # Not the route, so no shop id: the answer of an unknown shop.
        metrics.add_metric(name="Webhook401", unit=MetricUnit.Count, value=1)
        return response(401, {"error": NOT_AUTHORISED})
    outcome = receive_webhook(
        WebhookRequest(
            shop_id=shop_id,
            raw_body=raw_body(request.body, base64_encoded=request.base64_encoded),
            content_type=request.header("content-type"),
            topic=request.header("x-webhook-topic"),
            signature=request.header("x-hmac-sha256"),
            token=(request.query or {}).get("token"),
        ),
        shops=root.webhook_shop_configs,
        secrets=root.secrets,
        queue=root.order_queue,
        clock=root.clock,
    )
    status = STATUS[outcome.verdict]
    metrics.add_metric(name=f"Webhook{status}", unit=MetricUnit.Count, value=1)
    if outcome.verdict is Verdict.ACCEPTED:
        return response(status, {"accepted": outcome.accepted})
    logger.info("webhook refused", extra={"verdict": outcome.verdict})
    retry = {"Retry-After": RETRY_AFTER_SECONDS} if status == 503 else {}
    return response(status, {"error": outcome.reason}, retry)


def response(
    status: int, body: dict[str, object], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "body": json.dumps(body, separators=(",", ":")),
        "isBase64Encoded": False,
    }


def crashed(error: Exception) -> dict[str, Any]:
    """A bug, never bad input (that is refused above): logged with the trace for the operator,
    answered like an outage so Dandomain delivers again and nothing is lost."""
    logger.error("webhook crashed", exc_info=error)
    metrics.add_metric(name="WebhookCrashed", unit=MetricUnit.Count, value=1)
    body: dict[str, object] = {"error": "temporarily unavailable, please retry"}
    return response(503, body, {"Retry-After": RETRY_AFTER_SECONDS})


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
    try:
        return webhook(ApiGatewayRequest.model_validate(event))
    except Exception as error:  # answered as an outage and logged: never lost
        return crashed(error)
