"""A client library for accessing Laserfiche Repository API V2 — export, long operations, entries, metadata and search"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
