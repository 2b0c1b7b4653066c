"""Finding the stack: the environment, a profile file, CloudFormation outputs — and one line
with exit 4 saying what is missing and how to provide it."""

import json
import os
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from autobook_cli import cloudformation, stack
from autobook_cli.exits import CliError, Exit
from autobook_cli.stack import OUTPUT_VARIABLES, Profile, discover, profile_path, write_profile
from sandbox.stack.cfn_yaml import load_template
from tests.cli_support import autobook, one_error_line

TEMPLATE = Path(__file__).resolve().parents[3] / "template.yaml"
STACK_ID = "arn:aws:cloudformation:eu-north-1:123456789012:stack/autobook-prod/abc"


def sandbox_like_profile(tmp_path: Path, **environment: str) -> Path:
    path = profile_path("test", os.environ)
    write_profile(path, Profile(environment=environment))
    return path


def test_given_no_stack_when_listing_errors_then_exit_4_names_the_missing_variables() -> None:
    result = autobook("errors", "demo-shop")

    assert result.exit_code == Exit.UNREACHABLE
    line = one_error_line(result)
    assert "the environment does not give SHOPS_TABLE, ERRORS_TABLE" in line
    assert "--stack NAME" in line
    assert "--profile" in line


def test_given_no_stack_when_listing_dead_letters_then_the_dlq_variables_are_named() -> None:
    result = autobook("dlq", "list", "--queue", "orders")

    assert result.exit_code == Exit.UNREACHABLE
    assert "does not give ORDERS_DLQ_URL" in one_error_line(result)


def test_given_an_unknown_profile_when_used_then_exit_4_says_where_it_looked() -> None:
    result = autobook("--profile", "nope", "errors", "demo-shop")

    assert result.exit_code == Exit.UNREACHABLE
    line = one_error_line(result)
    assert str(profile_path("nope", os.environ)) in line
    assert "autobook sandbox up" in line


def test_given_a_broken_profile_when_used_then_its_file_and_line_are_named(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"environment": {"SHOPS_TABLE": 1}}')

    result = autobook("--profile", str(path), "errors", "demo-shop")

    assert result.exit_code == Exit.UNREACHABLE
    assert one_error_line(result).startswith(
        f"error: bad profile: {path}:1: environment.SHOPS_TABLE"
    )


def test_given_a_profile_of_a_stopped_sandbox_when_used_then_it_says_to_start_it(
    tmp_path: Path,
) -> None:
    path = profile_path("sandbox", os.environ)
    write_profile(path, Profile(environment={}, sandbox_state_dir=str(tmp_path / "gone")))

    result = autobook("--profile", "sandbox", "errors", "demo-shop")

    assert result.exit_code == Exit.UNREACHABLE
    assert "is not running (stopped" in one_error_line(result)


def test_given_a_profile_missing_a_variable_then_the_profile_is_named(tmp_path: Path) -> None:
    sandbox_like_profile(tmp_path, SHOPS_TABLE="shops")

    result = autobook("--profile", "test", "errors", "demo-shop")

    assert result.exit_code == Exit.UNREACHABLE
    assert "profile test does not give ERRORS_TABLE" in one_error_line(result)


def test_given_a_bad_profile_name_then_it_is_bad_input() -> None:
    result = autobook("--profile", "no such name", "errors", "demo-shop")

    assert result.exit_code == Exit.USAGE


def test_given_profile_names_and_paths_then_names_live_in_the_config_dir(tmp_path: Path) -> None:
    environ = {"XDG_CONFIG_HOME": str(tmp_path)}

    assert profile_path("prod", environ) == tmp_path / "autobook" / "profiles" / "prod.json"
    assert profile_path("./prod.json", environ) == Path("./prod.json")
    assert profile_path("/etc/x.json", environ) == Path("/etc/x.json")


def test_given_the_environment_then_only_stack_and_aws_variables_are_taken() -> None:
    found = discover(
        profile=None,
        stack=None,
        region=None,
        environ={"SHOPS_TABLE": "s", "AWS_REGION": "eu-west-1", "HOME": "/root", "PATH": "/bin"},
    )

    assert found.environment == {"SHOPS_TABLE": "s", "AWS_REGION": "eu-west-1"}
    assert found.source == "the environment"


