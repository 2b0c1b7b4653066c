"""Load CloudFormation/SAM YAML, turning short-form tags (!Ref, !Sub, ...) into long-form dicts."""

from pathlib import Path
from typing import Any

import yaml

_FN_TAGS = (
    "And",
    "Base64",
    "Cidr",
    "Equals",
    "FindInMap",
    "GetAZs",
    "If",
    "ImportValue",
    "Join",
    "Not",
    "Or",
    "Select",
    "Split",
    "Sub",
)


class CfnLoader(yaml.SafeLoader):
    """A SafeLoader that knows the CloudFormation intrinsic-function tags."""


def _construct(node: yaml.Node, loader: yaml.SafeLoader) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    raise yaml.constructor.ConstructorError(
        None, None, f"unexpected node {node!r}", node.start_mark
    )


def _fn(name: str) -> Any:
    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
        return {name: _construct(node, loader)}

    return construct


def _get_att(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
    value = _construct(node, loader)
    if isinstance(value, str):  # !GetAtt Resource.Attribute
        resource, _, attribute = value.partition(".")
        return {"Fn::GetAtt": [resource, attribute]}
    return {"Fn::GetAtt": value}


CfnLoader.add_constructor("!Ref", _fn("Ref"))
CfnLoader.add_constructor("!Condition", _fn("Condition"))
CfnLoader.add_constructor("!GetAtt", _get_att)
for _tag in _FN_TAGS:
    CfnLoader.add_constructor(f"!{_tag}", _fn(f"Fn::{_tag}"))


def loads_template(text: str) -> dict[str, Any]:
    """Parse a template given as text."""
    data = yaml.load(text, Loader=CfnLoader)  # noqa: S506 - CfnLoader is a SafeLoader
    if not isinstance(data, dict):
        raise ValueError("a CloudFormation template must be a mapping")
    return data


def load_template(path: str | Path) -> dict[str, Any]:
    """Parse the template at ``path`` into plain dicts and lists (long-form intrinsics)."""
    return loads_template(Path(path).read_text(encoding="utf-8"))
