"""Create template.yaml's tables and queues locally and resolve each function's environment."""

import json
from dataclasses import dataclass, field
from typing import Any

import boto3

from sandbox.stack.intrinsics import Resolver, UnresolvableError, to_env_string

ACCOUNT_ID = "123456789012"  # moto's default account
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
TABLE = "AWS::DynamoDB::Table"
QUEUE = "AWS::SQS::Queue"
FUNCTION_TYPES = ("AWS::Serverless::Function", "AWS::Lambda::Function")
_QUEUE_ATTRIBUTES = (
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "DelaySeconds",
    "FifoQueue",
    "FifoThroughputLimit",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds",
    "SqsManagedSseEnabled",
    "VisibilityTimeout",
)


def aws_client(service: str, endpoint_url: str, region: str) -> Any:
    """A boto3 client for a local endpoint with the dummy credentials."""
    session = boto3.session.Session(
        aws_access_key_id=CREDENTIALS["aws_access_key_id"],
        aws_secret_access_key=CREDENTIALS["aws_secret_access_key"],
        region_name=region,
    )
    return session.client(service, endpoint_url=endpoint_url)  # type: ignore[call-overload]


@dataclass(frozen=True)
class LocalStack:
    """What create_resources made: physical names by logical id, and resolved function env."""

    prefix: str
    stage: str
    region: str
    parameters: dict[str, str]
    tables: dict[str, str]  # logical id -> table name
    queues: dict[str, str]  # logical id -> queue URL (dead-letter queues included)
    queue_arns: dict[str, str]  # logical id -> queue ARN
    dlqs: dict[str, str]  # queue logical id -> its dead-letter queue's logical id
    function_env: dict[str, dict[str, str]]  # function logical id -> environment
    event_sources: dict[str, list[str]]  # function logical id -> SQS queue logical ids
    skipped: dict[str, str] = field(default_factory=dict)  # logical id -> resource type


def _parameters(
    template: dict[str, Any], stage: str, given: dict[str, str] | None
) -> dict[str, str]:
    values = {
        k: str(v["Default"]) for k, v in template.get("Parameters", {}).items() if "Default" in v
    }
    values.update(given or {})
    values["Stage"] = stage
    missing = [k for k in template.get("Parameters", {}) if k not in values]
    if missing:
        raise ValueError(f"template parameters without default need values: {missing}")
    return values


def _resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template.get("Resources", {}).items() if v.get("Type") == kind}


def _create_table(client: Any, name: str, props: dict[str, Any], resolver: Resolver) -> str:
    props = resolver.resolve(
        {
            k: props[k]
            for k in (
                "AttributeDefinitions",
                "KeySchema",
                "TimeToLiveSpecification",
                "GlobalSecondaryIndexes",
                "LocalSecondaryIndexes",
            )
            if k in props
        }
    )
    request: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": "PAY_PER_REQUEST",
    }
    for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if props.get(key):
            request[key] = [
                {k: v for k, v in index.items() if k != "ProvisionedThroughput"}
                for index in props[key]
            ]
    arn: str = client.create_table(**request)["TableDescription"]["TableArn"]
    ttl = props.get("TimeToLiveSpecification")
    if ttl and str(ttl.get("Enabled", "false")).lower() == "true":
        client.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
        )
    return arn


def _queue_attributes(props: dict[str, Any], resolver: Resolver) -> dict[str, str]:
    attributes = {
        k: to_env_string(resolver.resolve(props[k])) for k in _QUEUE_ATTRIBUTES if k in props
    }
    if "RedrivePolicy" in props:
        redrive = resolver.resolve(props["RedrivePolicy"])
        attributes["RedrivePolicy"] = json.dumps(
            {
                "deadLetterTargetArn": redrive["deadLetterTargetArn"],
                "maxReceiveCount": int(redrive["maxReceiveCount"]),
            }
        )
    return {k: v for k, v in attributes.items() if not (k == "FifoQueue" and v == "false")}


def _dlq_logical_id(props: dict[str, Any]) -> str | None:
    target = props.get("RedrivePolicy", {}).get("deadLetterTargetArn")
    if isinstance(target, dict) and "Fn::GetAtt" in target:
        att = target["Fn::GetAtt"]
        return str(att.split(".")[0] if isinstance(att, str) else att[0])
    return None


def _sqs_sources(function: dict[str, Any]) -> list[str]:
    sources = []
    for event in function.get("Properties", {}).get("Events", {}).values():
        queue = event.get("Properties", {}).get("Queue") if event.get("Type") == "SQS" else None
        if isinstance(queue, dict) and "Fn::GetAtt" in queue:
            att = queue["Fn::GetAtt"]
            sources.append(str(att.split(".")[0] if isinstance(att, str) else att[0]))
    return sources


