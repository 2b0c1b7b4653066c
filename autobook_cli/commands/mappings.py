"""`autobook mappings sync / show / set`: a shop's mapping from Dandomain to e-conomic,
proposed from both systems' live lists, accepted, shown, or set one method at a time."""

from typing import TYPE_CHECKING, Annotated

import typer

from autobook_cli import core, output
from autobook_cli.commands.common import JsonOption, ShopArgument, check_shop_id, require_shop
from autobook_cli.context import state
from autobook_cli.helptext import STACK_PANEL, command, group

if TYPE_CHECKING:
    from autobook.domain.mapping_proposal import MappingProposal
    from autobook.domain.shop import ShopConfig

mappings_app = group(
    "A shop's mapping: Dandomain payment and shipping methods and order states to e-conomic.",
    "autobook mappings sync my-shop",
    "autobook mappings sync my-shop --accept",
    "autobook mappings set payment my-shop 5 --terms 4",
)
set_app = group(
    "Map one Dandomain method by hand (its current Dandomain name is kept with it).",
    "autobook mappings set payment my-shop 5 --terms 4 --fee-product GEBYR",
    "autobook mappings set shipping my-shop 12 --product FRAGT --site 26",
)
mappings_app.add_typer(set_app, name="set")

_NEEDS = ("SHOPS_TABLE", "SECRETS_PREFIX")
SiteOption = Annotated[
    int | None, typer.Option(help="Classic: the Dandomain site whose method it is.")
]


def add_to(app: typer.Typer) -> None:
    app.add_typer(mappings_app, name="mappings", rich_help_panel=STACK_PANEL)


