from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_access_token_request import CreateAccessTokenRequest
from ...models.problem_details import ProblemDetails
from ...models.session_key_info import SessionKeyInfo
from ...types import Response


def _get_kwargs(
    repository_id: str,
    *,
    body: CreateAccessTokenRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/Repositories/{repository_id}/Token".format(
            repository_id=quote(str(repository_id), safe=""),
        ),
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | SessionKeyInfo | None:
    if response.status_code == 200:
        response_200 = SessionKeyInfo.from_dict(response.json())

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
) -> Response[ProblemDetails | SessionKeyInfo]:
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
    body: CreateAccessTokenRequest,
) -> Response[ProblemDetails | SessionKeyInfo]:
    """Self-hosted servers only — get an access token with a password grant.

     Issues a bearer token for a repository user (life about 15 minutes). A token expiring mid-poll makes
    calls answer 401: get a new one and retry. Tasks belong to the token that started them, so a client
    should keep one token for a batch where it can. Laserfiche Cloud uses an OAuth client-credentials
    grant at its sign-in host instead.

    Args:
        repository_id (str):
        body (CreateAccessTokenRequest):  Example: {'grant_type': 'password', 'username':
            'exporter', 'password': 'correct horse battery staple'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | SessionKeyInfo]
    """

    kwargs = _get_kwargs(
        repository_id=repository_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    repository_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateAccessTokenRequest,
) -> ProblemDetails | SessionKeyInfo | None:
    """Self-hosted servers only — get an access token with a password grant.

     Issues a bearer token for a repository user (life about 15 minutes). A token expiring mid-poll makes
    calls answer 401: get a new one and retry. Tasks belong to the token that started them, so a client
    should keep one token for a batch where it can. Laserfiche Cloud uses an OAuth client-credentials
    grant at its sign-in host instead.

    Args:
        repository_id (str):
        body (CreateAccessTokenRequest):  Example: {'grant_type': 'password', 'username':
            'exporter', 'password': 'correct horse battery staple'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | SessionKeyInfo
    """

    return sync_detailed(
        repository_id=repository_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    repository_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateAccessTokenRequest,
) -> Response[ProblemDetails | SessionKeyInfo]:
    """Self-hosted servers only — get an access token with a password grant.

     Issues a bearer token for a repository user (life about 15 minutes). A token expiring mid-poll makes
    calls answer 401: get a new one and retry. Tasks belong to the token that started them, so a client
    should keep one token for a batch where it can. Laserfiche Cloud uses an OAuth client-credentials
    grant at its sign-in host instead.

    Args:
        repository_id (str):
        body (CreateAccessTokenRequest):  Example: {'grant_type': 'password', 'username':
            'exporter', 'password': 'correct horse battery staple'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | SessionKeyInfo]
    """

    kwargs = _get_kwargs(
        repository_id=repository_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    repository_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateAccessTokenRequest,
) -> ProblemDetails | SessionKeyInfo | None:
    """Self-hosted servers only — get an access token with a password grant.

     Issues a bearer token for a repository user (life about 15 minutes). A token expiring mid-poll makes
    calls answer 401: get a new one and retry. Tasks belong to the token that started them, so a client
    should keep one token for a batch where it can. Laserfiche Cloud uses an OAuth client-credentials
    grant at its sign-in host instead.

    Args:
        repository_id (str):
        body (CreateAccessTokenRequest):  Example: {'grant_type': 'password', 'username':
            'exporter', 'password': 'correct horse battery staple'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | SessionKeyInfo
    """

    return (
        await asyncio_detailed(
            repository_id=repository_id,
            client=client,
            body=body,
        )
    ).parsed
