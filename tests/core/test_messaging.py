"""The contract of every MessageSender adapter (验证码 delivery): the shipped ones here; a
real SMS or e-mail provider's adapter is added to SENDERS with its test double."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from regsafe.core.messaging import (
    Channel,
    LoggingSender,
    MemorySender,
    Message,
    MessageSender,
    UndeliverableError,
)

SENDERS: dict[str, Callable[[], MessageSender]] = {
    "logging": LoggingSender,
    "memory": MemorySender,
}


@pytest.fixture(params=sorted(SENDERS))
def sender(request: pytest.FixtureRequest) -> MessageSender:
    return SENDERS[request.param]()


async def test_is_a_message_sender(sender: MessageSender) -> None:
    assert isinstance(sender, MessageSender)


@pytest.mark.parametrize(
    "channel, destination",
    [(Channel.SMS, "13800138000"), (Channel.EMAIL, "zhang.wei@example.cn")],
)
async def test_delivers_to_a_valid_destination_without_logging_the_code(
    sender: MessageSender,
    channel: Channel,
    destination: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await sender.send(Message(channel, destination, "password-reset", "493027"))
    text = caplog.text + " ".join(str(r.__dict__) for r in caplog.records)
    assert "493027" not in text
    assert destination not in text  # masked, if logged at all


@pytest.mark.parametrize(
    "channel, destination",
    [(Channel.SMS, "12345"), (Channel.SMS, "1380013800x"), (Channel.EMAIL, "no-at-sign")],
)
async def test_refuses_an_undeliverable_destination(
    sender: MessageSender, channel: Channel, destination: str
) -> None:
    with pytest.raises(UndeliverableError):
        await sender.send(Message(channel, destination, "password-reset", "493027"))


async def test_memory_sender_keeps_the_messages() -> None:
    sender = MemorySender()
    await sender.send(Message(Channel.SMS, "13800138000", "password-reset", "111111"))
    await sender.send(Message(Channel.SMS, "13800138000", "password-reset", "222222"))
    assert sender.last_code("13800138000") == "222222"
    assert sender.last_code("13900139000") is None