def create_resources(
    template: dict[str, Any],
    *,
    stage: str,
    prefix: str,
    dynamodb_endpoint: str,
    aws_endpoint: str,
    region: str = "eu-west-1",
    parameters: dict[str, str] | None = None,
) -> LocalStack:
    """Create every DynamoDB table (in DynamoDB Local) and SQS queue (in moto) of ``template``
    as ``<prefix>-<LogicalId>`` and resolve each function's environment against them."""
    params = _parameters(template, stage, parameters)
    refs = {
        **params,
        "AWS::Region": region,
        "AWS::AccountId": ACCOUNT_ID,
        "AWS::Partition": "aws",
        "AWS::StackName": prefix,
        "AWS::StackId": f"arn:aws:cloudformation:{region}:{ACCOUNT_ID}:stack/{prefix}/local",
        "AWS::URLSuffix": "amazonaws.com",
    }
    resolver = Resolver(
        refs=refs, conditions=template.get("Conditions", {}), mappings=template.get("Mappings", {})
    )
    ddb = aws_client("dynamodb", dynamodb_endpoint, region)
    sqs = aws_client("sqs", aws_endpoint, region)

    tables: dict[str, str] = {}
    for logical_id, resource in _resources(template, TABLE).items():
        name = f"{prefix}-{logical_id}"
        arn = _create_table(ddb, name, resource.get("Properties", {}), resolver)
        tables[logical_id] = refs[logical_id] = name
        resolver.attributes[(logical_id, "Arn")] = arn

    queue_defs = _resources(template, QUEUE)
    queues: dict[str, str] = {}
    arns: dict[str, str] = {}
    dlqs = {q: d for q, r in queue_defs.items() if (d := _dlq_logical_id(r.get("Properties", {})))}

    def create_queue(logical_id: str) -> None:
        if logical_id in queues:
            return
        if logical_id in dlqs:
            create_queue(dlqs[logical_id])
        props = queue_defs[logical_id].get("Properties", {})
        attributes = _queue_attributes(props, resolver)
        name = f"{prefix}-{logical_id}" + (".fifo" if attributes.get("FifoQueue") == "true" else "")
        url: str = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
        queues[logical_id] = refs[logical_id] = url
        arns[logical_id] = arn["QueueArn"]
        resolver.attributes.update(
            {
                (logical_id, "Arn"): arn["QueueArn"],
                (logical_id, "QueueName"): name,
                (logical_id, "QueueUrl"): url,
            }
        )

    for logical_id in queue_defs:
        create_queue(logical_id)

    _verify_sender(params.get("SenderAddress"), aws_endpoint, region)

    globals_env = template.get("Globals", {}).get("Function", {}).get("Environment", {})
    function_env: dict[str, dict[str, str]] = {}
    event_sources: dict[str, list[str]] = {}
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") not in FUNCTION_TYPES:
            continue
        own_env = resource.get("Properties", {}).get("Environment", {})
        variables = {**globals_env.get("Variables", {}), **own_env.get("Variables", {})}
        try:
            resolved = resolver.resolve(variables)
        except UnresolvableError as exc:
            raise UnresolvableError(f"{logical_id} environment: {exc}") from exc
        function_env[logical_id] = {k: to_env_string(v) for k, v in resolved.items()}
        event_sources[logical_id] = _sqs_sources(resource)

    known = (TABLE, QUEUE, *FUNCTION_TYPES)
    skipped = {
        k: str(v.get("Type"))
        for k, v in template.get("Resources", {}).items()
        if v.get("Type") not in known
    }
    return LocalStack(
        prefix=prefix,
        stage=stage,
        region=region,
        parameters=params,
        tables=tables,
        queues=queues,
        queue_arns=arns,
        dlqs=dlqs,
        function_env=function_env,
        event_sources=event_sources,
        skipped=skipped,
    )


def _verify_sender(address: str | None, aws_endpoint: str, region: str) -> None:
    """Make SenderAddress a verified SES identity in moto (both the v1 and v2 APIs)."""
    if not address:
        return
    ses = aws_client("ses", aws_endpoint, region)
    ses.verify_email_identity(EmailAddress=address)
    sesv2 = aws_client("sesv2", aws_endpoint, region)
    existing = {i["IdentityName"] for i in sesv2.list_email_identities()["EmailIdentities"]}
    if address not in existing:
        sesv2.create_email_identity(EmailIdentity=address)
