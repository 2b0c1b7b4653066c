"""The `autobook` operator CLI.

Commands that talk to AWS use the same settings as the functions (environment variables as in
template.yaml's outputs: SHOPS_TABLE, LEDGER_TABLE, ...). `demo` needs no AWS at all.
"""

import argparse
import sys
from pathlib import Path

from autobook.cli.dlq_command import add_dlq_parser, run_dlq
from autobook.composition import Root, root_from_environment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="autobook", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="run the whole pipeline locally on embedded services")
    demo.add_argument("--out", type=Path, default=Path("out"), help="where the .eml files go")
    demo.add_argument("--orders", type=int, default=36, help="how many demo orders (>= 21)")

    invoke = commands.add_parser(
        "local-invoke", help="invoke one function with a sample event on local stand-ins"
    )
    invoke.add_argument("function", help="logical id, e.g. WebhookFunction")
    invoke.add_argument("event", type=Path, help="an event file from events/")

    mapping = commands.add_parser("map", help="print the draft invoice an order maps to")
    mapping.add_argument("order", type=Path, help="a Dandomain Classic order JSON file")
    mapping.add_argument("--shop", type=Path, required=True, help="a shop config JSON file")

    register = commands.add_parser("register", help="register or update a shop")
    register.add_argument(
        "shop", type=Path, help="shop config JSON (see docs/shop-config.example.jsonc)"
    )
    register.add_argument(
        "--secrets", type=Path, required=True, help="JSON with the shop's secrets"
    )

    errors = commands.add_parser("errors", help="list a shop's open errors")
    errors.add_argument("shop_id")

    ledger = commands.add_parser("ledger", help="show an order's ledger entry")
    ledger.add_argument("shop_id")
    ledger.add_argument("order_id")

    replay = commands.add_parser("replay", help="queue an order again (after fixing its error)")
    replay.add_argument("shop_id")
    replay.add_argument("order_ids", nargs="+")

    add_dlq_parser(commands)

    args = parser.parse_args(argv)
    match args.command:
        case "demo":
            from sandbox.demo import run_demo  # the sandbox is a dev dependency, never deployed

            run_demo(args.out, count=args.orders)
            return 0
        case "local-invoke":
            from sandbox.local_invoke import run_local_invoke

            return run_local_invoke(args.function, args.event)
        case "map":
            from autobook.cli.map_command import run_map

            return run_map(args.order, args.shop, sys.stdout)
        case "register":
            return _register(args.shop, args.secrets)
        case "errors":
            for record in root_from_environment().queries().open_errors(args.shop_id):
                print(record.model_dump_json())
            return 0
        case "ledger":
            entry = root_from_environment().ledger.get(args.shop_id, args.order_id)
            print(entry.model_dump_json(indent=2) if entry else "no ledger entry")
            return 0 if entry else 1
        case "replay":
            return _replay(args.shop_id, args.order_ids)
        case "dlq":
            return run_dlq(args)
    return 2


def _register(shop_path: Path, secrets_path: Path) -> int:
    from autobook.domain.shop import ShopConfig, ShopSecrets

    root: Root = root_from_environment()
    config = ShopConfig.model_validate_json(shop_path.read_text())
    secrets = ShopSecrets.model_validate_json(secrets_path.read_text())
    config = root.operations().register_shop(
        config, secrets, root.secret_writer, actor="operator:cli"
    )
    print(f"registered {config.shop_id} ({config.mode})")
    return 0


def _replay(shop_id: str, order_ids: list[str]) -> int:
    operations = root_from_environment().operations()
    for order_id in order_ids:
        operations.replay_order(shop_id, order_id, actor="operator:cli")
        print(f"queued {shop_id}/{order_id}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
