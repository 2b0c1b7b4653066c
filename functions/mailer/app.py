"""Invoices queue consumer: mail each booked invoice's PDF to the buyer, once."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from autobook.composition import root_from_environment
from autobook.domain.events import MailJob

logger = Logger()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS)
root = root_from_environment()


def record_handler(record: SQSRecord) -> str:
    job = MailJob.model_validate_json(record.body)
    logger.append_keys(shop_id=job.shop_id, order_id=job.order_id, message_id=record.message_id)
    receives = int(record.attributes.approximate_receive_count)
    outcome = root.mail_invoice()(
        job,
        final_attempt=receives >= root.settings.invoices_max_receive_count,
        reference=record.message_id,
    )
    metrics.add_metric(name=f"Mail_{outcome}", unit=MetricUnit.Count, value=1)
    logger.info("mail job handled", extra={"outcome": outcome})
    return str(outcome)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
