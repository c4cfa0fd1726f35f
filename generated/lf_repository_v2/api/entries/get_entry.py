from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.document import Document
from ...models.folder import Folder
from ...models.problem_details import ProblemDetails
from ...models.record_series import RecordSeries
from ...models.shortcut import Shortcut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    repository_id: str,
    entry_id: int,
    *,
    select: str | Unset = UNSET,
    include_child_info: bool | Unset = False,
    include_total_size: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["$select"] = select

    params["includeChildInfo"] = include_child_info

    params["includeTotalSize"] = include_total_size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/Repositories/{repository_id}/Entries/{entry_id}".format(
            repository_id=quote(str(repository_id), safe=""),
            entry_id=quote(str(entry_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Document | Folder | RecordSeries | Shortcut | ProblemDetails | None:
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> Document | Folder | RecordSeries | Shortcut:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_entry_type_0 = Folder.from_dict(data)

                return componentsschemas_entry_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_entry_type_1 = RecordSeries.from_dict(data)

                return componentsschemas_entry_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_entry_type_2 = Document.from_dict(data)

                return componentsschemas_entry_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_entry_type_3 = Shortcut.from_dict(data)

            return componentsschemas_entry_type_3

        response_200 = _parse_response_200(response.json())

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
) -> Response[Document | Folder | RecordSeries | Shortcut | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    repository_id: str,
    entry_id: int,
    *,
    client: AuthenticatedClient | Client,
    select: str | Unset = UNSET,
    include_child_info: bool | Unset = False,
    include_total_size: bool | Unset = False,
) -> Response[Document | Folder | RecordSeries | Shortcut | ProblemDetails]:
    """Get an entry (type, name, and for documents the page count and electronic file size).

     Answers the entry as its `entryType`'s member of `Entry` (`Folder`, `RecordSeries`, `Document` or
    `Shortcut`). A completed copy task's `result.uri` is this operation's URL for the new entry.

    Args:
        repository_id (str):
        entry_id (int):
        select (str | Unset):
        include_child_info (bool | Unset):  Default: False.
        include_total_size (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Document | Folder | RecordSeries | Shortcut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        repository_id=repository_id,
        entry_id=entry_id,
        select=select,
        include_child_info=include_child_info,
        include_total_size=include_total_size,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    repository_id: str,
    entry_id: int,
    *,
    client: AuthenticatedClient | Client,
    select: str | Unset = UNSET,
    include_child_info: bool | Unset = False,
    include_total_size: bool | Unset = False,
) -> Document | Folder | RecordSeries | Shortcut | ProblemDetails | None:
    """Get an entry (type, name, and for documents the page count and electronic file size).

     Answers the entry as its `entryType`'s member of `Entry` (`Folder`, `RecordSeries`, `Document` or
    `Shortcut`). A completed copy task's `result.uri` is this operation's URL for the new entry.

    Args:
        repository_id (str):
        entry_id (int):
        select (str | Unset):
        include_child_info (bool | Unset):  Default: False.
        include_total_size (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Document | Folder | RecordSeries | Shortcut | ProblemDetails
    """

    return sync_detailed(
        repository_id=repository_id,
        entry_id=entry_id,
        client=client,
        select=select,
        include_child_info=include_child_info,
        include_total_size=include_total_size,
    ).parsed


async def asyncio_detailed(
    repository_id: str,
    entry_id: int,
    *,
    client: AuthenticatedClient | Client,
    select: str | Unset = UNSET,
    include_child_info: bool | Unset = False,
    include_total_size: bool | Unset = False,
) -> Response[Document | Folder | RecordSeries | Shortcut | ProblemDetails]:
    """Get an entry (type, name, and for documents the page count and electronic file size).

     Answers the entry as its `entryType`'s member of `Entry` (`Folder`, `RecordSeries`, `Document` or
    `Shortcut`). A completed copy task's `result.uri` is this operation's URL for the new entry.

    Args:
        repository_id (str):
        entry_id (int):
        select (str | Unset):
        include_child_info (bool | Unset):  Default: False.
        include_total_size (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Document | Folder | RecordSeries | Shortcut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        repository_id=repository_id,
        entry_id=entry_id,
        select=select,
        include_child_info=include_child_info,
        include_total_size=include_total_size,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    repository_id: str,
    entry_id: int,
    *,
    client: AuthenticatedClient | Client,
    select: str | Unset = UNSET,
    include_child_info: bool | Unset = False,
    include_total_size: bool | Unset = False,
) -> Document | Folder | RecordSeries | Shortcut | ProblemDetails | None:
    """Get an entry (type, name, and for documents the page count and electronic file size).

     Answers the entry as its `entryType`'s member of `Entry` (`Folder`, `RecordSeries`, `Document` or
    `Shortcut`). A completed copy task's `result.uri` is this operation's URL for the new entry.

    Args:
        repository_id (str):
        entry_id (int):
        select (str | Unset):
        include_child_info (bool | Unset):  Default: False.
        include_total_size (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Document | Folder | RecordSeries | Shortcut | ProblemDetails
    """

    return (
        await asyncio_detailed(
            repository_id=repository_id,
            entry_id=entry_id,
            client=client,
            select=select,
            include_child_info=include_child_info,
            include_total_size=include_total_size,
        )
    ).parsed
