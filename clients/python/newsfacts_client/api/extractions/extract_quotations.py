from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.extraction_request import ExtractionRequest
from ...models.extraction_result import ExtractionResult
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: ExtractionRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/extractions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ExtractionResult | Problem | None:
    if response.status_code == 200:
        response_200 = ExtractionResult.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[ExtractionResult | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ExtractionRequest,
) -> Response[ExtractionResult | Problem]:
    """Draft the quotations of an article

     Proposes every quotation of an article (direct, partial and reported speech) with exact code-point
    spans (`text == article[start:end]`), its speaker (resolved through the text and the stored
    participants' names, aliases and titles), its cue, and when it was said, for a curator to review and
    load as a bundle (`newsfacts extract` writes one). Send a text or a stored article's id. English
    only. Nothing is written: the answer is a draft. A text over 200,000 characters, a language other
    than `en`, or control characters other than line breaks and tabs are refused with 422.

    Args:
        body (ExtractionRequest): An article's text to draft quotations from, or the id of a
            stored article.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExtractionResult | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ExtractionRequest,
) -> ExtractionResult | Problem | None:
    """Draft the quotations of an article

     Proposes every quotation of an article (direct, partial and reported speech) with exact code-point
    spans (`text == article[start:end]`), its speaker (resolved through the text and the stored
    participants' names, aliases and titles), its cue, and when it was said, for a curator to review and
    load as a bundle (`newsfacts extract` writes one). Send a text or a stored article's id. English
    only. Nothing is written: the answer is a draft. A text over 200,000 characters, a language other
    than `en`, or control characters other than line breaks and tabs are refused with 422.

    Args:
        body (ExtractionRequest): An article's text to draft quotations from, or the id of a
            stored article.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExtractionResult | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ExtractionRequest,
) -> Response[ExtractionResult | Problem]:
    """Draft the quotations of an article

     Proposes every quotation of an article (direct, partial and reported speech) with exact code-point
    spans (`text == article[start:end]`), its speaker (resolved through the text and the stored
    participants' names, aliases and titles), its cue, and when it was said, for a curator to review and
    load as a bundle (`newsfacts extract` writes one). Send a text or a stored article's id. English
    only. Nothing is written: the answer is a draft. A text over 200,000 characters, a language other
    than `en`, or control characters other than line breaks and tabs are refused with 422.

    Args:
        body (ExtractionRequest): An article's text to draft quotations from, or the id of a
            stored article.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExtractionResult | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ExtractionRequest,
) -> ExtractionResult | Problem | None:
    """Draft the quotations of an article

     Proposes every quotation of an article (direct, partial and reported speech) with exact code-point
    spans (`text == article[start:end]`), its speaker (resolved through the text and the stored
    participants' names, aliases and titles), its cue, and when it was said, for a curator to review and
    load as a bundle (`newsfacts extract` writes one). Send a text or a stored article's id. English
    only. Nothing is written: the answer is a draft. A text over 200,000 characters, a language other
    than `en`, or control characters other than line breaks and tabs are refused with 422.

    Args:
        body (ExtractionRequest): An article's text to draft quotations from, or the id of a
            stored article.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExtractionResult | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
