"""Structural rules for template.yaml, checked offline with the CloudFormation YAML loader."""

from pathlib import Path
from typing import Any

import pytest

from sandbox.stack.cfn_yaml import load_template, loads_template
from sandbox.stack.intrinsics import Resolver

TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "template.yaml"
CONTRACT_ENV = {
    "POWERTOOLS_SERVICE_NAME",
    "POWERTOOLS_LOG_LEVEL",
    "POWERTOOLS_METRICS_NAMESPACE",
    "STAGE",
    "SHOPS_TABLE",
    "LEDGER_TABLE",
    "ERRORS_TABLE",
    "CALL_BUDGET_TABLE",
    "ORDERS_QUEUE_URL",
    "INVOICES_QUEUE_URL",
    "SECRETS_PREFIX",
    "SENDER_ADDRESS",
    "ECONOMIC_BASE_URL",
    "ORDERS_MAX_RECEIVE_COUNT",
    "INVOICES_MAX_RECEIVE_COUNT",
}
FUNCTIONS = {
    "WebhookFunction",
    "BookingFunction",
    "MailerFunction",
    "ReconcileFunction",
    "OwnerPageFunction",
}


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template(TEMPLATE_PATH)


def _of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def _functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return _of_type(template, "AWS::Serverless::Function")


