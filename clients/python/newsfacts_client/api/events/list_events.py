from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.event_kind import EventKind
from ...models.event_sort import EventSort
from ...models.event_status import EventStatus
from ...models.page_event_read import PageEventRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    participant: None | str | Unset = UNSET,
    issue: None | str | Unset = UNSET,
    status: EventStatus | None | Unset = UNSET,
    kind: EventKind | None | Unset = UNSET,
    date_from: None | str | Unset = UNSET,
    date_to: None | str | Unset = UNSET,
    location: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    sort: EventSort | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(newsfacts_generation, Unset):
        headers["Newsfacts-Generation"] = str(newsfacts_generation)

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_participant: None | str | Unset
    if isinstance(participant, Unset):
        json_participant = UNSET
    else:
        json_participant = participant
    params["participant"] = json_participant

    json_issue: None | str | Unset
    if isinstance(issue, Unset):
        json_issue = UNSET
    else:
        json_issue = issue
    params["issue"] = json_issue

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, EventStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, EventKind):
        json_kind = kind.value
    else:
        json_kind = kind
    params["kind"] = json_kind

    json_date_from: None | str | Unset
    if isinstance(date_from, Unset):
        json_date_from = UNSET
    else:
        json_date_from = date_from
    params["date_from"] = json_date_from

    json_date_to: None | str | Unset
    if isinstance(date_to, Unset):
        json_date_to = UNSET
    else:
        json_date_to = date_to
    params["date_to"] = json_date_to

    json_location: None | str | Unset
    if isinstance(location, Unset):
        json_location = UNSET
    else:
        json_location = location
    params["location"] = json_location

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | PageEventRead | Problem | None:
    if response.status_code == 200:
        response_200 = PageEventRead.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | PageEventRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    participant: None | str | Unset = UNSET,
    issue: None | str | Unset = UNSET,
    status: EventStatus | None | Unset = UNSET,
    kind: EventKind | None | Unset = UNSET,
    date_from: None | str | Unset = UNSET,
    date_to: None | str | Unset = UNSET,
    location: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    sort: EventSort | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[Any | PageEventRead | Problem]:
    """List events

     Summits, meetings, visits, elections and other events with their status, date and precision,
    location, participants and agenda issue ids. Ordered by id, or by date with `sort`.

    Args:
        limit (int | Unset): Items per page, 1 to 100. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`; omit
            for page one.
        participant (None | str | Unset): Only events with them.
        issue (None | str | Unset): Only events with this issue.
        status (EventStatus | None | Unset): Only this status.
        kind (EventKind | None | Unset): Only this kind.
        date_from (None | str | Unset): Only events on or after this date (`2018`, `2018-05`,
            `2018-05-14`); an event's whole dated period must lie in the range.
        date_to (None | str | Unset): Only events on or before the end of this date's period
            (`date_to=2018-05` includes all of May).
        location (None | str | Unset): Case-insensitive text in the location.
        q (None | str | Unset): Case-insensitive text in the title or description, in web-search
            syntax: each term (a word as typed, or a `"quoted phrase"`) is required, `a OR b` either,
            `-word` excludes.
        sort (EventSort | Unset): Orders of the event list; every order ends with the id, so it is
            total.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | PageEventRead | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        participant=participant,
        issue=issue,
        status=status,
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        location=location,
        q=q,
        sort=sort,
        newsfacts_generation=newsfacts_generation,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    participant: None | str | Unset = UNSET,
    issue: None | str | Unset = UNSET,
    status: EventStatus | None | Unset = UNSET,
    kind: EventKind | None | Unset = UNSET,
    date_from: None | str | Unset = UNSET,
    date_to: None | str | Unset = UNSET,
    location: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    sort: EventSort | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Any | PageEventRead | Problem | None:
    """List events

     Summits, meetings, visits, elections and other events with their status, date and precision,
    location, participants and agenda issue ids. Ordered by id, or by date with `sort`.

    Args:
        limit (int | Unset): Items per page, 1 to 100. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`; omit
            for page one.
        participant (None | str | Unset): Only events with them.
        issue (None | str | Unset): Only events with this issue.
        status (EventStatus | None | Unset): Only this status.
        kind (EventKind | None | Unset): Only this kind.
        date_from (None | str | Unset): Only events on or after this date (`2018`, `2018-05`,
            `2018-05-14`); an event's whole dated period must lie in the range.
        date_to (None | str | Unset): Only events on or before the end of this date's period
            (`date_to=2018-05` includes all of May).
        location (None | str | Unset): Case-insensitive text in the location.
        q (None | str | Unset): Case-insensitive text in the title or description, in web-search
            syntax: each term (a word as typed, or a `"quoted phrase"`) is required, `a OR b` either,
            `-word` excludes.
        sort (EventSort | Unset): Orders of the event list; every order ends with the id, so it is
            total.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | PageEventRead | Problem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        participant=participant,
        issue=issue,
        status=status,
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        location=location,
        q=q,
        sort=sort,
        newsfacts_generation=newsfacts_generation,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    participant: None | str | Unset = UNSET,
    issue: None | str | Unset = UNSET,
    status: EventStatus | None | Unset = UNSET,
    kind: EventKind | None | Unset = UNSET,
    date_from: None | str | Unset = UNSET,
    date_to: None | str | Unset = UNSET,
    location: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    sort: EventSort | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[Any | PageEventRead | Problem]:
    """List events

     Summits, meetings, visits, elections and other events with their status, date and precision,
    location, participants and agenda issue ids. Ordered by id, or by date with `sort`.

    Args:
        limit (int | Unset): Items per page, 1 to 100. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`; omit
            for page one.
        participant (None | str | Unset): Only events with them.
        issue (None | str | Unset): Only events with this issue.
        status (EventStatus | None | Unset): Only this status.
        kind (EventKind | None | Unset): Only this kind.
        date_from (None | str | Unset): Only events on or after this date (`2018`, `2018-05`,
            `2018-05-14`); an event's whole dated period must lie in the range.
        date_to (None | str | Unset): Only events on or before the end of this date's period
            (`date_to=2018-05` includes all of May).
        location (None | str | Unset): Case-insensitive text in the location.
        q (None | str | Unset): Case-insensitive text in the title or description, in web-search
            syntax: each term (a word as typed, or a `"quoted phrase"`) is required, `a OR b` either,
            `-word` excludes.
        sort (EventSort | Unset): Orders of the event list; every order ends with the id, so it is
            total.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | PageEventRead | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        participant=participant,
        issue=issue,
        status=status,
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        location=location,
        q=q,
        sort=sort,
        newsfacts_generation=newsfacts_generation,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    participant: None | str | Unset = UNSET,
    issue: None | str | Unset = UNSET,
    status: EventStatus | None | Unset = UNSET,
    kind: EventKind | None | Unset = UNSET,
    date_from: None | str | Unset = UNSET,
    date_to: None | str | Unset = UNSET,
    location: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    sort: EventSort | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Any | PageEventRead | Problem | None:
    """List events

     Summits, meetings, visits, elections and other events with their status, date and precision,
    location, participants and agenda issue ids. Ordered by id, or by date with `sort`.

    Args:
        limit (int | Unset): Items per page, 1 to 100. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`; omit
            for page one.
        participant (None | str | Unset): Only events with them.
        issue (None | str | Unset): Only events with this issue.
        status (EventStatus | None | Unset): Only this status.
        kind (EventKind | None | Unset): Only this kind.
        date_from (None | str | Unset): Only events on or after this date (`2018`, `2018-05`,
            `2018-05-14`); an event's whole dated period must lie in the range.
        date_to (None | str | Unset): Only events on or before the end of this date's period
            (`date_to=2018-05` includes all of May).
        location (None | str | Unset): Case-insensitive text in the location.
        q (None | str | Unset): Case-insensitive text in the title or description, in web-search
            syntax: each term (a word as typed, or a `"quoted phrase"`) is required, `a OR b` either,
            `-word` excludes.
        sort (EventSort | Unset): Orders of the event list; every order ends with the id, so it is
            total.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | PageEventRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            participant=participant,
            issue=issue,
            status=status,
            kind=kind,
            date_from=date_from,
            date_to=date_to,
            location=location,
            q=q,
            sort=sort,
            newsfacts_generation=newsfacts_generation,
        )
    ).parsed
