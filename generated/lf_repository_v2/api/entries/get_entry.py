from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.entry import Entry
from ...models.problem_details import ProblemDetails
from ...types import Response


def _get_kwargs(
    repository_id: str,
    entry_id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/Repositories/{repository_id}/Entries/{entry_id}".format(
            repository_id=quote(str(repository_id), safe=""),
            entry_id=quote(str(entry_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Entry | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = Entry.from_dict(response.json())

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
) -> Response[Entry | ProblemDetails]:
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
) -> Response[Entry | ProblemDetails]:
    """Get an entry (type, name, and for documents the page count and electronic file size).

    Args:
        repository_id (str):
        entry_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Entry | ProblemDetails]
    """

    kwargs = _get_kwargs(
        repository_id=repository_id,
        entry_id=entry_id,
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
) -> Entry | ProblemDetails | None:
    """Get an entry (type, name, and for documents the page count and electronic file size).

    Args:
        repository_id (str):
        entry_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Entry | ProblemDetails
    """

    return sync_detailed(
        repository_id=repository_id,
        entry_id=entry_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    repository_id: str,
    entry_id: int,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Entry | ProblemDetails]:
    """Get an entry (type, name, and for documents the page count and electronic file size).

    Args:
        repository_id (str):
        entry_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Entry | ProblemDetails]
    """

    kwargs = _get_kwargs(
        repository_id=repository_id,
        entry_id=entry_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    repository_id: str,
    entry_id: int,
    *,
    client: AuthenticatedClient | Client,
) -> Entry | ProblemDetails | None:
    """Get an entry (type, name, and for documents the page count and electronic file size).

    Args:
        repository_id (str):
        entry_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Entry | ProblemDetails
    """

    return (
        await asyncio_detailed(
            repository_id=repository_id,
            entry_id=entry_id,
            client=client,
        )
    ).parsed
