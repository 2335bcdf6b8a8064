from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_quotation_read import PageQuotationRead
from ...models.problem import Problem
from ...models.quotation_kind import QuotationKind
from ...models.quotation_sort import QuotationSort
from ...types import UNSET, Response, Unset


def _get_kwargs(
    issue_id: str,
    *,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    speaker: None | str | Unset = UNSET,
    issue: None | str | Unset = UNSET,
    event: None | str | Unset = UNSET,
    article: None | str | Unset = UNSET,
    audience: None | str | Unset = UNSET,
    kind: None | QuotationKind | Unset = UNSET,
    said_from: None | str | Unset = UNSET,
    said_to: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    sort: None | QuotationSort | Unset = UNSET,
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

    json_speaker: None | str | Unset
    if isinstance(speaker, Unset):
        json_speaker = UNSET
    else:
        json_speaker = speaker
    params["speaker"] = json_speaker

    json_issue: None | str | Unset
    if isinstance(issue, Unset):
        json_issue = UNSET
    else:
        json_issue = issue
    params["issue"] = json_issue

    json_event: None | str | Unset
    if isinstance(event, Unset):
        json_event = UNSET
    else:
        json_event = event
    params["event"] = json_event

    json_article: None | str | Unset
    if isinstance(article, Unset):
        json_article = UNSET
    else:
        json_article = article
    params["article"] = json_article

    json_audience: None | str | Unset
    if isinstance(audience, Unset):
        json_audience = UNSET
    else:
        json_audience = audience
    params["audience"] = json_audience

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, QuotationKind):
        json_kind = kind.value
    else:
        json_kind = kind
    params["kind"] = json_kind

    json_said_from: None | str | Unset
    if isinstance(said_from, Unset):
        json_said_from = UNSET
    else:
        json_said_from = said_from
    params["said_from"] = json_said_from

    json_said_to: None | str | Unset
    if isinstance(said_to, Unset):
        json_said_to = UNSET
    else:
        json_said_to = said_to
    params["said_to"] = json_said_to

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_sort: None | str | Unset
    if isinstance(sort, Unset):
        json_sort = UNSET
    elif isinstance(sort, QuotationSort):
        json_sort = sort.value
    else:
        json_sort = sort
    params["sort"] = json_sort

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/issues/{issue_id}/quotations".format(
            issue_id=quote(str(issue_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | PageQuotationRead | Problem | None:
    if response.status_code == 200:
        response_200 = PageQuotationRead.from_dict(response.json())

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
) -> Response[Any | PageQuotationRead | Problem]:
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
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    speaker: None | str | Unset = UNSET,
    issue: None | str | Unset = UNSET,
    event: None | str | Unset = UNSET,
    article: None | str | Unset = UNSET,
    audience: None | str | Unset = UNSET,
    kind: None | QuotationKind | Unset = UNSET,
    said_from: None | str | Unset = UNSET,
    said_to: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    sort: None | QuotationSort | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[Any | PageQuotationRead | Problem]:
    """List quotations on an issue

     What was said on this issue: the quotation list with `issue` fixed; every other filter, sort and
    paging parameter of `listQuotations` applies.

    Args:
        issue_id (str): The issue's id (a lower-case slug).
        limit (int | Unset): Items per page, 1 to 100. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`; omit
            for page one.
        speaker (None | str | Unset): Only quotations of this speaker.
        issue (None | str | Unset): Only quotations on this issue.
        event (None | str | Unset): Only quotations said at this event.
        article (None | str | Unset): Only quotations in this article.
        audience (None | str | Unset): Only quotations said to them.
        kind (None | QuotationKind | Unset): Only this kind.
        said_from (None | str | Unset): Only quotations said on or after this date (`2018`,
            `2018-03` or `2018-03-19`); a quotation's whole dated period must lie in the range.
        said_to (None | str | Unset): Only quotations said on or before the end of this date's
            period (`said_to=2018-03` includes all of March).
        q (None | str | Unset): Full-text search over the quotation text, in web-search syntax:
            plain words are all required, in any form of the word in quotations of English articles
            (`markets` finds `market`), as written in those of other languages (case and diacritics
            aside); `"main outpost"` is a phrase; `gas OR oil` either; `-Russia` excludes; anything
            else is text. Results come best match first unless another sort is asked for.
        sort (None | QuotationSort | Unset): `id` (default without q), `said_on`, `-said_on`
            (undated last), or `relevance` (default with q; without q all rank alike, so it is `id`).
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | PageQuotationRead | Problem]
    """

    kwargs = _get_kwargs(
        issue_id=issue_id,
        limit=limit,
        cursor=cursor,
        speaker=speaker,
        issue=issue,
        event=event,
        article=article,
        audience=audience,
        kind=kind,
        said_from=said_from,
        said_to=said_to,
        q=q,
        sort=sort,
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
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    speaker: None | str | Unset = UNSET,
    issue: None | str | Unset = UNSET,
    event: None | str | Unset = UNSET,
    article: None | str | Unset = UNSET,
    audience: None | str | Unset = UNSET,
    kind: None | QuotationKind | Unset = UNSET,
    said_from: None | str | Unset = UNSET,
    said_to: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    sort: None | QuotationSort | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Any | PageQuotationRead | Problem | None:
    """List quotations on an issue

     What was said on this issue: the quotation list with `issue` fixed; every other filter, sort and
    paging parameter of `listQuotations` applies.

    Args:
        issue_id (str): The issue's id (a lower-case slug).
        limit (int | Unset): Items per page, 1 to 100. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`; omit
            for page one.
        speaker (None | str | Unset): Only quotations of this speaker.
        issue (None | str | Unset): Only quotations on this issue.
        event (None | str | Unset): Only quotations said at this event.
        article (None | str | Unset): Only quotations in this article.
        audience (None | str | Unset): Only quotations said to them.
        kind (None | QuotationKind | Unset): Only this kind.
        said_from (None | str | Unset): Only quotations said on or after this date (`2018`,
            `2018-03` or `2018-03-19`); a quotation's whole dated period must lie in the range.
        said_to (None | str | Unset): Only quotations said on or before the end of this date's
            period (`said_to=2018-03` includes all of March).
        q (None | str | Unset): Full-text search over the quotation text, in web-search syntax:
            plain words are all required, in any form of the word in quotations of English articles
            (`markets` finds `market`), as written in those of other languages (case and diacritics
            aside); `"main outpost"` is a phrase; `gas OR oil` either; `-Russia` excludes; anything
            else is text. Results come best match first unless another sort is asked for.
        sort (None | QuotationSort | Unset): `id` (default without q), `said_on`, `-said_on`
            (undated last), or `relevance` (default with q; without q all rank alike, so it is `id`).
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | PageQuotationRead | Problem
    """

    return sync_detailed(
        issue_id=issue_id,
        client=client,
        limit=limit,
        cursor=cursor,
        speaker=speaker,
        issue=issue,
        event=event,
        article=article,
        audience=audience,
        kind=kind,
        said_from=said_from,
        said_to=said_to,
        q=q,
        sort=sort,
        newsfacts_generation=newsfacts_generation,
    ).parsed


async def asyncio_detailed(
    issue_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    speaker: None | str | Unset = UNSET,
    issue: None | str | Unset = UNSET,
    event: None | str | Unset = UNSET,
    article: None | str | Unset = UNSET,
    audience: None | str | Unset = UNSET,
    kind: None | QuotationKind | Unset = UNSET,
    said_from: None | str | Unset = UNSET,
    said_to: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    sort: None | QuotationSort | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Response[Any | PageQuotationRead | Problem]:
    """List quotations on an issue

     What was said on this issue: the quotation list with `issue` fixed; every other filter, sort and
    paging parameter of `listQuotations` applies.

    Args:
        issue_id (str): The issue's id (a lower-case slug).
        limit (int | Unset): Items per page, 1 to 100. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`; omit
            for page one.
        speaker (None | str | Unset): Only quotations of this speaker.
        issue (None | str | Unset): Only quotations on this issue.
        event (None | str | Unset): Only quotations said at this event.
        article (None | str | Unset): Only quotations in this article.
        audience (None | str | Unset): Only quotations said to them.
        kind (None | QuotationKind | Unset): Only this kind.
        said_from (None | str | Unset): Only quotations said on or after this date (`2018`,
            `2018-03` or `2018-03-19`); a quotation's whole dated period must lie in the range.
        said_to (None | str | Unset): Only quotations said on or before the end of this date's
            period (`said_to=2018-03` includes all of March).
        q (None | str | Unset): Full-text search over the quotation text, in web-search syntax:
            plain words are all required, in any form of the word in quotations of English articles
            (`markets` finds `market`), as written in those of other languages (case and diacritics
            aside); `"main outpost"` is a phrase; `gas OR oil` either; `-Russia` excludes; anything
            else is text. Results come best match first unless another sort is asked for.
        sort (None | QuotationSort | Unset): `id` (default without q), `said_on`, `-said_on`
            (undated last), or `relevance` (default with q; without q all rank alike, so it is `id`).
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | PageQuotationRead | Problem]
    """

    kwargs = _get_kwargs(
        issue_id=issue_id,
        limit=limit,
        cursor=cursor,
        speaker=speaker,
        issue=issue,
        event=event,
        article=article,
        audience=audience,
        kind=kind,
        said_from=said_from,
        said_to=said_to,
        q=q,
        sort=sort,
        newsfacts_generation=newsfacts_generation,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    issue_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    speaker: None | str | Unset = UNSET,
    issue: None | str | Unset = UNSET,
    event: None | str | Unset = UNSET,
    article: None | str | Unset = UNSET,
    audience: None | str | Unset = UNSET,
    kind: None | QuotationKind | Unset = UNSET,
    said_from: None | str | Unset = UNSET,
    said_to: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    sort: None | QuotationSort | Unset = UNSET,
    newsfacts_generation: int | Unset = UNSET,
) -> Any | PageQuotationRead | Problem | None:
    """List quotations on an issue

     What was said on this issue: the quotation list with `issue` fixed; every other filter, sort and
    paging parameter of `listQuotations` applies.

    Args:
        issue_id (str): The issue's id (a lower-case slug).
        limit (int | Unset): Items per page, 1 to 100. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`; omit
            for page one.
        speaker (None | str | Unset): Only quotations of this speaker.
        issue (None | str | Unset): Only quotations on this issue.
        event (None | str | Unset): Only quotations said at this event.
        article (None | str | Unset): Only quotations in this article.
        audience (None | str | Unset): Only quotations said to them.
        kind (None | QuotationKind | Unset): Only this kind.
        said_from (None | str | Unset): Only quotations said on or after this date (`2018`,
            `2018-03` or `2018-03-19`); a quotation's whole dated period must lie in the range.
        said_to (None | str | Unset): Only quotations said on or before the end of this date's
            period (`said_to=2018-03` includes all of March).
        q (None | str | Unset): Full-text search over the quotation text, in web-search syntax:
            plain words are all required, in any form of the word in quotations of English articles
            (`markets` finds `market`), as written in those of other languages (case and diacritics
            aside); `"main outpost"` is a phrase; `gas OR oil` either; `-Russia` excludes; anything
            else is text. Results come best match first unless another sort is asked for.
        sort (None | QuotationSort | Unset): `id` (default without q), `said_on`, `-said_on`
            (undated last), or `relevance` (default with q; without q all rank alike, so it is `id`).
        newsfacts_generation (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | PageQuotationRead | Problem
    """

    return (
        await asyncio_detailed(
            issue_id=issue_id,
            client=client,
            limit=limit,
            cursor=cursor,
            speaker=speaker,
            issue=issue,
            event=event,
            article=article,
            audience=audience,
            kind=kind,
            said_from=said_from,
            said_to=said_to,
            q=q,
            sort=sort,
            newsfacts_generation=newsfacts_generation,
        )
    ).parsed
