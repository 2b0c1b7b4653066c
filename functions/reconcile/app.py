"""EventBridge schedule -> the scheduled checks: the reconcile poll (orders whose webhook
never arrived), the recheck of blocked orders, the owner's follow-up mails and digest.
Thin: one call into the use case; the summary is returned and logged."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from autobook.composition import root_from_environment

logger = Logger()
metrics = Metrics()
root = root_from_environment()


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, object]:
    logger.append_keys(schedule_event_id=event.get("id"), scheduled_time=event.get("time"))
    summary = root.scheduled().run(root.clock())
    for name in ("enqueued", "rechecked", "owner_mails"):
        value = summary.get(name, 0)
        metrics.add_metric(name=f"Scheduled_{name}", unit=MetricUnit.Count, value=float(str(value)))
    logger.info("scheduled checks done", extra=summary)
    return summary
