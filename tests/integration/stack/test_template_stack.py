"""template.yaml's tables and queues, created locally (DynamoDB Local + moto) by LocalAws."""

import os
import uuid
from pathlib import Path

import boto3
import pytest

from sandbox.environment import LocalEnvironment
from sandbox.stack import DynamoDBLocal, LocalAws
from sandbox.stack.dynamodb_local import find_jar

pytestmark = pytest.mark.integration


def _session() -> boto3.session.Session:
    """A fresh session, so clients read the endpoint/credential variables set right now."""
    return boto3.session.Session()


def test_given_stack_when_started_then_tables_have_the_template_key_schema(
    local_aws: LocalAws,
) -> None:
    ddb = local_aws.client("dynamodb")
    expected = {
        "ShopsTable": [("shop_id", "HASH"), ("sk", "RANGE")],
        "LedgerTable": [("pk", "HASH")],
        "ErrorsTable": [("shop_id", "HASH"), ("error_id", "RANGE")],
        "CallBudgetTable": [("slot", "HASH")],
    }
    indexes = {
        "ShopsTable": {"by_kind": [("kind", "HASH"), ("shop_id", "RANGE")]},
        "LedgerTable": {"by_shop_state": [("shop_id", "HASH"), ("state_key", "RANGE")]},
        "ErrorsTable": {"by_shop_status": [("shop_id", "HASH"), ("status_key", "RANGE")]},
        "CallBudgetTable": {},
    }
    assert set(local_aws.stack.tables) == set(expected)
    for logical_id, keys in expected.items():
        name = local_aws.stack.tables[logical_id]
        assert name == f"{local_aws.prefix}-{logical_id}"
        table = ddb.describe_table(TableName=name)["Table"]
        assert [(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]] == keys
        found = {
            index["IndexName"]: [(k["AttributeName"], k["KeyType"]) for k in index["KeySchema"]]
            for index in table.get("GlobalSecondaryIndexes", [])
        }
        assert found == indexes[logical_id]


def test_given_stack_when_started_then_queues_are_fifo_with_dead_letter_queues(
    local_aws: LocalAws,
) -> None:
    sqs = local_aws.client("sqs")
    stack = local_aws.stack
    assert stack.dlqs == {
        "OrdersQueue": "OrdersDeadLetterQueue",
        "InvoicesQueue": "InvoicesDeadLetterQueue",
    }

    def attributes(logical_id: str) -> dict[str, str]:
        url = stack.queues[logical_id]
        result: dict[str, str] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])[
            "Attributes"
        ]
        return result

    orders = attributes("OrdersQueue")
    assert stack.queues["OrdersQueue"].endswith(f"{stack.prefix}-OrdersQueue.fifo")
    assert orders["FifoQueue"] == "true"
    assert orders["ContentBasedDeduplication"] == "false"
    assert orders["VisibilityTimeout"] == "360"
    assert stack.queue_arns["OrdersDeadLetterQueue"] in orders["RedrivePolicy"]
    assert attributes("OrdersDeadLetterQueue")["FifoQueue"] == "true"
    assert attributes("OrdersDeadLetterQueue")["MessageRetentionPeriod"] == "1209600"
    invoices = attributes("InvoicesQueue")
    assert "FifoQueue" not in invoices
    assert stack.queue_arns["InvoicesDeadLetterQueue"] in invoices["RedrivePolicy"]
    assert stack.event_sources["BookingFunction"] == ["OrdersQueue"]
    assert stack.event_sources["MailerFunction"] == ["InvoicesQueue"]
    assert "AlarmTopic" in stack.skipped


def test_given_booking_function_when_env_resolved_then_names_and_urls_are_real(
    local_aws: LocalAws,
) -> None:
    env = local_aws.env_for("BookingFunction")
    stack = local_aws.stack
    assert env["STAGE"] == "dev"
    assert env["SECRETS_PREFIX"] == "autobook/dev/"
    assert env["SENDER_ADDRESS"] == local_aws.parameters["SenderAddress"]
    assert env["ECONOMIC_BASE_URL"] == local_aws.parameters["EconomicBaseUrl"]
    assert env["POWERTOOLS_SERVICE_NAME"] == "autobook"
    assert env["SHOPS_TABLE"] == stack.tables["ShopsTable"]
    assert env["LEDGER_TABLE"] == stack.tables["LedgerTable"]
    assert env["ERRORS_TABLE"] == stack.tables["ErrorsTable"]
    assert env["ORDERS_MAX_RECEIVE_COUNT"] == "5"
    assert env["ORDERS_QUEUE_URL"] == stack.queues["OrdersQueue"]
    assert env["INVOICES_QUEUE_URL"] == stack.queues["InvoicesQueue"]
    assert env["AWS_ENDPOINT_URL_DYNAMODB"] == local_aws.dynamodb.endpoint_url
    for key in ("SQS", "SES", "SESV2", "SECRETS_MANAGER"):
        assert env[f"AWS_ENDPOINT_URL_{key}"] == local_aws.moto.endpoint_url
    listed = local_aws.client("dynamodb").list_tables()["TableNames"]
    assert env["SHOPS_TABLE"] in listed
    assert env["ORDERS_QUEUE_URL"] in local_aws.client("sqs").list_queues()["QueueUrls"]
    with pytest.raises(KeyError, match="NoSuchFunction"):
        local_aws.env_for("NoSuchFunction")