def _statements(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name, fn in _functions(template).items():
        for policy in fn["Properties"].get("Policies", []):
            assert isinstance(policy, dict), f"{name}: use inline statements, not SAM templates"
            assert "Statement" in policy, f"{name}: use inline statements, not SAM templates"
            found += [(name, s) for s in policy["Statement"]]
    for name, res in template["Resources"].items():
        if res["Type"] in {"AWS::IAM::Policy", "AWS::IAM::Role", "AWS::IAM::ManagedPolicy"}:
            raise AssertionError(f"unexpected raw IAM resource {name}; extend this test")
    return found


def _actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else list(action)


SENDER = "faktura@shop.example"
SES_IDENTITIES = (f"ses:identity/{SENDER}", "ses:identity/shop.example")
SES_SEND = frozenset({"ses:SendEmail", "ses:SendRawEmail"})
GET, PUT, DELETE, QUERY, UPDATE = (
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
)
# What each function may do, on what: exactly what its code calls (issue 9: no Delete, Update,
# Scan or Query a function does not make; the base tables are queried only where an order's
# errors are listed, everything else goes through an index).
EXPECTED_GRANTS: dict[str, dict[str, set[str]]] = {
    "WebhookFunction": {
        "ShopsTable": {GET},
        "secretsmanager:secret:autobook/${Stage}/shops/*": {"secretsmanager:GetSecretValue"},
        "OrdersQueue": {"sqs:SendMessage"},
    },
    "BookingFunction": {
        "ShopsTable": {GET, PUT, DELETE},
        "CallBudgetTable": {GET, PUT, UPDATE},
        "LedgerTable": {GET, PUT},
        "LedgerTable/index/by_shop_state": {QUERY},
        "ErrorsTable": {GET, PUT, QUERY},
        "ErrorsTable/index/by_shop_status": {QUERY},
        "secretsmanager:secret:autobook/${Stage}/*": {"secretsmanager:GetSecretValue"},
        "InvoicesQueue": {"sqs:SendMessage"},
        "OrdersQueue": {"sqs:SendMessage", "sqs:ChangeMessageVisibility"},
        **{identity: set(SES_SEND) for identity in SES_IDENTITIES},
    },
    "MailerFunction": {
        "ShopsTable": {GET, PUT},
        "CallBudgetTable": {GET, PUT, UPDATE},
        "LedgerTable": {GET, PUT},
        "ErrorsTable": {GET, PUT},
        "ErrorsTable/index/by_shop_status": {QUERY},
        "secretsmanager:secret:autobook/${Stage}/*": {"secretsmanager:GetSecretValue"},
        **{identity: set(SES_SEND) for identity in SES_IDENTITIES},
    },
    "ReconcileFunction": {
        "ShopsTable": {GET, PUT, DELETE},
        "ShopsTable/index/by_kind": {QUERY},
        "LedgerTable": {GET},
        "LedgerTable/index/by_shop_state": {QUERY},
        "ErrorsTable": {GET, PUT, QUERY},
        "ErrorsTable/index/by_shop_status": {QUERY},
        "secretsmanager:secret:autobook/${Stage}/shops/*": {"secretsmanager:GetSecretValue"},
        "secretsmanager:secret:autobook/${Stage}/owner-page-??????": {
            "secretsmanager:GetSecretValue"
        },
        "OrdersQueue": {"sqs:SendMessage"},
        **{identity: set(SES_SEND) for identity in SES_IDENTITIES},
    },
    "OwnerPageFunction": {
        "ShopsTable": {GET},
        "LedgerTable": {GET, PUT},
        "LedgerTable/index/by_shop_state": {QUERY},
        "ErrorsTable": {GET, PUT, QUERY},
        "ErrorsTable/index/by_shop_status": {QUERY},
        "secretsmanager:secret:autobook/${Stage}/owner-page-??????": {
            "secretsmanager:GetSecretValue"
        },
        "secretsmanager:secret:autobook/${Stage}/shops/*": {"secretsmanager:GetSecretValue"},
        "OrdersQueue": {"sqs:SendMessage"},
        "InvoicesQueue": {"sqs:SendMessage"},
    },
}


def _resolver(template: dict[str, Any]) -> Resolver:
    """Resolves policy resources to short names: a resource's ARN is its logical id, the
    stage stays `${Stage}`."""
    return Resolver(
        refs={
            "Stage": "${Stage}",
            "SenderAddress": SENDER,
            "AWS::Partition": "aws",
            "AWS::Region": "eu-west-1",
            "AWS::AccountId": "123456789012",
        },
        attributes={(name, "Arn"): name for name in template["Resources"]},
    )


def _short(resource: str) -> str:
    """`arn:aws:<service>:<region>:<account>:<rest>` -> `<service>:<rest>`; logical ids as is."""
    if not resource.startswith("arn:aws:"):
        return resource
    _, _, service, _, _, rest = resource.split(":", 5)
    return f"{service}:{rest}"


def _grants(template: dict[str, Any], function: str) -> dict[str, set[str]]:
    resolver = _resolver(template)
    grants: dict[str, set[str]] = {}
    for name, statement in _statements(template):
        if name != function:
            continue
        resources = resolver.resolve(statement["Resource"])
        for resource in resources if isinstance(resources, list) else [resources]:
            grants.setdefault(_short(str(resource)), set()).update(_actions(statement))
    return grants


def test_given_short_tags_when_loaded_then_they_become_long_form_intrinsics() -> None:
    text = """
    A: !Ref X
    B: !GetAtt Q.Arn
    C: !Sub "x-${AWS::Region}"
    D: !If [Cond, !Select [0, !Split [",", "a,b"]], !Ref AWS::NoValue]
    E: !Join ["", [!FindInMap [M, k, v], !ImportValue y, !Base64 z]]
    F: !And [!Not [!Equals [1, 2]], !Or [!Condition C1, true]]
    G: !GetAZs ""
    H: !Cidr [10.0.0.0/16, 4, 8]
    """
    data = loads_template(text)
    assert data["A"] == {"Ref": "X"}
    assert data["B"] == {"Fn::GetAtt": ["Q", "Arn"]}
    assert data["C"] == {"Fn::Sub": "x-${AWS::Region}"}
    assert data["D"]["Fn::If"][1] == {"Fn::Select": [0, {"Fn::Split": [",", "a,b"]}]}
    assert data["D"]["Fn::If"][2] == {"Ref": "AWS::NoValue"}
    join = data["E"]["Fn::Join"][1]
    assert join == [
        {"Fn::FindInMap": ["M", "k", "v"]},
        {"Fn::ImportValue": "y"},
        {"Fn::Base64": "z"},
    ]
    assert data["F"]["Fn::And"][1] == {"Fn::Or": [{"Condition": "C1"}, True]}
    assert data["G"] == {"Fn::GetAZs": ""}
    assert data["H"] == {"Fn::Cidr": ["10.0.0.0/16", 4, 8]}


def test_given_template_then_it_is_sam_with_the_five_functions(template: dict[str, Any]) -> None:
    assert template["Transform"] == "AWS::Serverless-2016-10-31"
    assert set(_functions(template)) == FUNCTIONS


def test_given_functions_then_runtime_is_python313_on_arm64(template: dict[str, Any]) -> None:
    glob = template["Globals"]["Function"]
    assert glob["Runtime"] == "python3.13"
    assert glob["Architectures"] == ["arm64"]
    assert glob["Tracing"] == "Active"
    assert "Layers" not in glob  # each function names its own
    for name, fn in _functions(template).items():
        props = fn["Properties"]
        assert props.get("Runtime", "python3.13") == "python3.13", name
        assert props.get("Architectures", ["arm64"]) == ["arm64"], name
        assert props["Handler"] == "app.lambda_handler", name
        assert props["CodeUri"].startswith("functions/"), name
    for layer_id in ("SharedLayer", "SoapAndTemplatesLayer"):
        layer = template["Resources"][layer_id]
        assert layer["Metadata"] == {"BuildMethod": "makefile", "BuildArchitecture": "arm64"}
        assert layer["Properties"]["ContentUri"] == "shared/"
        assert layer["Properties"]["CompatibleRuntimes"] == ["python3.13"]
        assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]


