from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.task_collection_response import TaskCollectionResponse
from ...types import UNSET, Response


def _get_kwargs(
    repository_id: str,
    *,
    task_ids: list[UUID],
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_task_ids = []
    for task_ids_item_data in task_ids:
        task_ids_item = str(task_ids_item_data)
        json_task_ids.append(task_ids_item)

    params["taskIds"] = json_task_ids

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/Repositories/{repository_id}/Tasks".format(
            repository_id=quote(str(repository_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | TaskCollectionResponse | None:
    if response.status_code == 200:
        response_200 = TaskCollectionResponse.from_dict(response.json())

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
) -> Response[ProblemDetails | TaskCollectionResponse]:
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
    task_ids: list[UUID],
) -> Response[ProblemDetails | TaskCollectionResponse]:
    """Get the progress of one or more long operations (long-polls).

     Answers the progress of the requested tasks. **Long-poll:** if none of them has ended, the server
    may
    hold the request until one changes state or up to 60 seconds, so the read timeout must exceed 60 s.
    Several ids go in one request as repeated `taskIds` keys. An id the server does not know (expired 15
    minutes after completion, never existed, or started under another access token) is absent from
    `value`; duplicates are answered once. Needs no OAuth scope.

    Args:
        repository_id (str):
        task_ids (list[UUID]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | TaskCollectionResponse]
    """

    kwargs = _get_kwargs(
        repository_id=repository_id,
        task_ids=task_ids,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    repository_id: str,
    *,
    client: AuthenticatedClient | Client,
    task_ids: list[UUID],
) -> ProblemDetails | TaskCollectionResponse | None:
    """Get the progress of one or more long operations (long-polls).

     Answers the progress of the requested tasks. **Long-poll:** if none of them has ended, the server
    may
    hold the request until one changes state or up to 60 seconds, so the read timeout must exceed 60 s.
    Several ids go in one request as repeated `taskIds` keys. An id the server does not know (expired 15
    minutes after completion, never existed, or started under another access token) is absent from
    `value`; duplicates are answered once. Needs no OAuth scope.

    Args:
        repository_id (str):
        task_ids (list[UUID]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | TaskCollectionResponse
    """

    return sync_detailed(
        repository_id=repository_id,
        client=client,
        task_ids=task_ids,
    ).parsed


async def asyncio_detailed(
    repository_id: str,
    *,
    client: AuthenticatedClient | Client,
    task_ids: list[UUID],
) -> Response[ProblemDetails | TaskCollectionResponse]:
    """Get the progress of one or more long operations (long-polls).

     Answers the progress of the requested tasks. **Long-poll:** if none of them has ended, the server
    may
    hold the request until one changes state or up to 60 seconds, so the read timeout must exceed 60 s.
    Several ids go in one request as repeated `taskIds` keys. An id the server does not know (expired 15
    minutes after completion, never existed, or started under another access token) is absent from
    `value`; duplicates are answered once. Needs no OAuth scope.

    Args:
        repository_id (str):
        task_ids (list[UUID]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | TaskCollectionResponse]
    """

    kwargs = _get_kwargs(
        repository_id=repository_id,
        task_ids=task_ids,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    repository_id: str,
    *,
    client: AuthenticatedClient | Client,
    task_ids: list[UUID],
) -> ProblemDetails | TaskCollectionResponse | None:
    """Get the progress of one or more long operations (long-polls).

     Answers the progress of the requested tasks. **Long-poll:** if none of them has ended, the server
    may
    hold the request until one changes state or up to 60 seconds, so the read timeout must exceed 60 s.
    Several ids go in one request as repeated `taskIds` keys. An id the server does not know (expired 15
    minutes after completion, never existed, or started under another access token) is absent from
    `value`; duplicates are answered once. Needs no OAuth scope.

    Args:
        repository_id (str):
        task_ids (list[UUID]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | TaskCollectionResponse
    """

    return (
        await asyncio_detailed(
            repository_id=repository_id,
            client=client,
            task_ids=task_ids,
        )
    ).parsed
