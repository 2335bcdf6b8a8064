from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_change_read import PageChangeRead
from ...models.problem import Problem
from ...models.record_kind import RecordKind
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    since: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    kind: None | RecordKind | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(newsfacts_generation, Unset):
        headers["Newsfacts-Generation"] = str(newsfacts_generation)

    params: dict[str, Any] = {}

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    else:
        json_since = since
    params["since"] = json_since

    params["limit"] = limit

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, RecordKind):
        json_kind = kind.value
    else:
        json_kind = kind
    params["kind"] = json_kind

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/changes",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | PageChangeRead | Problem | None:
    if response.status_code == 200:
        response_200 = PageChangeRead.from_dict(response.json())

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
) -> Response[Any | PageChangeRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    since: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    kind: None | RecordKind | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[Any | PageChangeRead | Problem]:
    """Follow the change feed

     Records created, updated and deleted (tombstones: `after` is null), in commit order, with their
    canonical state before and after. Start without `since`, then pass the last change's `cursor` (or
    `next_cursor`) as `since` to read only what is new.

    Args:
        since (None | str | Unset): A cursor from an earlier change (or `next_cursor`); omit to
            start at the beginning.
        limit (int | Unset): Changes per page. Default: 100.
        kind (None | RecordKind | Unset): Only changes of this kind.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | PageChangeRead | Problem]
    """

    kwargs = _get_kwargs(
        since=since,
        limit=limit,
        kind=kind,
        newsfacts_generation=newsfacts_generation,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    since: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    kind: None | RecordKind | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Any | PageChangeRead | Problem | None:
    """Follow the change feed

     Records created, updated and deleted (tombstones: `after` is null), in commit order, with their
    canonical state before and after. Start without `since`, then pass the last change's `cursor` (or
    `next_cursor`) as `since` to read only what is new.

    Args:
        since (None | str | Unset): A cursor from an earlier change (or `next_cursor`); omit to
            start at the beginning.
        limit (int | Unset): Changes per page. Default: 100.
        kind (None | RecordKind | Unset): Only changes of this kind.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | PageChangeRead | Problem
    """

    return sync_detailed(
        client=client,
        since=since,
        limit=limit,
        kind=kind,
        newsfacts_generation=newsfacts_generation,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    since: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    kind: None | RecordKind | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[Any | PageChangeRead | Problem]:
    """Follow the change feed

     Records created, updated and deleted (tombstones: `after` is null), in commit order, with their
    canonical state before and after. Start without `since`, then pass the last change's `cursor` (or
    `next_cursor`) as `since` to read only what is new.

    Args:
        since (None | str | Unset): A cursor from an earlier change (or `next_cursor`); omit to
            start at the beginning.
        limit (int | Unset): Changes per page. Default: 100.
        kind (None | RecordKind | Unset): Only changes of this kind.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | PageChangeRead | Problem]
    """

    kwargs = _get_kwargs(
        since=since,
        limit=limit,
        kind=kind,
        newsfacts_generation=newsfacts_generation,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    since: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    kind: None | RecordKind | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Any | PageChangeRead | Problem | None:
    """Follow the change feed

     Records created, updated and deleted (tombstones: `after` is null), in commit order, with their
    canonical state before and after. Start without `since`, then pass the last change's `cursor` (or
    `next_cursor`) as `since` to read only what is new.

    Args:
        since (None | str | Unset): A cursor from an earlier change (or `next_cursor`); omit to
            start at the beginning.
        limit (int | Unset): Changes per page. Default: 100.
        kind (None | RecordKind | Unset): Only changes of this kind.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | PageChangeRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            since=since,
            limit=limit,
            kind=kind,
            newsfacts_generation=newsfacts_generation,
        )
    ).parsed
