from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.issue_read import IssueRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    issue_id: str,
    *,
    newsfacts_generation: int | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(newsfacts_generation, Unset):
        headers["Newsfacts-Generation"] = str(newsfacts_generation)

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/issues/{issue_id}".format(
            issue_id=quote(str(issue_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | IssueRead | Problem | None:
    if response.status_code == 200:
        response_200 = IssueRead.from_dict(response.json())

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

    if response.status_code == 406:
        response_406 = Problem.from_dict(response.json())

        return response_406

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
) -> Response[Any | IssueRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    issue_id: str,
    *,
    client: AuthenticatedClient | Client,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[Any | IssueRead | Problem]:
    """Get an agenda issue

     One issue with its agenda entries and evidence.

    Args:
        issue_id (str): The issue's id (a lower-case slug).
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | IssueRead | Problem]
    """

    kwargs = _get_kwargs(
        issue_id=issue_id,
        newsfacts_generation=newsfacts_generation,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    issue_id: str,
    *,
    client: AuthenticatedClient | Client,
    newsfacts_generation: int | Unset = UNSET,
) -> Any | IssueRead | Problem | None:
    """Get an agenda issue

     One issue with its agenda entries and evidence.

    Args:
        issue_id (str): The issue's id (a lower-case slug).
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | IssueRead | Problem
    """

    return sync_detailed(
        issue_id=issue_id,
        client=client,
        newsfacts_generation=newsfacts_generation,
    ).parsed


async def asyncio_detailed(
    issue_id: str,
    *,
    client: AuthenticatedClient | Client,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[Any | IssueRead | Problem]:
    """Get an agenda issue

     One issue with its agenda entries and evidence.

    Args:
        issue_id (str): The issue's id (a lower-case slug).
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | IssueRead | Problem]
    """

    kwargs = _get_kwargs(
        issue_id=issue_id,
        newsfacts_generation=newsfacts_generation,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    issue_id: str,
    *,
    client: AuthenticatedClient | Client,
    newsfacts_generation: int | Unset = UNSET,
) -> Any | IssueRead | Problem | None:
    """Get an agenda issue

     One issue with its agenda entries and evidence.

    Args:
        issue_id (str): The issue's id (a lower-case slug).
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | IssueRead | Problem
    """

    return (
        await asyncio_detailed(
            issue_id=issue_id,
            client=client,
            newsfacts_generation=newsfacts_generation,
        )
    ).parsed
