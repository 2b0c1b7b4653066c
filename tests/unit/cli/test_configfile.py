"""Reading operator files: JSON and JSONC, and one line per problem naming file, line, field."""

import json
from pathlib import Path

import pytest

from autobook.domain.shop import ShopConfig, ShopSecrets
from autobook_cli.configfile import ConfigFileError, read_object, strip_jsonc, validate

MINIMAL_SHOP = (
    '{"shop_id": "fit4fight", "name": "Fit4Fight", "dandomain": {"base_url": "https://x.dk"}}'
)


def write(tmp_path: Path, text: str, name: str = "shop.jsonc") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str, model: type = ShopConfig) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(ConfigFileError) as caught:
        validate(read_object(path), model)
    return caught.value.problems


def test_given_comments_and_trailing_commas_when_stripped_then_json_of_the_same_shape_remains() -> (
    None
):
    text = (
        '{\n  "a": "x // not a comment", // a comment\n  /* block\n  comment */ "b": [1, 2,],\n}\n'
    )

    plain = strip_jsonc(text)

    assert json.loads(plain) == {"a": "x // not a comment", "b": [1, 2]}
    assert len(plain) == len(text)
    assert plain.count("\n") == text.count("\n")


def test_given_an_escaped_quote_in_a_string_when_stripped_then_the_string_is_kept() -> None:
    text = '{"a": "say \\"hi\\" // still text", "b": 1,}'

    assert json.loads(strip_jsonc(text)) == {"a": 'say "hi" // still text', "b": 1}


def test_given_the_documented_example_when_read_then_it_is_a_valid_shop() -> None:
    example = Path(__file__).resolve().parents[3] / "docs" / "shop-config.example.jsonc"

    document = read_object(example)
    document.value.pop("reference_data")

    assert validate(document, ShopConfig).shop_id == "fit4fight"


def test_given_a_syntax_error_when_read_then_file_line_and_column_are_named(tmp_path: Path) -> None:
    path = write(tmp_path, '{\n  // the id\n  "shop_id": "a"\n  "name": "b"\n}\n')

    with pytest.raises(ConfigFileError) as caught:
        read_object(path)

    assert caught.value.problems == [f"{path}:4:3: Expecting ',' delimiter"]


def test_given_an_unclosed_block_comment_when_read_then_its_line_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, '{\n "a": 1 /* oops\n}\n')

    with pytest.raises(ConfigFileError) as caught:
        read_object(path)

    assert caught.value.problems == [f"{path}:2: a /* comment is never closed"]


def test_given_a_misspelt_key_when_validated_then_its_line_and_the_likely_name_are_given(
    tmp_path: Path,
) -> None:
    text = MINIMAL_SHOP[:-1] + ',\n  "economic": {\n    "layout_numbr": 19\n  }\n}'

    assert problems(tmp_path, text) == [
        f"{tmp_path / 'shop.jsonc'}:3: economic.layout_numbr: unknown field; "
        "did you mean 'layout_number'?"
    ]


def test_given_a_missing_field_when_validated_then_the_parent_line_is_named(
    tmp_path: Path,
) -> None:
    text = '{\n "shop_id": "a",\n "dandomain": {\n   "platform": "classic"\n }\n}'

    assert problems(tmp_path, text) == [
        f"{tmp_path / 'shop.jsonc'}:1: name: required field is missing",
        f"{tmp_path / 'shop.jsonc'}:3: dandomain.base_url: required field is missing",
    ]


def test_given_a_wrong_value_in_a_mapping_when_validated_then_the_path_and_value_are_named(
    tmp_path: Path,
) -> None:
    text = MINIMAL_SHOP[:-1] + (
        ',\n "economic": {"payment_methods": {\n  "60": {"name": "Kort",\n'
        '   "payment_terms_number": "four"}}}}'
    )

    (line,) = problems(tmp_path, text)

    assert line.startswith(
        f"{tmp_path / 'shop.jsonc'}:4: economic.payment_methods.60.payment_terms_number: "
    )
    assert "integer" in line
    assert "'four'" in line


def test_given_a_secrets_file_with_a_wrong_type_then_the_value_is_not_echoed(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, '{"economic_grant_token": 12345678, "webhook_secret": "s3cr3t-value"}')

    with pytest.raises(ConfigFileError) as caught:
        validate(read_object(path), ShopSecrets, echo_values=False)

    assert "12345678" not in caught.value.message
    assert "economic_grant_token" in caught.value.message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b"[1, 2]", "expected a JSON object"),
        (b"", "Expecting value"),
    ],
)
def test_given_an_unusable_file_when_read_then_one_line_says_why(
    tmp_path: Path, content: bytes | None, expected: str
) -> None:
    path = tmp_path / "shop.json"
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(ConfigFileError) as caught:
        read_object(path)

    (line,) = caught.value.problems
    assert line.startswith(str(path))
    assert expected in line


def test_given_a_directory_when_read_then_it_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigFileError) as caught:
        read_object(tmp_path)

    assert caught.value.problems == [f"{tmp_path}: is a directory, not a file"]
