"""EventBridge schedule -> reconcile poll: enqueue every order whose webhook never arrived.
Thin: one call into the use case; the summary is returned and logged."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from autobook import runtime
from autobook.usecases.reconcile import ReconcileService

logger = Logger()
tracer = Tracer()
metrics = Metrics()


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, object]:
    logger.append_keys(schedule_event_id=event.get("id"), scheduled_time=event.get("time"))
    deps = runtime.dependencies()
    summary = ReconcileService(deps).run(deps.clock())
    metrics.add_metric(name="OrdersReconciled", unit=MetricUnit.Count, value=summary.enqueued)
    metrics.add_metric(
        name="ReconcileShopFailures", unit=MetricUnit.Count, value=len(summary.failed)
    )
    logger.info("reconcile done", extra=summary.as_dict())
    return summary.as_dict()
