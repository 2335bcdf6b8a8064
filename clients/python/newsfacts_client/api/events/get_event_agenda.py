from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.agenda_read import AgendaRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    event_id: str,
    *,
    quotations_per_issue: int | Unset = 10,
    newsfacts_generation: int | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(newsfacts_generation, Unset):
        headers["Newsfacts-Generation"] = str(newsfacts_generation)

    params: dict[str, Any] = {}

    params["quotations_per_issue"] = quotations_per_issue

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events/{event_id}/agenda".format(
            event_id=quote(str(event_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AgendaRead | Any | Problem | None:
    if response.status_code == 200:
        response_200 = AgendaRead.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[AgendaRead | Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    event_id: str,
    *,
    client: AuthenticatedClient | Client,
    quotations_per_issue: int | Unset = 10,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[AgendaRead | Any | Problem]:
    """Get an event's agenda

     Which issues were, or will be, raised at the event: each agenda issue with its status (`expected`,
    `raised`, `discussed`) and the quotations on it, with evidence.

    Args:
        event_id (str): The event's id (a lower-case slug).
        quotations_per_issue (int | Unset): How many quotations to include per issue (0 to 50).
            Default: 10.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgendaRead | Any | Problem]
    """

    kwargs = _get_kwargs(
        event_id=event_id,
        quotations_per_issue=quotations_per_issue,
        newsfacts_generation=newsfacts_generation,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    event_id: str,
    *,
    client: AuthenticatedClient | Client,
    quotations_per_issue: int | Unset = 10,
    newsfacts_generation: int | Unset = UNSET,
) -> AgendaRead | Any | Problem | None:
    """Get an event's agenda

     Which issues were, or will be, raised at the event: each agenda issue with its status (`expected`,
    `raised`, `discussed`) and the quotations on it, with evidence.

    Args:
        event_id (str): The event's id (a lower-case slug).
        quotations_per_issue (int | Unset): How many quotations to include per issue (0 to 50).
            Default: 10.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgendaRead | Any | Problem
    """

    return sync_detailed(
        event_id=event_id,
        client=client,
        quotations_per_issue=quotations_per_issue,
        newsfacts_generation=newsfacts_generation,
    ).parsed


async def asyncio_detailed(
    event_id: str,
    *,
    client: AuthenticatedClient | Client,
    quotations_per_issue: int | Unset = 10,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[AgendaRead | Any | Problem]:
    """Get an event's agenda

     Which issues were, or will be, raised at the event: each agenda issue with its status (`expected`,
    `raised`, `discussed`) and the quotations on it, with evidence.

    Args:
        event_id (str): The event's id (a lower-case slug).
        quotations_per_issue (int | Unset): How many quotations to include per issue (0 to 50).
            Default: 10.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgendaRead | Any | Problem]
    """

    kwargs = _get_kwargs(
        event_id=event_id,
        quotations_per_issue=quotations_per_issue,
        newsfacts_generation=newsfacts_generation,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    event_id: str,
    *,
    client: AuthenticatedClient | Client,
    quotations_per_issue: int | Unset = 10,
    newsfacts_generation: int | Unset = UNSET,
) -> AgendaRead | Any | Problem | None:
    """Get an event's agenda

     Which issues were, or will be, raised at the event: each agenda issue with its status (`expected`,
    `raised`, `discussed`) and the quotations on it, with evidence.

    Args:
        event_id (str): The event's id (a lower-case slug).
        quotations_per_issue (int | Unset): How many quotations to include per issue (0 to 50).
            Default: 10.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgendaRead | Any | Problem
    """

    return (
        await asyncio_detailed(
            event_id=event_id,
            client=client,
            quotations_per_issue=quotations_per_issue,
            newsfacts_generation=newsfacts_generation,
        )
    ).parsed
