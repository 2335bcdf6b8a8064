from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    newsfacts_generation: int | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(newsfacts_generation, Unset):
        headers["Newsfacts-Generation"] = str(newsfacts_generation)

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/metrics",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[Problem | str]:
    """Prometheus metrics

     Request counts and latency by method, route template and status, requests in flight, database pool
    gauges and process metrics, in the Prometheus text format. Not rate limited and not behind the read
    key: expose it to your scraper only.

    Args:
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        newsfacts_generation=newsfacts_generation,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    newsfacts_generation: int | Unset = UNSET,
) -> Problem | str | None:
    """Prometheus metrics

     Request counts and latency by method, route template and status, requests in flight, database pool
    gauges and process metrics, in the Prometheus text format. Not rate limited and not behind the read
    key: expose it to your scraper only.

    Args:
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return sync_detailed(
        client=client,
        newsfacts_generation=newsfacts_generation,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[Problem | str]:
    """Prometheus metrics

     Request counts and latency by method, route template and status, requests in flight, database pool
    gauges and process metrics, in the Prometheus text format. Not rate limited and not behind the read
    key: expose it to your scraper only.

    Args:
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        newsfacts_generation=newsfacts_generation,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    newsfacts_generation: int | Unset = UNSET,
) -> Problem | str | None:
    """Prometheus metrics

     Request counts and latency by method, route template and status, requests in flight, database pool
    gauges and process metrics, in the Prometheus text format. Not rate limited and not behind the read
    key: expose it to your scraper only.

    Args:
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return (
        await asyncio_detailed(
            client=client,
            newsfacts_generation=newsfacts_generation,
        )
    ).parsed
