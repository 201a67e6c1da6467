"""The request's session is closed even when the request is cancelled (a client that
disconnects mid-flight): the extension's cleanup is shielded from the cancellation."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import anyio
import pytest
from sqlalchemy import text

from regsafe.core.runtime import Runtime
from regsafe.graphql.context import Context
from regsafe.graphql.extensions import RequestLifecycle


async def test_session_is_closed_when_the_operation_is_cancelled(runtime: Runtime) -> None:
    ctx = Context(runtime=runtime, request=None, request_id="cancelled")
    await (await ctx.session.connection()).execute(text("SELECT 1"))  # a session in use
    execution: Any = SimpleNamespace(
        context=ctx, result=None, operation_name="Q", operation_type=SimpleNamespace(value="query")
    )
    extension = RequestLifecycle()
    extension.execution_context = execution
    steps = extension.on_operation()
    await steps.__anext__()  # the operation runs...
    with anyio.CancelScope() as scope:
        scope.cancel()  # ...and the client goes away
        with pytest.raises(StopAsyncIteration):
            await steps.__anext__()
    assert ctx._session is None  # finish() ran to the end: the session was closed
