"""SES v2 sending of raw MIME (attachments survive; moto drops them from Simple content)."""

from email.message import EmailMessage
from functools import cache
from typing import Any

import boto3
from botocore.exceptions import ClientError

from autobook.domain.errors import TransientError

# SES answers these when the message itself can never be sent as it is.
_PERMANENT = {"MessageRejected", "MailFromDomainNotVerifiedException", "BadRequestException"}


class MailRejectedError(Exception):
    """SES refused the message for good (bad address, unverified sender)."""


@cache
def _sesv2() -> Any:
    return boto3.client("sesv2")


def reset_clients() -> None:
    _sesv2.cache_clear()


class MailSender:
    def send(self, message: EmailMessage) -> str:
        """Send and return SES's message id."""
        try:
            answer = _sesv2().send_email(Content={"Raw": {"Data": message.as_bytes()}})
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in _PERMANENT:
                raise MailRejectedError(
                    f"{code}: {exc.response['Error'].get('Message', '')}"
                ) from exc
            raise TransientError(f"SES {code}") from exc
        return str(answer["MessageId"])
