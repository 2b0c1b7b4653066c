"""Run autobook's Lambda handlers on this machine the way AWS would: API Gateway events for the
webhook, SQS event-source mappings for the queue consumers."""
