"""e-conomic's error bodies (economic.md §1.4) -> `Rejection`. The one place that reads them."""

from typing import Any

from autobook.domain.books import FieldProblem, Rejection


def parse_rejection(status: int, body: dict[str, Any], *, operation: str) -> Rejection:
    problems: list[FieldProblem] = []
    errors = body.get("errors")
    if isinstance(errors, dict):
        for key, node in errors.items():
            if key == "lines" and isinstance(node, list):
                for line in node:
                    if isinstance(line, dict):
                        index = _int(line.get("arrayIndex"))
                        problems.extend(_walk(line, "", index))
            elif isinstance(node, dict):
                problems.extend(_walk(node, key, None))
    codes = {p.code for p in problems if p.code}
    if body.get("errorCode"):
        codes.add(str(body["errorCode"]))
    message = str(body.get("message") or body.get("developerHint") or "")
    return Rejection(
        status,
        codes=frozenset(codes),
        problems=tuple(problems),
        message=message[:500],
        operation=operation,
    )


def _walk(node: dict[str, Any], prefix: str, index: int | None) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    for key, value in node.items():
        if key == "errors" and isinstance(value, list):
            for error in value:
                if isinstance(error, dict):
                    raw = error.get("value")
                    found.append(
                        FieldProblem(
                            path=prefix,
                            code=str(error.get("errorCode", "")),
                            message=str(error.get("message", ""))[:300],
                            value=None if raw is None else str(raw)[:100],
                            line_index=index,
                        )
                    )
        elif isinstance(value, dict):
            found.extend(_walk(value, f"{prefix}.{key}" if prefix else key, index))
    return found


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None
