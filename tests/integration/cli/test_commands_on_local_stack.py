"""The stack commands against the local stack (DynamoDB Local, moto, the sandboxes), reached
through a profile exactly as `autobook sandbox up` writes it: register, errors, orders show,
dlq list/show/redrive, replay."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from autobook.domain.errors import ErrorCode, describe
from sandbox import shopkit
from sandbox.dandomain import WebhookSender, classic_order_change
from sandbox.environment import LocalEnvironment
from tests.cli_support import autobook, one_error_line

pytestmark = pytest.mark.integration

SEEN_AT = datetime(2026, 5, 14, 10, 2, tzinfo=UTC)


def cli(profile: str, *args: str, stdin: str | None = None) -> Any:
    return autobook("--profile", profile, *args, stdin=stdin)


def queue_url(env: LocalEnvironment, logical_id: str) -> str:
    assert env.aws is not None
    return env.aws.stack.queues[logical_id]


def sqs(env: LocalEnvironment) -> Any:
    assert env.aws is not None
    return env.aws.client("sqs")


def drain(env: LocalEnvironment, logical_id: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    while (
        batch := sqs(env)
        .receive_message(QueueUrl=queue_url(env, logical_id), MaxNumberOfMessages=10)
        .get("Messages", [])
    ):
        for message in batch:
            sqs(env).delete_message(
                QueueUrl=queue_url(env, logical_id), ReceiptHandle=message["ReceiptHandle"]
            )
        messages.extend(batch)
    return messages


def test_given_a_seeded_shop_when_registered_from_files_then_it_exists_with_its_webhook_url(
    fresh_env: LocalEnvironment, profile: str, tmp_path: Path
) -> None:
    shop = shopkit.seed_shop(fresh_env, "cli-shop", orders=0)
    shop_file, secrets_file = tmp_path / "shop.json", tmp_path / "secrets.json"
    shop_file.write_text(shop.config.model_dump_json())
    secrets_file.write_text(json.dumps(shop.secrets.model_dump()))

    before = cli(profile, "errors", "cli-shop")
    registered = cli(profile, "register", str(shop_file), "--secrets", str(secrets_file))
    after = cli(profile, "errors", "cli-shop")

    assert before.exit_code == 3
    assert registered.exit_code == 0, registered.output
    assert f"{fresh_env.api.url}/dev/webhook/cli-shop" in registered.stdout
    assert shop.secrets.webhook_secret not in registered.output
    assert after.exit_code == 0
    assert after.stdout.strip() == "No open errors for shop cli-shop."


def test_given_a_secrets_file_lacking_a_key_when_registering_then_it_is_refused(
    fresh_env: LocalEnvironment, profile: str, tmp_path: Path
) -> None:
    shop = shopkit.seed_shop(fresh_env, "cli-shop", orders=0)
    shop_file, secrets_file = tmp_path / "shop.json", tmp_path / "secrets.json"
    shop_file.write_text(shop.config.model_dump_json())
    secrets_file.write_text(json.dumps({"economic_grant_token": "g", "webhook_secret": "w"}))

    result = cli(profile, "register", str(shop_file), "--secrets", str(secrets_file))

    assert result.exit_code == 2
    assert one_error_line(result) == (
        f"error: {secrets_file}: a classic shop needs dandomain_api_key"
    )
    assert cli(profile, "errors", "cli-shop").exit_code == 3


def test_given_an_unknown_shop_when_listing_errors_then_exit_3_and_no_output(
    profile: str,
) -> None:
    result = cli(profile, "errors", "no-such-shop")

    assert result.exit_code == 3
    assert result.stdout == ""
    assert one_error_line(result) == "error: no shop 'no-such-shop' in profile local"


def test_given_open_errors_when_listing_then_a_table_and_json_show_them(
    fresh_env: LocalEnvironment, profile: str
) -> None:
    shopkit.open_shop(fresh_env, "cli-shop", orders=0)
    text = describe(ErrorCode.PRODUCT_MISSING, {"order_id": "1007", "products": "UDGAAET-4711"})
    with fresh_env.operator() as root:
        root.errors.record("cli-shop", "1007", text, SEEN_AT)
        root.errors.record("cli-shop", "1007", text, SEEN_AT)

    table = cli(profile, "errors", "cli-shop", "--lang", "en")
    danish = cli(profile, "errors", "cli-shop")  # the owner's language
    as_json = cli(profile, "errors", "list", "cli-shop", "--json")

    assert table.exit_code == 0
    row = next(line for line in table.stdout.splitlines() if line.startswith("1007"))
    assert "PRODUCT_MISSING" in row
    assert "2x" in row
    assert "2026-05-14 10:02:00" in row
    assert text.en[:40] in table.stdout
    assert text.da[:40] in danish.stdout
    document = json.loads(as_json.stdout)
    assert document["shop_id"] == "cli-shop"
    (record,) = document["errors"]
    assert record["code"] == "PRODUCT_MISSING"
    assert record["occurrences"] == 2
    assert set(record) >= {"order_id", "da", "en", "parameters", "status", "first_seen"}


def test_given_a_booked_and_mailed_order_when_shown_then_its_timeline_is_printed(
    fresh_env: LocalEnvironment, profile: str
) -> None:
    shop = shopkit.open_shop(fresh_env, "cli-shop", orders=21)
    order_id = shop.order_ids[0]
    with WebhookSender() as sender:
        sender.send(
            fresh_env.webhook_url("cli-shop"),
            classic_order_change(order_id, 1, shopkit.BOOKING_STATE),
            hmac_secret=shop.secrets.webhook_secret,
        )
    fresh_env.run_until_idle()

    table = cli(profile, "orders", "show", "cli-shop", str(order_id))
    as_json = cli(profile, "orders", "show", "cli-shop", str(order_id), "--json")

    assert table.exit_code == 0, table.output
    assert f"Order {order_id} of cli-shop: mailed" in table.stdout
    assert "History" in table.stdout
    states = [step["state"] for step in json.loads(as_json.stdout)["entry"]["history"]]
    assert states == ["received", "drafted", "booked", "mailed"]
    for state in states:
        assert state in table.stdout
    entry = json.loads(as_json.stdout)["entry"]
    assert entry["invoice"]["booked_number"] is not None
    assert "mail_to" not in entry  # the buyer's address is never printed
    assert "@" not in table.stdout + as_json.stdout


def test_given_an_order_autobook_never_saw_when_shown_then_exit_3(
    fresh_env: LocalEnvironment, profile: str
) -> None:
    shopkit.open_shop(fresh_env, "cli-shop", orders=0)

    result = cli(profile, "orders", "show", "cli-shop", "4711")

    assert result.exit_code == 3
    assert one_error_line(result) == (
        "error: autobook has no record of order '4711' of shop 'cli-shop'"
    )


def put_dead_letters(env: LocalEnvironment) -> None:
    sqs(env).send_message(
        QueueUrl=queue_url(env, "OrdersDeadLetterQueue"),
        MessageBody=json.dumps({"shop_id": "s", "order_id": "1001", "source": "webhook"}),
        MessageGroupId="s#1001",
        MessageDeduplicationId="d1",
    )
    sqs(env).send_message(
        QueueUrl=queue_url(env, "InvoicesDeadLetterQueue"),
        MessageBody=json.dumps({"shop_id": "s", "order_id": "1002", "booked_invoice_number": 7}),
    )


def test_given_dead_letters_when_listed_then_both_queues_are_shown_and_left_in_place(
    fresh_env: LocalEnvironment, profile: str
) -> None:
    put_dead_letters(fresh_env)

    table = cli(profile, "dlq", "list", "--wait", "0")
    as_json = cli(profile, "dlq", "list", "--wait", "0", "--json")

    assert table.exit_code == 0
    assert "2 dead letter(s)" in table.stdout
    letters = json.loads(as_json.stdout)["dead_letters"]
    assert sorted((d["queue"], d["order_id"]) for d in letters) == [
        ("invoices", "1002"),
        ("orders", "1001"),
    ]
    orders = next(d for d in letters if d["queue"] == "orders")
    assert orders["group_id"] == "s#1001"
    assert orders["body"] == {"shop_id": "s", "order_id": "1001", "source": "webhook"}
    assert set(orders) == {
        "queue", "message_id", "group_id", "receive_count", "sent_at", "shop_id", "order_id",
        "body",
    }  # fmt: skip
    assert len(drain(fresh_env, "OrdersDeadLetterQueue")) == 1


def test_given_a_dead_letter_when_shown_by_id_then_its_body_is_decoded(
    fresh_env: LocalEnvironment, profile: str
) -> None:
    put_dead_letters(fresh_env)
    listed = json.loads(cli(profile, "dlq", "list", "--wait", "0", "--json").stdout)
    wanted = next(d for d in listed["dead_letters"] if d["queue"] == "invoices")

    shown = cli(profile, "dlq", "show", wanted["message_id"], "--wait", "0")
    as_json = cli(profile, "dlq", "show", wanted["message_id"], "--wait", "0", "--json")
    missing = cli(profile, "dlq", "show", "no-such-id", "--wait", "0")

    assert shown.exit_code == 0
    assert '"booked_invoice_number": 7' in shown.stdout
    assert json.loads(as_json.stdout)["body"]["booked_invoice_number"] == 7
    assert missing.exit_code == 3
    assert (
        one_error_line(missing) == "error: no dead letter 'no-such-id' in either dead-letter queue"
    )


def test_given_dead_letters_when_redriving_then_it_asks_first_and_moves_them_back(
    fresh_env: LocalEnvironment, profile: str
) -> None:
    put_dead_letters(fresh_env)

    refused = cli(profile, "dlq", "redrive", "--wait", "0")
    moved = cli(profile, "dlq", "redrive", "--wait", "0", "--yes", "--json")
    again = cli(profile, "dlq", "redrive", "--wait", "0", "--yes")

    assert refused.exit_code == 2
    assert "pass --yes" in one_error_line(refused)
    assert moved.exit_code == 0
    assert json.loads(moved.stdout) == {"redriven": {"orders": 1, "invoices": 1}}
    assert [json.loads(m["Body"])["order_id"] for m in drain(fresh_env, "OrdersQueue")] == ["1001"]
    assert [json.loads(m["Body"])["order_id"] for m in drain(fresh_env, "InvoicesQueue")] == [
        "1002"
    ]
    assert again.stdout.strip() == "Nothing to redrive: the dead-letter queues are empty."


def test_given_a_shop_when_replaying_orders_then_they_are_queued_as_replays(
    fresh_env: LocalEnvironment, profile: str
) -> None:
    shopkit.open_shop(fresh_env, "cli-shop", orders=0)

    replayed = cli(profile, "replay", "cli-shop", "1001", "1002")
    unknown = cli(profile, "replay", "no-such-shop", "1001")

    assert replayed.exit_code == 0
    events = [json.loads(m["Body"]) for m in drain(fresh_env, "OrdersQueue")]
    assert sorted(e["order_id"] for e in events) == ["1001", "1002"]
    assert {e["source"] for e in events} == {"replay"}
    assert unknown.exit_code == 3
