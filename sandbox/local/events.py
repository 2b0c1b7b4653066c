"""Build the events AWS delivers: API Gateway REST proxy requests and SQS batches."""

import base64
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
        "headers": dict(headers or {}),
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
        **_body(body),
    }


def _body(body: bytes) -> dict[str, Any]:
    """Text as text; bytes that are not UTF-8 base64-encoded, as API Gateway hands them over."""
    if not body:
        return {"body": None, "isBase64Encoded": False}
    try:
        return {"body": body.decode("utf-8"), "isBase64Encoded": False}
    except UnicodeDecodeError:
        return {"body": base64.b64encode(body).decode("ascii"), "isBase64Encoded": True}


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
