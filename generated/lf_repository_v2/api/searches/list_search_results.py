from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.entry_collection_response import EntryCollectionResponse
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    repository_id: str,
    task_id: UUID,
    *,
    refresh: bool | Unset = False,
    group_by_entry_type: bool | Unset = False,
    fields: list[str] | Unset = UNSET,
    format_field_values: bool | Unset = False,
    culture: str | Unset = UNSET,
    select: str | Unset = UNSET,
    orderby: str | Unset = UNSET,
    top: int | Unset = UNSET,
    skip: int | Unset = UNSET,
    count: bool | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(prefer, Unset):
        headers["Prefer"] = prefer

    params: dict[str, Any] = {}

    params["refresh"] = refresh

    params["groupByEntryType"] = group_by_entry_type

    json_fields: list[str] | Unset = UNSET
    if not isinstance(fields, Unset):
        json_fields = fields

    params["fields"] = json_fields

    params["formatFieldValues"] = format_field_values

    params["culture"] = culture

    params["$select"] = select

    params["$orderby"] = orderby

    params["$top"] = top

    params["$skip"] = skip

    params["$count"] = count

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/Repositories/{repository_id}/Searches/{task_id}/Results".format(
            repository_id=quote(str(repository_id), safe=""),
            task_id=quote(str(task_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EntryCollectionResponse | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = EntryCollectionResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ProblemDetails.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ProblemDetails.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = ProblemDetails.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ProblemDetails.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EntryCollectionResponse | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    repository_id: str,
    task_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    refresh: bool | Unset = False,
    group_by_entry_type: bool | Unset = False,
    fields: list[str] | Unset = UNSET,
    format_field_values: bool | Unset = False,
    culture: str | Unset = UNSET,
    select: str | Unset = UNSET,
    orderby: str | Unset = UNSET,
    top: int | Unset = UNSET,
    skip: int | Unset = UNSET,
    count: bool | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> Response[EntryCollectionResponse | ProblemDetails]:
    """List a search's results (OData paging).

     One page of the search's results (default 150 per page); follow `@odata.nextLink` until it is
    absent.
    Entries come as in `ListEntries` (not converted to their subtype; Document-only members only when
    named
    in `$select`), and `fullPath` and `folderPath` are **null**. The results are cached about 5 minutes;
    reading them keeps them, `refresh=true` runs the search again. 404 when the task is unknown (never
    existed, expired, closed with `CancelTasks`, or started under another access token).

    Args:
        repository_id (str):
        task_id (UUID):
        refresh (bool | Unset):  Default: False.
        group_by_entry_type (bool | Unset):  Default: False.
        fields (list[str] | Unset):
        format_field_values (bool | Unset):  Default: False.
        culture (str | Unset):
        select (str | Unset):
        orderby (str | Unset):
        top (int | Unset):
        skip (int | Unset):
        count (bool | Unset):
        prefer (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntryCollectionResponse | ProblemDetails]
    """

    kwargs = _get_kwargs(
        repository_id=repository_id,
        task_id=task_id,
        refresh=refresh,
        group_by_entry_type=group_by_entry_type,
        fields=fields,
        format_field_values=format_field_values,
        culture=culture,
        select=select,
        orderby=orderby,
        top=top,
        skip=skip,
        count=count,
        prefer=prefer,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    repository_id: str,
    task_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    refresh: bool | Unset = False,
    group_by_entry_type: bool | Unset = False,
    fields: list[str] | Unset = UNSET,
    format_field_values: bool | Unset = False,
    culture: str | Unset = UNSET,
    select: str | Unset = UNSET,
    orderby: str | Unset = UNSET,
    top: int | Unset = UNSET,
    skip: int | Unset = UNSET,
    count: bool | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> EntryCollectionResponse | ProblemDetails | None:
    """List a search's results (OData paging).

     One page of the search's results (default 150 per page); follow `@odata.nextLink` until it is
    absent.
    Entries come as in `ListEntries` (not converted to their subtype; Document-only members only when
    named
    in `$select`), and `fullPath` and `folderPath` are **null**. The results are cached about 5 minutes;
    reading them keeps them, `refresh=true` runs the search again. 404 when the task is unknown (never
    existed, expired, closed with `CancelTasks`, or started under another access token).

    Args:
        repository_id (str):
        task_id (UUID):
        refresh (bool | Unset):  Default: False.
        group_by_entry_type (bool | Unset):  Default: False.
        fields (list[str] | Unset):
        format_field_values (bool | Unset):  Default: False.
        culture (str | Unset):
        select (str | Unset):
        orderby (str | Unset):
        top (int | Unset):
        skip (int | Unset):
        count (bool | Unset):
        prefer (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntryCollectionResponse | ProblemDetails
    """

    return sync_detailed(
        repository_id=repository_id,
        task_id=task_id,
        client=client,
        refresh=refresh,
        group_by_entry_type=group_by_entry_type,
        fields=fields,
        format_field_values=format_field_values,
        culture=culture,
        select=select,
        orderby=orderby,
        top=top,
        skip=skip,
        count=count,
        prefer=prefer,
    ).parsed


async def asyncio_detailed(
    repository_id: str,
    task_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    refresh: bool | Unset = False,
    group_by_entry_type: bool | Unset = False,
    fields: list[str] | Unset = UNSET,
    format_field_values: bool | Unset = False,
    culture: str | Unset = UNSET,
    select: str | Unset = UNSET,
    orderby: str | Unset = UNSET,
    top: int | Unset = UNSET,
    skip: int | Unset = UNSET,
    count: bool | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> Response[EntryCollectionResponse | ProblemDetails]:
    """List a search's results (OData paging).

     One page of the search's results (default 150 per page); follow `@odata.nextLink` until it is
    absent.
    Entries come as in `ListEntries` (not converted to their subtype; Document-only members only when
    named
    in `$select`), and `fullPath` and `folderPath` are **null**. The results are cached about 5 minutes;
    reading them keeps them, `refresh=true` runs the search again. 404 when the task is unknown (never
    existed, expired, closed with `CancelTasks`, or started under another access token).

    Args:
        repository_id (str):
        task_id (UUID):
        refresh (bool | Unset):  Default: False.
        group_by_entry_type (bool | Unset):  Default: False.
        fields (list[str] | Unset):
        format_field_values (bool | Unset):  Default: False.
        culture (str | Unset):
        select (str | Unset):
        orderby (str | Unset):
        top (int | Unset):
        skip (int | Unset):
        count (bool | Unset):
        prefer (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntryCollectionResponse | ProblemDetails]
    """

    kwargs = _get_kwargs(
        repository_id=repository_id,
        task_id=task_id,
        refresh=refresh,
        group_by_entry_type=group_by_entry_type,
        fields=fields,
        format_field_values=format_field_values,
        culture=culture,
        select=select,
        orderby=orderby,
        top=top,
        skip=skip,
        count=count,
        prefer=prefer,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    repository_id: str,
    task_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    refresh: bool | Unset = False,
    group_by_entry_type: bool | Unset = False,
    fields: list[str] | Unset = UNSET,
    format_field_values: bool | Unset = False,
    culture: str | Unset = UNSET,
    select: str | Unset = UNSET,
    orderby: str | Unset = UNSET,
    top: int | Unset = UNSET,
    skip: int | Unset = UNSET,
    count: bool | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> EntryCollectionResponse | ProblemDetails | None:
    """List a search's results (OData paging).

     One page of the search's results (default 150 per page); follow `@odata.nextLink` until it is
    absent.
    Entries come as in `ListEntries` (not converted to their subtype; Document-only members only when
    named
    in `$select`), and `fullPath` and `folderPath` are **null**. The results are cached about 5 minutes;
    reading them keeps them, `refresh=true` runs the search again. 404 when the task is unknown (never
    existed, expired, closed with `CancelTasks`, or started under another access token).

    Args:
        repository_id (str):
        task_id (UUID):
        refresh (bool | Unset):  Default: False.
        group_by_entry_type (bool | Unset):  Default: False.
        fields (list[str] | Unset):
        format_field_values (bool | Unset):  Default: False.
        culture (str | Unset):
        select (str | Unset):
        orderby (str | Unset):
        top (int | Unset):
        skip (int | Unset):
        count (bool | Unset):
        prefer (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntryCollectionResponse | ProblemDetails
    """

    return (
        await asyncio_detailed(
            repository_id=repository_id,
            task_id=task_id,
            client=client,
            refresh=refresh,
            group_by_entry_type=group_by_entry_type,
            fields=fields,
            format_field_values=format_field_values,
            culture=culture,
            select=select,
            orderby=orderby,
            top=top,
            skip=skip,
            count=count,
            prefer=prefer,
        )
    ).parsed
