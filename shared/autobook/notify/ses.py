"""SES v2 sending of raw MIME (attachments survive; moto drops them from Simple content)."""

from email.message import EmailMessage
from typing import Any

import boto3
from botocore.exceptions import ClientError

from autobook.domain.errors import MailRejectedError, TransientError

# SES answers these when the message itself can never be sent as it is.
_PERMANENT = {"MessageRejected", "MailFromDomainNotVerifiedException", "BadRequestException"}


class SesMailer:
    def __init__(self, *, config: Any = None) -> None:
        self._config = config
        self._client: Any = None

    def _ses(self) -> Any:
        if self._client is None:
            self._client = boto3.client("sesv2", config=self._config)
        return self._client

    def sender_verified(self, address: str) -> bool:
        """The address, or else its domain, is a verified SES identity."""
        domain = address.rpartition("@")[2]
        for identity in (address, domain):
            try:
                found = self._ses().get_email_identity(EmailIdentity=identity)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") == "NotFoundException":
                    continue
                raise TransientError(f"SES {exc}", service="SES") from exc
            if found.get("VerificationStatus") == "SUCCESS" or found.get(
                "VerifiedForSendingStatus"
            ):
                return True
        return False

    def send(self, message: EmailMessage) -> str:
        """Send and return SES's message id."""
        try:
            answer = self._ses().send_email(Content={"Raw": {"Data": message.as_bytes()}})
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in _PERMANENT:
                raise MailRejectedError(code) from exc
            raise TransientError(f"SES {code}", service="SES") from exc
        return str(answer["MessageId"])