def test_given_applied_env_when_boto3_puts_an_item_then_dynamodb_local_returns_it(
    local_aws: LocalAws,
) -> None:
    shop_id = f"shop-{uuid.uuid4().hex[:8]}"
    with local_aws.apply_env("BookingFunction") as env:
        table = _session().resource("dynamodb").Table(os.environ["SHOPS_TABLE"])
        table.put_item(Item={"shop_id": shop_id, "sk": "config", "name": "Testbutik"})
        item = table.get_item(Key={"shop_id": shop_id, "sk": "config"}, ConsistentRead=True)["Item"]
        assert env["SHOPS_TABLE"] == table.name
    assert item == {"shop_id": shop_id, "sk": "config", "name": "Testbutik"}
    direct = local_aws.client("dynamodb").get_item(
        TableName=local_aws.stack.tables["ShopsTable"],
        Key={"shop_id": {"S": shop_id}, "sk": {"S": "config"}},
    )
    assert direct["Item"]["name"] == {"S": "Testbutik"}


def test_given_applied_env_when_a_fifo_message_is_sent_twice_then_it_is_received_once(
    local_aws: LocalAws,
) -> None:
    body = f'{{"shop_id": "s1", "order_id": "{uuid.uuid4().hex}"}}'
    with local_aws.apply_env("WebhookFunction"):
        sqs = _session().client("sqs")
        url = os.environ["ORDERS_QUEUE_URL"]
        for _ in range(2):
            sqs.send_message(
                QueueUrl=url, MessageBody=body, MessageGroupId="s1", MessageDeduplicationId=body
            )
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
    messages = received["Messages"]
    assert [m["Body"] for m in messages] == [body]
    local_aws.client("sqs").delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])


def test_given_applied_env_when_secret_and_mail_are_used_then_moto_answers(
    local_aws: LocalAws,
) -> None:
    secret_name = f"autobook/dev/shops/{uuid.uuid4().hex[:8]}"
    with local_aws.apply_env("MailerFunction") as env:
        session = _session()
        secrets = session.client("secretsmanager")
        secrets.create_secret(Name=secret_name, SecretString='{"token": "t"}')
        value = secrets.get_secret_value(SecretId=secret_name)["SecretString"]
        sent = session.client("sesv2").send_email(
            FromEmailAddress=env["SENDER_ADDRESS"],
            Destination={"ToAddresses": ["buyer@example.com"]},
            Content={"Simple": {"Subject": {"Data": "Faktura"}, "Body": {"Text": {"Data": "Hej"}}}},
        )
    assert value == '{"token": "t"}'
    assert sent["MessageId"]


def test_given_applied_env_when_block_ends_then_environment_is_restored(
    local_aws: LocalAws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("SHOPS_TABLE", raising=False)
    with local_aws.apply_env("ReconcileFunction"):
        assert os.environ["AWS_DEFAULT_REGION"] == local_aws.region
        assert os.environ["SHOPS_TABLE"] == local_aws.stack.tables["ShopsTable"]
    assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
    assert "SHOPS_TABLE" not in os.environ


def test_given_data_when_reset_then_tables_and_queues_are_empty_with_same_names(
    local_aws: LocalAws, local_env: LocalEnvironment
) -> None:
    before = local_aws.stack
    ddb, sqs = local_aws.client("dynamodb"), local_aws.client("sqs")
    ddb.put_item(TableName=before.tables["LedgerTable"], Item={"pk": {"S": "x"}})
    sqs.send_message(QueueUrl=before.queues["InvoicesQueue"], MessageBody="x")

    local_env.reset()

    after = local_aws.stack
    assert after.tables == before.tables
    assert after.queues == before.queues
    assert after.function_env == before.function_env
    ddb, sqs = local_aws.client("dynamodb"), local_aws.client("sqs")
    assert ddb.scan(TableName=after.tables["LedgerTable"])["Count"] == 0
    attributes = sqs.get_queue_attributes(
        QueueUrl=after.queues["InvoicesQueue"], AttributeNames=["ApproximateNumberOfMessages"]
    )
    assert attributes["Attributes"]["ApproximateNumberOfMessages"] == "0"
    identities = local_aws.client("ses").list_identities()["Identities"]
    assert local_aws.parameters["SenderAddress"] in identities


def test_given_dynamodb_local_when_stopped_then_no_java_process_is_left() -> None:
    server = DynamoDBLocal().start()
    pid = server.pid
    assert pid is not None
    assert Path(f"/proc/{pid}").exists()

    server.stop()

    assert server.pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    server.stop()  # idempotent


def test_given_no_npm_install_when_jar_is_looked_up_then_error_says_npm_ci(
    tmp_path: Path,
) -> None:
    with pytest.raises(FileNotFoundError, match="npm ci"):
        find_jar(tmp_path)
