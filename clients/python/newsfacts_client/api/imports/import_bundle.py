from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bundle_document import BundleDocument
from ...models.import_result import ImportResult
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: BundleDocument,
    dry_run: bool | Unset = False,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["dry_run"] = dry_run

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/imports",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ImportResult | Problem | None:
    if response.status_code == 200:
        response_200 = ImportResult.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

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
) -> Response[ImportResult | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BundleDocument,
    dry_run: bool | Unset = False,
) -> Response[ImportResult | Problem]:
    """Import an article bundle

     Takes one article with all its facts in the bundle format (JSON, or YAML with `Content-Type:
    application/yaml`), validates everything — spans against the text, ids, references — and then
    applies it in one transaction: afterwards the database holds exactly what the bundle says about its
    article. `dry_run=true` returns the changes it would make and writes nothing. The CLI's `newsfacts
    load` runs the same code.

    Args:
        dry_run (bool | Unset): Validate and report the changes without writing them. Default:
            False.
        body (BundleDocument): One article and all of its facts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportResult | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        dry_run=dry_run,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: BundleDocument,
    dry_run: bool | Unset = False,
) -> ImportResult | Problem | None:
    """Import an article bundle

     Takes one article with all its facts in the bundle format (JSON, or YAML with `Content-Type:
    application/yaml`), validates everything — spans against the text, ids, references — and then
    applies it in one transaction: afterwards the database holds exactly what the bundle says about its
    article. `dry_run=true` returns the changes it would make and writes nothing. The CLI's `newsfacts
    load` runs the same code.

    Args:
        dry_run (bool | Unset): Validate and report the changes without writing them. Default:
            False.
        body (BundleDocument): One article and all of its facts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportResult | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        dry_run=dry_run,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BundleDocument,
    dry_run: bool | Unset = False,
) -> Response[ImportResult | Problem]:
    """Import an article bundle

     Takes one article with all its facts in the bundle format (JSON, or YAML with `Content-Type:
    application/yaml`), validates everything — spans against the text, ids, references — and then
    applies it in one transaction: afterwards the database holds exactly what the bundle says about its
    article. `dry_run=true` returns the changes it would make and writes nothing. The CLI's `newsfacts
    load` runs the same code.

    Args:
        dry_run (bool | Unset): Validate and report the changes without writing them. Default:
            False.
        body (BundleDocument): One article and all of its facts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportResult | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        dry_run=dry_run,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: BundleDocument,
    dry_run: bool | Unset = False,
) -> ImportResult | Problem | None:
    """Import an article bundle

     Takes one article with all its facts in the bundle format (JSON, or YAML with `Content-Type:
    application/yaml`), validates everything — spans against the text, ids, references — and then
    applies it in one transaction: afterwards the database holds exactly what the bundle says about its
    article. `dry_run=true` returns the changes it would make and writes nothing. The CLI's `newsfacts
    load` runs the same code.

    Args:
        dry_run (bool | Unset): Validate and report the changes without writing them. Default:
            False.
        body (BundleDocument): One article and all of its facts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportResult | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            dry_run=dry_run,
        )
    ).parsed
