"""Evaluate CloudFormation intrinsic functions against locally created resources."""

import base64
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

NO_VALUE = object()
"""What ``{"Ref": "AWS::NoValue"}`` evaluates to; callers drop the key or item holding it."""

_SUB_VAR = re.compile(r"\$\{([^!}][^}]*)\}")


class UnresolvableError(LookupError):
    """An intrinsic refers to something the local stack does not model."""


@dataclass
class Resolver:
    """Evaluates Ref/Sub/GetAtt/If/... given parameters, conditions and resource lookups.

    ``refs`` maps a logical id (or parameter / pseudo parameter) to its Ref value;
    ``attributes`` maps (logical id, attribute) to its GetAtt value.
    """

    refs: dict[str, str]
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)
    conditions: Mapping[str, Any] = field(default_factory=dict)
    mappings: Mapping[str, Any] = field(default_factory=dict)
    _condition_cache: dict[str, bool] = field(default_factory=dict)

    def ref(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name not in self.refs:
            raise UnresolvableError(f"Ref {name!r} is not a parameter or a local resource")
        return self.refs[name]

    def get_att(self, target: Any) -> str:
        resource, attribute = (
            target.split(".", 1) if isinstance(target, str) else [self.resolve(t) for t in target]
        )
        key = (str(resource), str(attribute))
        if key not in self.attributes:
            raise UnresolvableError(f"GetAtt {key[0]}.{key[1]} is not modelled locally")
        return self.attributes[key]

    def condition(self, name: str) -> bool:
        if name not in self._condition_cache:
            if name not in self.conditions:
                raise UnresolvableError(f"unknown condition {name!r}")
            self._condition_cache[name] = bool(self.resolve(self.conditions[name]))
        return self._condition_cache[name]

    def sub(self, arg: Any) -> str:
        template, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
        local = {k: self.resolve(v) for k, v in variables.items()}

        def replace(match: re.Match[str]) -> str:
            name = match.group(1).strip()
            if name in local:
                return str(local[name])
            if "." in name and not name.startswith("AWS::"):
                return self.get_att(name)
            return str(self.ref(name))

        return _SUB_VAR.sub(replace, str(template)).replace("${!", "${")

    def resolve(self, value: Any) -> Any:
        """Evaluate ``value`` recursively; dicts with one intrinsic key are evaluated."""
        if isinstance(value, list):
            items = [self.resolve(v) for v in value]
            return [v for v in items if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            handler = self._handlers().get(key)
            if handler is not None:
                return handler(arg)
            if key.startswith("Fn::"):
                raise UnresolvableError(f"{key} is not supported locally")
        resolved = {k: self.resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}

    def _handlers(self) -> dict[str, Callable[[Any], Any]]:
        r = self.resolve
        return {
            "Ref": lambda a: self.ref(str(r(a))),
            "Condition": lambda a: self.condition(str(a)),
            "Fn::GetAtt": self.get_att,
            "Fn::Sub": self.sub,
            "Fn::If": lambda a: r(a[1]) if self.condition(str(a[0])) else r(a[2]),
            "Fn::Equals": lambda a: str(r(a[0])) == str(r(a[1])),
            "Fn::Not": lambda a: not r(a[0]),
            "Fn::And": lambda a: all(r(x) for x in a),
            "Fn::Or": lambda a: any(r(x) for x in a),
            "Fn::Join": lambda a: str(r(a[0])).join(str(x) for x in r(a[1])),
            "Fn::Select": lambda a: r(a[1])[int(r(a[0]))],
            "Fn::Split": lambda a: str(r(a[1])).split(str(r(a[0]))),
            "Fn::FindInMap": lambda a: self.mappings[r(a[0])][r(a[1])][r(a[2])],
            "Fn::Base64": lambda a: base64.b64encode(str(r(a)).encode()).decode(),
            "Fn::GetAZs": lambda a: [f"{self.refs['AWS::Region']}{z}" for z in "abc"],
        }


def to_env_string(value: Any) -> str:
    """Lambda environment values are strings; CloudFormation renders booleans in lower case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        raise UnresolvableError(f"environment value did not resolve to a scalar: {value!r}")
    return str(value)
