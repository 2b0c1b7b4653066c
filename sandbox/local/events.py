"""Build the events AWS delivers: API Gateway REST proxy requests and SQS batches."""

import hashlib
import time
import uuid
from typing import Any


def api_gateway_request(
    method: str,
    path: str,
    body: bytes,
    *,
    path_parameters: dict[str, str],
    resource: str,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    stage: str = "dev",
) -> dict[str, Any]:
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "multiValueHeaders": {},
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
        "pathParameters": path_parameters,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": method,
            "path": f"/{stage}{path}",
            "stage": stage,
            "requestId": str(uuid.uuid4()),
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": body.decode() if body else None,
        "isBase64Encoded": False,
    }


def api_gateway_post(
    path: str,
    body: bytes,
    *,
    path_parameters: dict[str, str],
    resource: str,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    stage: str = "dev",
) -> dict[str, Any]:
    return api_gateway_request(
        "POST",
        path,
        body,
        path_parameters=path_parameters,
        resource=resource,
        headers=headers,
        query=query,
        stage=stage,
    )


def sqs_event(messages: list[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    """Records the way Lambda's event-source mapping hands SQS messages to a function."""
    records = []
    for message in messages:
        attributes = message.get("Attributes", {})
        records.append(
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": {
                    "ApproximateReceiveCount": attributes.get("ApproximateReceiveCount", "1"),
                    "SentTimestamp": attributes.get("SentTimestamp", str(int(time.time() * 1000))),
                    "SenderId": attributes.get("SenderId", "local"),
                    "ApproximateFirstReceiveTimestamp": attributes.get(
                        "ApproximateFirstReceiveTimestamp", str(int(time.time() * 1000))
                    ),
                    **{k: v for k, v in attributes.items() if k.startswith("Message")},
                },
                "messageAttributes": {},
                "md5OfBody": hashlib.md5(
                    message["Body"].encode(), usedforsecurity=False
                ).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
        )
    return {"Records": records}
