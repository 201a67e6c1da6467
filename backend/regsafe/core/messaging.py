"""Sending short one-time messages (验证码) to a phone or an e-mail address.

``MessageSender`` is the port; real SMS / e-mail providers are adapters behind it,
configured where the runtime is built. Two implementations ship: ``LoggingSender`` (the
development default: logs that a message went out, with the destination masked and
never the code) and ``MemorySender`` (keeps the messages, for tests and the local
development console). tests/core/test_messaging.py is the contract every adapter must
pass: delivery of a message to a valid destination, refusal of an invalid one with
``UndeliverableError``, and no code in any log line.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol, runtime_checkable

log = logging.getLogger("regsafe.messaging")

_PHONE = re.compile(r"^1[3-9][0-9]{9}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}$")


class Channel(StrEnum):
    SMS = "SMS"
    EMAIL = "EMAIL"


@dataclass(frozen=True)
class Message:
    channel: Channel
    destination: str  # an 11-digit mainland mobile number, or an e-mail address
    purpose: str  # e.g. "password-reset": the template the provider uses
    code: str


class UndeliverableError(Exception):
    """The destination is not one the channel can deliver to."""


@runtime_checkable
class MessageSender(Protocol):
    async def send(self, message: Message) -> None:
        """Deliver ``message`` or raise ``UndeliverableError``. Never logs the code."""
        ...


def masked_destination(message: Message) -> str:
    if message.channel is Channel.SMS:
        d = message.destination
        return d[:3] + "****" + d[-4:]
    name, _, domain = message.destination.partition("@")
    return f"{name[:1]}***@{domain}"


def check_destination(message: Message) -> None:
    pattern = _PHONE if message.channel is Channel.SMS else _EMAIL
    if not pattern.match(message.destination):
        raise UndeliverableError(f"cannot deliver {message.channel} to this destination")


class LoggingSender:
    """Development default: one structured log line per message, destination masked."""

    async def send(self, message: Message) -> None:
        check_destination(message)
        log.info(
            "message_sent",
            extra={
                "channel": message.channel.value,
                "purpose": message.purpose,
                "destination": masked_destination(message),
            },
        )


@dataclass
class MemorySender:
    """Keeps every message in ``sent`` (tests; a development console could show them)."""

    sent: list[Message] = field(default_factory=list)

    async def send(self, message: Message) -> None:
        check_destination(message)
        self.sent.append(message)

    def last_code(self, destination: str) -> str | None:
        for m in reversed(self.sent):
            if m.destination == destination:
                return m.code
        return None
