"""Turn what can go wrong on the way to a stack into one line with the right exit code."""

from autobook_cli.exits import CliError, unreachable

_ACCESS_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "ExpiredToken",
        "ExpiredTokenException",
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
    }
)
_MISSING_CODES = frozenset(
    {"ResourceNotFoundException", "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"}
)


def from_aws(exc: BaseException, source: str) -> CliError | None:
    """The CliError for a botocore failure, or None when `exc` is not one we can explain."""
    try:
        from botocore import exceptions as aws
    except ImportError:  # pragma: no cover - boto3 is a dependency
        return None
    if isinstance(exc, aws.EndpointConnectionError | aws.ConnectTimeoutError):
        endpoint = exc.kwargs.get("endpoint_url", "the endpoint")
        return unreachable(
            f"cannot reach {endpoint} ({source}); for the local sandbox: `autobook sandbox status`"
        )
    if isinstance(exc, aws.ReadTimeoutError | aws.ConnectionClosedError):
        return unreachable(f"{source} stopped answering: {exc}")
    if isinstance(exc, aws.NoCredentialsError | aws.PartialCredentialsError):
        return unreachable(
            f"no AWS credentials for {source}: set AWS_PROFILE, run `aws sso login`, "
            "or use --profile"
        )
    if isinstance(exc, aws.NoRegionError):
        return unreachable(f"no AWS region for {source}: pass --region or set AWS_REGION")
    if isinstance(exc, aws.ProfileNotFound | aws.TokenRetrievalError | aws.SSOError):
        return unreachable(f"AWS credentials: {exc}")
    if isinstance(exc, aws.ClientError):
        error = exc.response.get("Error", {})
        code, message = str(error.get("Code", "")), str(error.get("Message", ""))
        if code in _ACCESS_CODES:
            return unreachable(f"AWS refused {exc.operation_name} ({source}): {code}: {message}")
        if code in _MISSING_CODES:
            return unreachable(
                f"{source} points at something that does not exist ({exc.operation_name}): "
                f"{message or code}"
            )
    return None


def from_core(exc: BaseException) -> CliError | None:
    """A known error or an outside service not answering, as the core reports them (a
    command that reads Dandomain or e-conomic live): one line, not an "unexpected" bug."""
    from autobook.domain.errors import SHOP_WIDE, KnownError, TransientError

    if isinstance(exc, KnownError):
        if exc.code in SHOP_WIDE:  # its owner text is about a paused shop: not the case here
            return CliError(f"{exc.code}: refused ({exc.parameters.get('detail', '')})")
        return CliError(f"{exc.code}: {exc.text.en}")
    if isinstance(exc, TransientError):
        return unreachable(f"{exc.service} did not answer ({exc}); try again")
    return None