@command(
    mappings_app,
    "sync",
    "autobook mappings sync my-shop",
    "autobook mappings sync my-shop --accept",
    "autobook mappings sync my-shop --json | jq '.rows[] | select(.status != \"kept\")'",
)
def sync(
    ctx: typer.Context,
    shop_id: ShopArgument,
    accept: Annotated[
        bool, typer.Option("--accept", help="Save every proposed row (orders blocked replay).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Read the shop's Dandomain payment methods, shipping methods and order states (per
    site on Classic) and e-conomic's payment terms, layouts and products, and propose a mapping
    by name for what is not mapped yet. A method whose id changed (its name is mapped under an
    id Dandomain no longer has) or that was renamed is reported, never moved by itself.
    Nothing is saved without --accept; edit single rows with `mappings set`.

    Exit 1 while rows stay unresolved, 3 for an unknown shop."""
    check_shop_id(shop_id)
    stack = state(ctx).stack()
    stack.require(*_NEEDS)
    with core.connected(stack):
        require_shop(stack, shop_id)
        replayed: list[str] = []
        if accept:
            proposal, replayed = core.accept_mapping(shop_id)
        else:
            proposal = core.mapping_proposal(shop_id)
    open_rows = [r for r in proposal.rows if r.status in ("unresolved", "id_changed")]
    if as_json:
        output.emit_json(
            {
                "rows": [r.model_dump(mode="json") for r in proposal.rows],
                "saved": accept,
                "replayed": replayed,
            }
        )
    else:
        _print_rows(proposal)
        if accept:
            output.say(
                f"Saved {proposal.changes} proposed rows; {len(replayed)} blocked orders replayed."
            )
        elif proposal.changes:
            output.say(
                f"{proposal.changes} rows proposed; nothing saved. Run again with --accept to "
                "save them."
            )
    if open_rows:
        from autobook_cli.exits import CliError

        raise CliError(
            f"{len(open_rows)} rows need a decision: `autobook mappings set ...` (see above)"
        )


def _print_rows(proposal: "MappingProposal") -> None:
    table = output.table("what", "Dandomain", "name", "status", "e-conomic", "why")
    output.rows(
        table,
        ((r.kind, r.key, r.name, r.status, r.mapped_to, r.note) for r in proposal.rows),
    )
    output.stdout().print(table)


@command(
    mappings_app, "show", "autobook mappings show my-shop", "autobook mappings show my-shop --json"
)
def show(ctx: typer.Context, shop_id: ShopArgument, as_json: JsonOption = False) -> None:
    """Show the shop's mapping as stored. Exit 3 for an unknown shop."""
    check_shop_id(shop_id)
    stack = state(ctx).stack()
    stack.require("SHOPS_TABLE")
    with core.connected(stack):
        shop = require_shop(stack, shop_id)
    if as_json:
        output.emit_json(
            {
                "booking_state_ids": sorted(shop.booking_state_ids),
                "cancel_state_ids": sorted(shop.cancel_state_ids),
                "economic": shop.economic.model_dump(mode="json"),
            }
        )
        return
    output.stdout().print(_mapping_table(shop))


def _mapping_table(shop: "ShopConfig") -> object:
    mapping = shop.economic
    table = output.table("what", "Dandomain id", "name", "e-conomic")
    rows: list[tuple[object, ...]] = []
    for site_id, site in [(None, None), *sorted(mapping.sites.items())]:
        where = "" if site_id is None else f"site {site_id} / "
        payment = mapping.payment_methods if site is None else site.payment_methods or {}
        shipping = mapping.shipping_methods if site is None else site.shipping_methods or {}
        for method_id, m in sorted(payment.items()):
            fee = f", fee product {m.fee_product}" if m.fee_product else ""
            rows.append(
                ("payment", f"{where}{method_id}", m.name, f"terms {m.payment_terms_number}{fee}")
            )
        for method_id, s in sorted(shipping.items()):
            rows.append(("shipping", f"{where}{method_id}", s.name, f"product {s.product}"))
    rows.append(("booking states", ", ".join(map(str, sorted(shop.booking_state_ids))), "", ""))
    rows.append(("cancel states", ", ".join(map(str, sorted(shop.cancel_state_ids))), "", ""))
    rows.append(("layout", "", "", str(mapping.layout_number)))
    for label, product in (
        ("discount product", mapping.discount_product),
        ("gift-card product", mapping.gift_card_product),
        ("rounding product", mapping.rounding_product),
    ):
        rows.append((label, "", "", product or "-"))
    return output.rows(table, rows)


@command(set_app, "payment", "autobook mappings set payment my-shop 5 --terms 4")
def set_payment(
    ctx: typer.Context,
    shop_id: ShopArgument,
    method_id: Annotated[int, typer.Argument(metavar="METHOD", help="The Dandomain method id.")],
    terms: Annotated[int, typer.Option(help="The e-conomic payment terms number.")],
    fee_product: Annotated[
        str | None, typer.Option(help="The e-conomic product for the method's fee.")
    ] = None,
    site: SiteOption = None,
) -> None:
    """Map a Dandomain payment method to e-conomic payment terms (and a fee product). The
    terms and the product are checked in e-conomic, the method and its name in Dandomain;
    orders the mapping blocked are replayed. Exit 1 when refused, 3 for an unknown shop."""
    check_shop_id(shop_id)
    stack = state(ctx).stack()
    stack.require(*_NEEDS)
    with core.connected(stack):
        require_shop(stack, shop_id)
        replayed = core.set_payment_mapping(
            shop_id, method_id, terms=terms, fee_product=fee_product, site_id=site
        )
    output.say(
        f"Payment method {method_id} of {output.plain(shop_id)} → terms {terms}; "
        f"{len(replayed)} blocked orders replayed."
    )


@command(set_app, "shipping", "autobook mappings set shipping my-shop 12 --product FRAGT")
def set_shipping(
    ctx: typer.Context,
    shop_id: ShopArgument,
    method_id: Annotated[int, typer.Argument(metavar="METHOD", help="The Dandomain method id.")],
    product: Annotated[str, typer.Option(help="The e-conomic product the freight is booked on.")],
    site: SiteOption = None,
) -> None:
    """Map a Dandomain shipping method to the e-conomic product its price is booked on. The
    product is checked in e-conomic, the method and its name in Dandomain; orders the mapping
    blocked are replayed. Exit 1 when refused, 3 for an unknown shop."""
    check_shop_id(shop_id)
    stack = state(ctx).stack()
    stack.require(*_NEEDS)
    with core.connected(stack):
        require_shop(stack, shop_id)
        replayed = core.set_shipping_mapping(shop_id, method_id, product=product, site_id=site)
    output.say(
        f"Shipping method {method_id} of {output.plain(shop_id)} → product "
        f"{output.plain(product)}; {len(replayed)} blocked orders replayed."
    )
