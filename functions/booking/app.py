"""Orders queue consumer: one OrderEvent per record, booked by the use case. Records of one
shop+order share a FIFO group; a failing group is skipped, other groups go on."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    SqsFifoPartialProcessor,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from autobook import runtime
from autobook.domain.errors import TransientError
from autobook.domain.events import OrderEvent
from autobook.messaging.queues import change_visibility
from autobook.usecases.book_order import BookingService

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = SqsFifoPartialProcessor(skip_group_on_error=True)
# A delivery already handled within the hour (the same event id) is answered from the
# idempotency table without calling Dandomain or e-conomic again.
idempotency = IdempotencyConfig(event_key_jmespath="event_id", expires_after_seconds=3600)
persistence = DynamoDBPersistenceLayer(table_name=runtime.settings().idempotency_table)


@idempotent_function(  # type: ignore[untyped-decorator]  # Powertools' decorator is untyped
    data_keyword_argument="event", persistence_store=persistence, config=idempotency
)
def book(event: OrderEvent) -> str:
    return str(BookingService(runtime.dependencies()).handle(event))


@tracer.capture_method
def record_handler(record: SQSRecord) -> str:
    event = OrderEvent.model_validate_json(record.body)
    logger.append_keys(shop_id=event.shop_id, order_id=event.order_id, event_id=event.event_id)
    try:
        outcome = book(event=event)
    except TransientError as error:
        if error.retry_after_seconds is not None:
            # Honour e-conomic's Retry-After: the message comes back no sooner than asked.
            seconds = int(error.retry_after_seconds) + 1
            change_visibility(runtime.settings().orders_queue_url, record.receipt_handle, seconds)
        logger.warning("transient failure; the queue retries", extra={"error": str(error)})
        raise
    metrics.add_metric(name=f"Orders_{outcome}", unit=MetricUnit.Count, value=1)
    logger.info("order handled", extra={"outcome": outcome})
    return str(outcome)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    idempotency.register_lambda_context(context)
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
