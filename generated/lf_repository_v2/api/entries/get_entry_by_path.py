from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_entry_by_path_response import GetEntryByPathResponse
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    repository_id: str,
    *,
    full_path: str,
    fallback_to_closest_ancestor: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["fullPath"] = full_path

    params["fallbackToClosestAncestor"] = fallback_to_closest_ancestor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/Repositories/{repository_id}/Entries/ByPath".format(
            repository_id=quote(str(repository_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GetEntryByPathResponse | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = GetEntryByPathResponse.from_dict(response.json())

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
) -> Response[GetEntryByPathResponse | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    repository_id: str,
    *,
    client: AuthenticatedClient | Client,
    full_path: str,
    fallback_to_closest_ancestor: bool | Unset = False,
) -> Response[GetEntryByPathResponse | ProblemDetails]:
    """Get an entry by its full path.

     Paths use backslashes and start at the root, `\\`. 404 when nothing is at the path, unless
    `fallbackToClosestAncestor` is true: then `entry` is absent or null and `ancestorEntry` is the
    closest
    existing ancestor.

    Args:
        repository_id (str):
        full_path (str):
        fallback_to_closest_ancestor (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetEntryByPathResponse | ProblemDetails]
    """

    kwargs = _get_kwargs(
        repository_id=repository_id,
        full_path=full_path,
        fallback_to_closest_ancestor=fallback_to_closest_ancestor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    repository_id: str,
    *,
    client: AuthenticatedClient | Client,
    full_path: str,
    fallback_to_closest_ancestor: bool | Unset = False,
) -> GetEntryByPathResponse | ProblemDetails | None:
    """Get an entry by its full path.

     Paths use backslashes and start at the root, `\\`. 404 when nothing is at the path, unless
    `fallbackToClosestAncestor` is true: then `entry` is absent or null and `ancestorEntry` is the
    closest
    existing ancestor.

    Args:
        repository_id (str):
        full_path (str):
        fallback_to_closest_ancestor (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetEntryByPathResponse | ProblemDetails
    """

    return sync_detailed(
        repository_id=repository_id,
        client=client,
        full_path=full_path,
        fallback_to_closest_ancestor=fallback_to_closest_ancestor,
    ).parsed


async def asyncio_detailed(
    repository_id: str,
    *,
    client: AuthenticatedClient | Client,
    full_path: str,
    fallback_to_closest_ancestor: bool | Unset = False,
) -> Response[GetEntryByPathResponse | ProblemDetails]:
    """Get an entry by its full path.

     Paths use backslashes and start at the root, `\\`. 404 when nothing is at the path, unless
    `fallbackToClosestAncestor` is true: then `entry` is absent or null and `ancestorEntry` is the
    closest
    existing ancestor.

    Args:
        repository_id (str):
        full_path (str):
        fallback_to_closest_ancestor (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetEntryByPathResponse | ProblemDetails]
    """

    kwargs = _get_kwargs(
        repository_id=repository_id,
        full_path=full_path,
        fallback_to_closest_ancestor=fallback_to_closest_ancestor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    repository_id: str,
    *,
    client: AuthenticatedClient | Client,
    full_path: str,
    fallback_to_closest_ancestor: bool | Unset = False,
) -> GetEntryByPathResponse | ProblemDetails | None:
    """Get an entry by its full path.

     Paths use backslashes and start at the root, `\\`. 404 when nothing is at the path, unless
    `fallbackToClosestAncestor` is true: then `entry` is absent or null and `ancestorEntry` is the
    closest
    existing ancestor.

    Args:
        repository_id (str):
        full_path (str):
        fallback_to_closest_ancestor (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetEntryByPathResponse | ProblemDetails
    """

    return (
        await asyncio_detailed(
            repository_id=repository_id,
            client=client,
            full_path=full_path,
            fallback_to_closest_ancestor=fallback_to_closest_ancestor,
        )
    ).parsed
