from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_article_read import PageArticleRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
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

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/articles",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | PageArticleRead | Problem | None:
    if response.status_code == 200:
        response_200 = PageArticleRead.from_dict(response.json())

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
) -> Response[Any | PageArticleRead | Problem]:
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
    q: None | str | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[Any | PageArticleRead | Problem]:
    """List articles

     Articles in id order, without their text. `q` keeps those whose title or text contains it, ignoring
    case.

    Args:
        limit (int | Unset): Items per page, 1 to 100. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`; omit
            for page one.
        q (None | str | Unset): Case-insensitive text in the title or the article text, in web-
            search syntax: each term (a word as typed, or a `"quoted phrase"`) is required, `a OR b`
            either, `-word` excludes.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | PageArticleRead | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        q=q,
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
    q: None | str | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Any | PageArticleRead | Problem | None:
    """List articles

     Articles in id order, without their text. `q` keeps those whose title or text contains it, ignoring
    case.

    Args:
        limit (int | Unset): Items per page, 1 to 100. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`; omit
            for page one.
        q (None | str | Unset): Case-insensitive text in the title or the article text, in web-
            search syntax: each term (a word as typed, or a `"quoted phrase"`) is required, `a OR b`
            either, `-word` excludes.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | PageArticleRead | Problem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        q=q,
        newsfacts_generation=newsfacts_generation,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[Any | PageArticleRead | Problem]:
    """List articles

     Articles in id order, without their text. `q` keeps those whose title or text contains it, ignoring
    case.

    Args:
        limit (int | Unset): Items per page, 1 to 100. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`; omit
            for page one.
        q (None | str | Unset): Case-insensitive text in the title or the article text, in web-
            search syntax: each term (a word as typed, or a `"quoted phrase"`) is required, `a OR b`
            either, `-word` excludes.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | PageArticleRead | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        q=q,
        newsfacts_generation=newsfacts_generation,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Any | PageArticleRead | Problem | None:
    """List articles

     Articles in id order, without their text. `q` keeps those whose title or text contains it, ignoring
    case.

    Args:
        limit (int | Unset): Items per page, 1 to 100. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`; omit
            for page one.
        q (None | str | Unset): Case-insensitive text in the title or the article text, in web-
            search syntax: each term (a word as typed, or a `"quoted phrase"`) is required, `a OR b`
            either, `-word` excludes.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | PageArticleRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            q=q,
            newsfacts_generation=newsfacts_generation,
        )
    ).parsed
