"""Which database serves a request: the primary, or a read replica; and the write generation.

Every successful write answers with `Newsfacts-Generation: <n>`, the write generation its
commit made (app.core.db.lock_for_writes counts every write transaction). A client that sends
the highest generation it has seen back as `Newsfacts-Generation` on a read is served by a
replica only if that replica has replayed at least that generation, else by the primary: so it
never reads a state older than its own writes. Reads without the header may be served by any
replica that is up and not lagging (app.core.replicas). Writes, the change feed (followers need
every change in order, at once) and anything else that is not a GET, HEAD or OPTIONS use the
primary. With replicas configured, `Newsfacts-Database` names the database that served a read.
A read whose replica fails before the answer starts (its 503 not sent: app.core.replicas marks
the replica down) is served again by the primary.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import BadRequest, problem_document
from app.core.replicas import Replica, ReplicaSet

GENERATION_HEADER = "Newsfacts-Generation"
DATABASE_HEADER = "Newsfacts-Database"
STATE_DATABASE = "newsfacts_database"
STATE_GENERATION = "newsfacts_generation"
PRIMARY_ONLY_PREFIXES = ("/v1/changes",)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_GENERATION = 2**63 - 1


def routed_database(scope: Scope) -> Replica | None:
    """The replica chosen to serve this request, or None for the primary."""
    state: dict[str, Any] = scope.get("state") or {}
    database = state.get(STATE_DATABASE)
    return database if isinstance(database, Replica) else None


def parse_generation(value: str | None) -> int | None:
    """The generation a client sent: None when absent; ValueError when it is not one."""
    if value is None:
        return None
    value = value.strip()
    if not value.isascii() or not value.isdigit() or int(value) > MAX_GENERATION:
        raise ValueError(value)
    return int(value)


class DatabaseRoutingMiddleware:
    """Picks the database of each request and adds the generation header to writes."""

    def __init__(self, app: ASGIApp, replicas: ReplicaSet) -> None:
        self.app = app
        self.replicas = replicas

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})  # shared by reference with the app's Request
        if scope["method"] not in SAFE_METHODS:
            await self.app(scope, receive, self._with_generation(state, send))
            return
        try:
            wanted = parse_generation(Headers(scope=scope).get(GENERATION_HEADER))
        except ValueError:
            await self._refuse(scope, send)
            return
        if not self.replicas:
            await self.app(scope, receive, send)
            return
        self.replicas.check_in_background()
        replica = None
        if not scope.get("path", "").startswith(PRIMARY_ONLY_PREFIXES):
            replica = self.replicas.pick(wanted or 0)
        if replica is None:
            await self._serve(scope, receive, send, state, None)
            return
        received: list[Message] = []

        async def recording_receive() -> Message:
            message = await receive()
            received.append(message)
            return message

        if await self._serve(scope, recording_receive, send, state, replica):
            return
        # The replica failed before an answer started: the primary answers, to the same request.
        replayed = iter(received)

        async def replaying_receive() -> Message:
            return next(replayed, None) or await receive()

        await self._serve(scope, replaying_receive, send, state, None)

    async def _serve(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        state: dict[str, Any],
        replica: Replica | None,
    ) -> bool:
        """Answer from `replica` (None: the primary), naming it in DATABASE_HEADER. False, with
        nothing sent, when the replica went down and the answer would be its 503."""
        state[STATE_DATABASE] = replica
        served_by = (replica.name if replica is not None else "primary").encode()
        failed = False

        async def send_with_database(message: Message) -> None:
            nonlocal failed
            if message["type"] == "http.response.start":
                failed = (
                    replica is not None
                    and message["status"] == 503
                    and replica.state.status == "down"
                )
                headers = [
                    *message.get("headers", []),
                    (DATABASE_HEADER.lower().encode(), served_by),
                ]
                message = {**message, "headers": headers}
            if not failed:
                await send(message)

        await self.app(scope, receive, send_with_database)
        return not failed

    @staticmethod
    def _with_generation(state: dict[str, Any], send: Send) -> Send:
        async def send_with_generation(message: Message) -> None:
            generation = state.get(STATE_GENERATION)
            if message["type"] == "http.response.start" and generation is not None:
                header = (GENERATION_HEADER.lower().encode(), str(generation).encode())
                message = {**message, "headers": [*message.get("headers", []), header]}
            await send(message)

        return send_with_generation

    @staticmethod
    async def _refuse(scope: Scope, send: Send) -> None:
        body, headers = problem_document(
            status=BadRequest.status,
            slug=BadRequest.slug,
            title=BadRequest.title,
            detail=f"{GENERATION_HEADER} must be a write generation this API sent (an integer).",
            instance=scope.get("path", ""),
        )
        await send({"type": "http.response.start", "status": 400, "headers": headers})
        await send({"type": "http.response.body", "body": body})