def test_given_a_profile_naming_a_stack_then_its_outputs_are_read_with_its_aws_profile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: dict[str, Any] = {}

    def describe(name: str, *, region: str | None, aws_profile: str | None) -> Any:
        asked.update(name=name, region=region, aws_profile=aws_profile)
        return {"ShopsTableName": "prod-shops", "Unrelated": "x"}, "eu-north-1"

    monkeypatch.setattr(cloudformation, "describe_outputs", describe)
    write_profile(
        profile_path("prod", os.environ),
        Profile(stack="autobook-prod", region="eu-north-1", aws_profile="ops"),
    )

    found = discover(profile="prod", stack=None, region=None, environ=os.environ)

    assert asked == {"name": "autobook-prod", "region": "eu-north-1", "aws_profile": "ops"}
    assert found.environment == {
        "SHOPS_TABLE": "prod-shops",
        "AWS_REGION": "eu-north-1",
        "AWS_DEFAULT_REGION": "eu-north-1",
        "AWS_PROFILE": "ops",
    }
    assert found.source == "profile prod: stack autobook-prod (eu-north-1)"


def test_given_a_stack_when_described_then_outputs_and_region_come_back() -> None:
    client = boto3.client(
        "cloudformation",
        region_name="eu-north-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
    with Stubber(client) as stubbed:
        stubbed.add_response(
            "describe_stacks",
            {
                "Stacks": [
                    {
                        "StackName": "autobook-prod",
                        "StackId": STACK_ID,
                        "CreationTime": "2026-01-01T00:00:00Z",
                        "StackStatus": "UPDATE_COMPLETE",
                        "Outputs": [
                            {"OutputKey": "OrdersDeadLetterQueueUrl", "OutputValue": "https://q"},
                        ],
                    }
                ]
            },
            {"StackName": "autobook-prod"},
        )

        outputs, region = cloudformation.describe_outputs(
            "autobook-prod", region=None, aws_profile=None, client=client
        )

    assert outputs == {"OrdersDeadLetterQueueUrl": "https://q"}
    assert region == "eu-north-1"
    assert stack.environment_from_outputs(outputs) == {"ORDERS_DLQ_URL": "https://q"}


def test_given_no_such_stack_when_described_then_it_is_unreachable_with_the_region() -> None:
    client = boto3.client(
        "cloudformation", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(client) as stubbed:
        stubbed.add_client_error(
            "describe_stacks",
            service_error_code="ValidationError",
            service_message="Stack with id autobook-typo does not exist",
        )

        with pytest.raises(CliError) as caught:
            cloudformation.describe_outputs(
                "autobook-typo", region=None, aws_profile=None, client=client
            )

    assert caught.value.code == Exit.UNREACHABLE
    assert caught.value.message == "no CloudFormation stack 'autobook-typo' in eu-west-1"


def test_given_the_template_then_every_variable_the_cli_reads_is_a_stack_output() -> None:
    outputs = load_template(TEMPLATE)["Outputs"]
    globals_env = load_template(TEMPLATE)["Globals"]["Function"]["Environment"]["Variables"]

    assert set(OUTPUT_VARIABLES) <= set(outputs)
    # Every stack setting the functions get is also findable from outside.
    # (The queues' receive counts only tell a function when its last attempt has come.)
    settings = {
        k
        for k in globals_env
        if not k.startswith("POWERTOOLS_") and not k.endswith("_MAX_RECEIVE_COUNT")
    }
    assert settings <= set(OUTPUT_VARIABLES.values())


def test_given_a_stack_when_applied_then_the_environment_is_restored_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHOPS_TABLE", "before")
    found = stack.Stack(source="test", environment={"SHOPS_TABLE": "during", "LEDGER_TABLE": "l"})

    with found.applied():
        inside = (os.environ["SHOPS_TABLE"], os.environ["LEDGER_TABLE"])

    assert inside == ("during", "l")
    assert os.environ["SHOPS_TABLE"] == "before"
    assert "LEDGER_TABLE" not in os.environ


def test_given_a_written_profile_then_it_is_private_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "p" / "x.json"
    write_profile(path, Profile(environment={"A": "1"}, sandbox_state_dir="/s"))

    assert path.stat().st_mode & 0o077 == 0
    assert json.loads(path.read_text()) == {"environment": {"A": "1"}, "sandbox_state_dir": "/s"}


def test_given_both_a_stack_and_a_profile_then_it_is_bad_input() -> None:
    result = autobook("--stack", "autobook-prod", "--profile", "sandbox", "errors", "demo-shop")

    assert result.exit_code == Exit.USAGE
    assert "not both" in one_error_line(result)
