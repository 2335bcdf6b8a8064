from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.participant_read import ParticipantRead
from ...models.participant_update import ParticipantUpdate
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    participant_id: str,
    *,
    body: ParticipantUpdate,
    if_match: None | str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["if-match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/participants/{participant_id}".format(
            participant_id=quote(str(participant_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ParticipantRead | Problem | None:
    if response.status_code == 200:
        response_200 = ParticipantRead.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 428:
        response_428 = Problem.from_dict(response.json())

        return response_428

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
) -> Response[ParticipantRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    participant_id: str,
    *,
    client: AuthenticatedClient,
    body: ParticipantUpdate,
    if_match: None | str,
) -> Response[ParticipantRead | Problem]:
    """Update a participant

     Change some fields of a participant (write scope). Needs If-Match with the ETag of your last read:
    428 without it, 412 if someone changed it since. Lists in the body replace the stored list; `null`
    clears an optional field.

    Args:
        participant_id (str): The participant's id.
        if_match (None | str): The ETag of the resource as you last read it; required.
        body (ParticipantUpdate): Fields to change; `aliases`, `external_ids` and `evidence`
            replace the whole list.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ParticipantRead | Problem]
    """

    kwargs = _get_kwargs(
        participant_id=participant_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    participant_id: str,
    *,
    client: AuthenticatedClient,
    body: ParticipantUpdate,
    if_match: None | str,
) -> ParticipantRead | Problem | None:
    """Update a participant

     Change some fields of a participant (write scope). Needs If-Match with the ETag of your last read:
    428 without it, 412 if someone changed it since. Lists in the body replace the stored list; `null`
    clears an optional field.

    Args:
        participant_id (str): The participant's id.
        if_match (None | str): The ETag of the resource as you last read it; required.
        body (ParticipantUpdate): Fields to change; `aliases`, `external_ids` and `evidence`
            replace the whole list.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ParticipantRead | Problem
    """

    return sync_detailed(
        participant_id=participant_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    participant_id: str,
    *,
    client: AuthenticatedClient,
    body: ParticipantUpdate,
    if_match: None | str,
) -> Response[ParticipantRead | Problem]:
    """Update a participant

     Change some fields of a participant (write scope). Needs If-Match with the ETag of your last read:
    428 without it, 412 if someone changed it since. Lists in the body replace the stored list; `null`
    clears an optional field.

    Args:
        participant_id (str): The participant's id.
        if_match (None | str): The ETag of the resource as you last read it; required.
        body (ParticipantUpdate): Fields to change; `aliases`, `external_ids` and `evidence`
            replace the whole list.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ParticipantRead | Problem]
    """

    kwargs = _get_kwargs(
        participant_id=participant_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    participant_id: str,
    *,
    client: AuthenticatedClient,
    body: ParticipantUpdate,
    if_match: None | str,
) -> ParticipantRead | Problem | None:
    """Update a participant

     Change some fields of a participant (write scope). Needs If-Match with the ETag of your last read:
    428 without it, 412 if someone changed it since. Lists in the body replace the stored list; `null`
    clears an optional field.

    Args:
        participant_id (str): The participant's id.
        if_match (None | str): The ETag of the resource as you last read it; required.
        body (ParticipantUpdate): Fields to change; `aliases`, `external_ids` and `evidence`
            replace the whole list.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ParticipantRead | Problem
    """

    return (
        await asyncio_detailed(
            participant_id=participant_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
