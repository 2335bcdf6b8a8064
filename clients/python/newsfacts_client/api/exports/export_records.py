from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.export_format import ExportFormat
from ...models.export_kind import ExportKind
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    kind: ExportKind,
    format_: ExportFormat | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(newsfacts_generation, Unset):
        headers["Newsfacts-Generation"] = str(newsfacts_generation)

    params: dict[str, Any] = {}

    json_kind = kind.value
    params["kind"] = json_kind

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/export",
        "params": params,
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
    kind: ExportKind,
    format_: ExportFormat | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[Problem | str]:
    """Export every record of a kind

     Streams every quotation, event, participant, issue or article, in id order, read in batches so that
    any size is served in constant memory. Each batch is read in its own short transaction (no
    connection is held while a batch is sent), so a record written during a long export appears if its
    id comes after the batches already sent. NDJSON lines are the records' canonical states (as in the
    change feed); CSV has these columns: quotations: id, article_id, speaker_id, text, kind, said_on,
    event_id, audience_id, issue_ids, evidence; events: id, title, kind, status, date, location,
    description, participants, evidence; participants: id, name, kind, title, description,
    affiliation_id, aliases, external_ids, evidence; issues: id, title, summary, category, agenda,
    evidence; articles: id, title, language, publisher, url, published_on, content_sha256, text. In CSV
    a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's
    advice against formula injection: spreadsheets show it as text); NDJSON is never altered. In CSV a
    null is an empty cell and a list is one cell with its items joined by `|` (`\\|` and `\\\\` escape
    them inside an item): evidence as `article_id:start:end`, participants `participant_id:role`, agenda
    `event_id:status`, aliases `language:alias`, external ids `scheme:value`. No ETag (the body is
    streamed); `Content-Disposition` names a file.

    Args:
        kind (ExportKind): The kinds of record that can be exported.
        format_ (ExportFormat | Unset): Export formats.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        kind=kind,
        format_=format_,
        newsfacts_generation=newsfacts_generation,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    kind: ExportKind,
    format_: ExportFormat | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Problem | str | None:
    """Export every record of a kind

     Streams every quotation, event, participant, issue or article, in id order, read in batches so that
    any size is served in constant memory. Each batch is read in its own short transaction (no
    connection is held while a batch is sent), so a record written during a long export appears if its
    id comes after the batches already sent. NDJSON lines are the records' canonical states (as in the
    change feed); CSV has these columns: quotations: id, article_id, speaker_id, text, kind, said_on,
    event_id, audience_id, issue_ids, evidence; events: id, title, kind, status, date, location,
    description, participants, evidence; participants: id, name, kind, title, description,
    affiliation_id, aliases, external_ids, evidence; issues: id, title, summary, category, agenda,
    evidence; articles: id, title, language, publisher, url, published_on, content_sha256, text. In CSV
    a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's
    advice against formula injection: spreadsheets show it as text); NDJSON is never altered. In CSV a
    null is an empty cell and a list is one cell with its items joined by `|` (`\\|` and `\\\\` escape
    them inside an item): evidence as `article_id:start:end`, participants `participant_id:role`, agenda
    `event_id:status`, aliases `language:alias`, external ids `scheme:value`. No ETag (the body is
    streamed); `Content-Disposition` names a file.

    Args:
        kind (ExportKind): The kinds of record that can be exported.
        format_ (ExportFormat | Unset): Export formats.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return sync_detailed(
        client=client,
        kind=kind,
        format_=format_,
        newsfacts_generation=newsfacts_generation,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    kind: ExportKind,
    format_: ExportFormat | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[Problem | str]:
    """Export every record of a kind

     Streams every quotation, event, participant, issue or article, in id order, read in batches so that
    any size is served in constant memory. Each batch is read in its own short transaction (no
    connection is held while a batch is sent), so a record written during a long export appears if its
    id comes after the batches already sent. NDJSON lines are the records' canonical states (as in the
    change feed); CSV has these columns: quotations: id, article_id, speaker_id, text, kind, said_on,
    event_id, audience_id, issue_ids, evidence; events: id, title, kind, status, date, location,
    description, participants, evidence; participants: id, name, kind, title, description,
    affiliation_id, aliases, external_ids, evidence; issues: id, title, summary, category, agenda,
    evidence; articles: id, title, language, publisher, url, published_on, content_sha256, text. In CSV
    a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's
    advice against formula injection: spreadsheets show it as text); NDJSON is never altered. In CSV a
    null is an empty cell and a list is one cell with its items joined by `|` (`\\|` and `\\\\` escape
    them inside an item): evidence as `article_id:start:end`, participants `participant_id:role`, agenda
    `event_id:status`, aliases `language:alias`, external ids `scheme:value`. No ETag (the body is
    streamed); `Content-Disposition` names a file.

    Args:
        kind (ExportKind): The kinds of record that can be exported.
        format_ (ExportFormat | Unset): Export formats.
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        kind=kind,
        format_=format_,
        newsfacts_generation=newsfacts_generation,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    kind: ExportKind,
    format_: ExportFormat | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Problem | str | None:
    """Export every record of a kind

     Streams every quotation, event, participant, issue or article, in id order, read in batches so that
    any size is served in constant memory. Each batch is read in its own short transaction (no
    connection is held while a batch is sent), so a record written during a long export appears if its
    id comes after the batches already sent. NDJSON lines are the records' canonical states (as in the
    change feed); CSV has these columns: quotations: id, article_id, speaker_id, text, kind, said_on,
    event_id, audience_id, issue_ids, evidence; events: id, title, kind, status, date, location,
    description, participants, evidence; participants: id, name, kind, title, description,
    affiliation_id, aliases, external_ids, evidence; issues: id, title, summary, category, agenda,
    evidence; articles: id, title, language, publisher, url, published_on, content_sha256, text. In CSV
    a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's
    advice against formula injection: spreadsheets show it as text); NDJSON is never altered. In CSV a
    null is an empty cell and a list is one cell with its items joined by `|` (`\\|` and `\\\\` escape
    them inside an item): evidence as `article_id:start:end`, participants `participant_id:role`, agenda
    `event_id:status`, aliases `language:alias`, external ids `scheme:value`. No ETag (the body is
    streamed); `Content-Disposition` names a file.

    Args:
        kind (ExportKind): The kinds of record that can be exported.
        format_ (ExportFormat | Unset): Export formats.
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
            kind=kind,
            format_=format_,
            newsfacts_generation=newsfacts_generation,
        )
    ).parsed
