"""A client library for accessing Laserfiche Repository API V2 — export, tasks, audit reasons and entries"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
