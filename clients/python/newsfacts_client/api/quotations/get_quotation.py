from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.quotation_read import QuotationRead
from ...types import UNSET, Response, Unset


def _get_kwargs(
    quotation_id: str,
    *,
    newsfacts_generation: int | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(newsfacts_generation, Unset):
        headers["Newsfacts-Generation"] = str(newsfacts_generation)

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/quotations/{quotation_id}".format(
            quotation_id=quote(str(quotation_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Problem | QuotationRead | None:
    if response.status_code == 200:
        response_200 = QuotationRead.from_dict(response.json())

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
) -> Response[Any | Problem | QuotationRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    quotation_id: str,
    *,
    client: AuthenticatedClient | Client,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[Any | Problem | QuotationRead]:
    """Get a quotation

     One quotation with its evidence: one span is exactly its text.

    Args:
        quotation_id (str): The quotation's id (a lower-case slug).
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | QuotationRead]
    """

    kwargs = _get_kwargs(
        quotation_id=quotation_id,
        newsfacts_generation=newsfacts_generation,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    quotation_id: str,
    *,
    client: AuthenticatedClient | Client,
    newsfacts_generation: int | Unset = UNSET,
) -> Any | Problem | QuotationRead | None:
    """Get a quotation

     One quotation with its evidence: one span is exactly its text.

    Args:
        quotation_id (str): The quotation's id (a lower-case slug).
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | QuotationRead
    """

    return sync_detailed(
        quotation_id=quotation_id,
        client=client,
        newsfacts_generation=newsfacts_generation,
    ).parsed


async def asyncio_detailed(
    quotation_id: str,
    *,
    client: AuthenticatedClient | Client,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[Any | Problem | QuotationRead]:
    """Get a quotation

     One quotation with its evidence: one span is exactly its text.

    Args:
        quotation_id (str): The quotation's id (a lower-case slug).
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | QuotationRead]
    """

    kwargs = _get_kwargs(
        quotation_id=quotation_id,
        newsfacts_generation=newsfacts_generation,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    quotation_id: str,
    *,
    client: AuthenticatedClient | Client,
    newsfacts_generation: int | Unset = UNSET,
) -> Any | Problem | QuotationRead | None:
    """Get a quotation

     One quotation with its evidence: one span is exactly its text.

    Args:
        quotation_id (str): The quotation's id (a lower-case slug).
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | QuotationRead
    """

    return (
        await asyncio_detailed(
            quotation_id=quotation_id,
            client=client,
            newsfacts_generation=newsfacts_generation,
        )
    ).parsed
