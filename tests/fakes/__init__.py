"""In-memory fakes of the ports (autobook.usecases.ports), for unit tests without sockets."""

from tests.fakes.books import FakeAgreements, FakeBooks
from tests.fakes.clock import FakeClock
from tests.fakes.mail import FakeMailer, FakeOwnerMail
from tests.fakes.queues import FakeMailQueue, FakeOrderQueue
from tests.fakes.sources import FakeOrderSource, FakeSources
from tests.fakes.stores import FakeErrorLog, FakeLedger, FakeSecrets, FakeShops

__all__ = [
    "FakeAgreements",
    "FakeBooks",
    "FakeClock",
    "FakeErrorLog",
    "FakeLedger",
    "FakeMailQueue",
    "FakeMailer",
    "FakeOrderQueue",
    "FakeOrderSource",
    "FakeOwnerMail",
    "FakeSecrets",
    "FakeShops",
    "FakeSources",
]
