"""SOAP 1.1 envelopes for the sandbox (stdlib ElementTree): read a request, write a result or a
fault the way a PHP SoapServer does (document/literal, unqualified children, HTTP 500 faults).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
TNS = "https://api.hostedshop.io/service.php"
XML_TYPE = "text/xml; charset=utf-8"


class SoapFault(Exception):
    """Answered as a SOAP fault (HTTP 500)."""

    def __init__(self, message: str, code: str = "SOAP-ENV:Server") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class Call:
    operation: str
    params: dict[str, str | None]  # None = xsi:nil; a missing key = the element was left out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_call(body: bytes) -> Call:
    try:
        root = ET.fromstring(body)  # noqa: S314 - loopback test traffic only
    except ET.ParseError as exc:
        raise SoapFault(f"Bad Request: {exc}", "SOAP-ENV:Client") from None
    envelope_body = root.find(f"{{{ENV}}}Body")
    if _local(root.tag) != "Envelope" or envelope_body is None or len(envelope_body) == 0:
        raise SoapFault("Bad Request: no SOAP body", "SOAP-ENV:Client")
    request = envelope_body[0]
    params: dict[str, str | None] = {}
    for child in request:
        nil = child.get(f"{{{XSI}}}nil") in ("true", "1")
        params[_local(child.tag)] = None if nil else (child.text or "")
    return Call(operation=_local(request.tag), params=params)


def _number(value: Decimal | int | float) -> str:
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


type Text = Callable[[str], str]


def _fill(parent: ET.Element, value: Any, *, single_as_object: bool, text: Text) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            _fill(ET.SubElement(parent, key), child, single_as_object=single_as_object, text=text)
    elif isinstance(value, list | tuple):
        if single_as_object and len(value) == 1 and isinstance(value[0], Mapping):
            _fill(parent, value[0], single_as_object=single_as_object, text=text)
            return
        for item in value:
            _fill(ET.SubElement(parent, "item"), item, single_as_object=single_as_object, text=text)
    elif isinstance(value, bool):
        parent.text = "true" if value else "false"
    elif isinstance(value, Decimal | int | float):
        parent.text = _number(value)
    elif value is None:
        parent.set("xsi:nil", "true")
    else:
        parent.text = text(str(value))


def _envelope() -> tuple[ET.Element, ET.Element]:
    root = ET.Element(
        "SOAP-ENV:Envelope", {"xmlns:SOAP-ENV": ENV, "xmlns:ns1": TNS, "xmlns:xsi": XSI}
    )
    return root, ET.SubElement(root, "SOAP-ENV:Body")


def result(operation: str, value: Any, *, single_as_object: bool = True, text: Text = str) -> bytes:
    root, body = _envelope()
    response = ET.SubElement(body, f"ns1:{operation}Response")
    _fill(
        ET.SubElement(response, f"{operation}Result"),
        value,
        single_as_object=single_as_object,
        text=text,
    )
    return _document(root)


def fault(error: SoapFault) -> bytes:
    root, body = _envelope()
    node = ET.SubElement(body, "SOAP-ENV:Fault")
    ET.SubElement(node, "faultcode").text = error.code
    ET.SubElement(node, "faultstring").text = error.message
    return _document(root)


def _document(root: ET.Element) -> bytes:
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    return (declaration + ET.tostring(root, encoding="unicode")).encode("utf-8")
