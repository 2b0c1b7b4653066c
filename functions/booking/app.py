"""Orders queue consumer: one OrderEvent per record, booked by the use case. Records of one
shop+order share a FIFO group; a failing group is skipped, other groups go on.

A duplicate delivery costs no e-conomic call (the ledger says the order is done), so there is
no idempotency cache in front: every trigger is decided on the order as Dandomain has it now.
"""

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import SqsFifoPartialProcessor, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from autobook.composition import root_from_environment
from autobook.domain.errors import TransientError
from autobook.domain.events import OrderEvent
from autobook.messaging.queues import hold_back

logger = Logger()
metrics = Metrics()
processor = SqsFifoPartialProcessor(skip_group_on_error=True)
root = root_from_environment()


def record_handler(record: SQSRecord) -> str:
    event = OrderEvent.model_validate_json(record.body)
    logger.append_keys(
        shop_id=event.shop_id,
        order_id=event.order_id,
        event_id=event.event_id,
        message_id=record.message_id,
    )
    receives = int(record.attributes.approximate_receive_count)
    try:
        outcome = root.book_order()(
            event,
            final_attempt=receives >= root.settings.orders_max_receive_count,
            attempts=receives,
            reference=record.message_id,
        )
    except TransientError as error:
        if error.retry_after_seconds is not None:
            # Honour e-conomic's Retry-After: the message comes back no sooner than asked.
            seconds = int(error.retry_after_seconds) + 1
            hold_back(root.sqs, root.settings.orders_queue_url, record.receipt_handle, seconds)
        logger.warning("transient failure; the queue retries", extra={"error": str(error)})
        raise
    metrics.add_metric(name=f"Orders_{outcome}", unit=MetricUnit.Count, value=1)
    logger.info("order handled", extra={"outcome": outcome})
    return str(outcome)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
