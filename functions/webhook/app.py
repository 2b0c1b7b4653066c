"""POST /webhook/{shop_id}: verify, enqueue, answer 202. Thin: one call into the use case."""

import base64
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from autobook.composition import root_from_environment
from autobook.usecases.receive_webhook import WebhookRequest, receive_webhook

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayRestResolver()
root = root_from_environment()


@app.post("/webhook/<shop_id>")
@tracer.capture_method
def webhook(shop_id: str) -> Response[dict[str, object]]:
    event = app.current_event
    body = event.body or ""
    raw = base64.b64decode(body) if event.is_base64_encoded else body.encode()
    logger.append_keys(shop_id=shop_id)
    answer = receive_webhook(
        WebhookRequest(
            shop_id=shop_id,
            raw_body=raw,
            signature=event.headers.get("X-Hmac-Sha256") or event.headers.get("x-hmac-sha256"),
            token=event.get_query_string_value("token"),
        ),
        shops=root.shops,
        secrets=root.secrets,
        queue=root.order_queue,
        clock=root.clock,
    )
    metrics.add_metric(name=f"Webhook{answer.status_code}", unit=MetricUnit.Count, value=1)
    return Response(answer.status_code, content_types.APPLICATION_JSON, answer.body)


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True
)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