def test_given_functions_then_only_the_webhook_goes_without_the_soap_and_templates_layer(
    template: dict[str, Any],
) -> None:
    layers = {name: fn["Properties"]["Layers"] for name, fn in _functions(template).items()}
    both = [{"Ref": "SharedLayer"}, {"Ref": "SoapAndTemplatesLayer"}]

    assert layers.pop("WebhookFunction") == [{"Ref": "SharedLayer"}]
    assert all(value == both for value in layers.values()), layers


def test_given_functions_then_env_carries_the_settings_contract(template: dict[str, Any]) -> None:
    glob = template["Globals"]["Function"]["Environment"]["Variables"]
    for name, fn in _functions(template).items():
        own = fn["Properties"].get("Environment", {}).get("Variables", {})
        missing = CONTRACT_ENV - set({**glob, **own})
        assert not missing, f"{name} lacks {missing}"
    assert glob["SECRETS_PREFIX"] == {"Fn::Sub": "autobook/${Stage}/"}
    assert glob["ORDERS_QUEUE_URL"] == {"Ref": "OrdersQueue"}
    assert glob["SHOPS_TABLE"] == {"Ref": "ShopsTable"}


def test_given_functions_then_each_logs_to_its_own_group_with_retention(
    template: dict[str, Any],
) -> None:
    log_groups = _of_type(template, "AWS::Logs::LogGroup")
    for name, fn in _functions(template).items():
        group_id = fn["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        group = log_groups[group_id]["Properties"]
        assert "RetentionInDays" in group, name
        function_name = fn["Properties"]["FunctionName"]["Fn::Sub"]
        assert group["LogGroupName"] == {"Fn::Sub": f"/aws/lambda/{function_name}"}, name


def test_given_iam_statements_then_no_action_is_a_wildcard(template: dict[str, Any]) -> None:
    statements = _statements(template)
    assert statements
    for name, statement in statements:
        assert statement["Effect"] == "Allow"
        for action in _actions(statement):
            assert "*" not in action, f"{name}: {action}"
        resources = statement["Resource"]
        assert resources != "*", f"{name}: resource wildcard"


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_given_a_function_when_its_policies_are_read_then_it_has_exactly_the_grants_it_uses(
    template: dict[str, Any], function: str
) -> None:
    assert _grants(template, function) == EXPECTED_GRANTS[function]


def test_given_ses_statements_then_each_pins_the_from_address(template: dict[str, Any]) -> None:
    ses = [(n, s) for n, s in _statements(template) if set(_actions(s)) & SES_SEND]
    assert {n for n, _ in ses} == {"BookingFunction", "MailerFunction", "ReconcileFunction"}
    for name, statement in ses:
        assert statement["Condition"] == {
            "StringEquals": {"ses:FromAddress": {"Ref": "SenderAddress"}}
        }, name


def test_given_queues_then_each_has_a_dlq_with_an_alarm(template: dict[str, Any]) -> None:
    queues = _of_type(template, "AWS::SQS::Queue")
    alarms = _of_type(template, "AWS::CloudWatch::Alarm")
    dlqs = {
        q: p["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for q, p in queues.items()
        if "RedrivePolicy" in p["Properties"]
    }
    assert set(dlqs) == {"OrdersQueue", "InvoicesQueue"}
    assert set(queues) == set(dlqs) | set(dlqs.values()), "every queue is a source or a DLQ"
    alarmed = {
        d["Value"]["Fn::GetAtt"][0]
        for a in alarms.values()
        if a["Properties"]["MetricName"] == "ApproximateNumberOfMessagesVisible"
        for d in a["Properties"]["Dimensions"]
    }
    assert set(dlqs.values()) <= alarmed
    for name, queue in queues.items():
        props = queue["Properties"]
        assert props["SqsManagedSseEnabled"] is True, name
        if name in dlqs:
            assert props["RedrivePolicy"]["maxReceiveCount"] == 5
    # The functions record a failure on the last receive, before the message goes to the DLQ.
    env = template["Globals"]["Function"]["Environment"]["Variables"]
    for queue, variable in (
        ("OrdersQueue", "ORDERS_MAX_RECEIVE_COUNT"),
        ("InvoicesQueue", "INVOICES_MAX_RECEIVE_COUNT"),
    ):
        assert env[variable] == str(queues[queue]["Properties"]["RedrivePolicy"]["maxReceiveCount"])
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"], "every alarm notifies"


def test_given_orders_queue_then_it_is_fifo_and_outlasts_booking(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    orders = resources["OrdersQueue"]["Properties"]
    assert orders["FifoQueue"] is True
    assert orders["ContentBasedDeduplication"] is False
    assert resources["OrdersDeadLetterQueue"]["Properties"]["FifoQueue"] is True
    assert resources["OrdersDeadLetterQueue"]["Properties"]["MessageRetentionPeriod"] == 1209600
    booking_timeout = resources["BookingFunction"]["Properties"]["Timeout"]
    assert orders["VisibilityTimeout"] >= 6 * booking_timeout
    assert resources["InvoicesQueue"]["Properties"].get("FifoQueue") is None
    alarms = _of_type(template, "AWS::CloudWatch::Alarm").values()
    assert any(
        a["Properties"]["Namespace"] == "AWS/Lambda"
        and a["Properties"]["Dimensions"][0]["Value"] == {"Ref": "BookingFunction"}
        for a in alarms
    )


def test_given_sqs_triggers_then_they_report_batch_item_failures(template: dict[str, Any]) -> None:
    expected = {"BookingFunction": ("OrdersQueue", 10), "MailerFunction": ("InvoicesQueue", 5)}
    for name, (queue, batch) in expected.items():
        events = template["Resources"][name]["Properties"]["Events"].values()
        (sqs,) = [e["Properties"] for e in events if e["Type"] == "SQS"]
        assert sqs["Queue"] == {"Fn::GetAtt": [queue, "Arn"]}
        assert sqs["BatchSize"] == batch
        assert sqs["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_given_tables_then_they_are_on_demand_encrypted_and_the_books_recoverable(
    template: dict[str, Any],
) -> None:
    tables = _of_type(template, "AWS::DynamoDB::Table")
    keys = {
        name: [(k["AttributeName"], k["KeyType"]) for k in t["Properties"]["KeySchema"]]
        for name, t in tables.items()
    }
    assert keys == {
        "ShopsTable": [("shop_id", "HASH"), ("sk", "RANGE")],
        "LedgerTable": [("pk", "HASH")],
        "ErrorsTable": [("shop_id", "HASH"), ("error_id", "RANGE")],
        "CallBudgetTable": [("slot", "HASH")],
    }
    indexes = {
        name: {i["IndexName"] for i in t["Properties"].get("GlobalSecondaryIndexes", [])}
        for name, t in tables.items()
    }
    assert indexes == {
        "ShopsTable": {"by_kind"},
        "LedgerTable": {"by_shop_state"},
        "ErrorsTable": {"by_shop_status"},
        "CallBudgetTable": set(),
    }
    for name, table in tables.items():
        props = table["Properties"]
        assert props["BillingMode"] == "PAY_PER_REQUEST", name
        assert props["SSESpecification"]["SSEEnabled"] is True, name
        assert "TableName" not in props, name
    # What the owner and the operator rely on is kept and recoverable; the call budget holds
    # counters of the last minute and expires them.
    kept = {name: table for name, table in tables.items() if name != "CallBudgetTable"}
    for name, table in kept.items():
        props = table["Properties"]
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert table["DeletionPolicy"] == "Retain", name
        assert table["UpdateReplacePolicy"] == "Retain", name
    budget = tables["CallBudgetTable"]["Properties"]["TimeToLiveSpecification"]
    assert budget == {"AttributeName": "expires_at", "Enabled": True}


def test_given_outputs_then_operators_find_every_endpoint(template: dict[str, Any]) -> None:
    assert set(template["Outputs"]) >= {
        "WebhookBaseUrl",
        "ShopsTableName",
        "LedgerTableName",
        "ErrorsTableName",
        "CallBudgetTableName",
        "OrdersQueueUrl",
        "OrdersDeadLetterQueueUrl",
        "InvoicesQueueUrl",
        "InvoicesDeadLetterQueueUrl",
        "AlarmTopicArn",
    }
    url = template["Outputs"]["WebhookBaseUrl"]["Value"]["Fn::Sub"]
    assert url.endswith("/${Stage}/webhook/")
    events = template["Resources"]["WebhookFunction"]["Properties"]["Events"]
    (api,) = [e["Properties"] for e in events.values() if e["Type"] == "Api"]
    assert api == {
        "RestApiId": {"Ref": "WebhookApi"},
        "Path": "/webhook/{shop_id}",
        "Method": "post",
    }
