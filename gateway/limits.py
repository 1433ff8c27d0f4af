"""The request limits both fronts of the gateway enforce (R5.2: body size, page size, string
lengths), in one place so HTTP and gRPC cannot drift apart."""

from __future__ import annotations

TEXT_MAX = 20_000  # characters in a text field
# a dossier document of up to 5 MB, as base64; a file of people or unions to import
LONG_TEXT = {"content_base64": 7_000_000, "file_content": 6_000_000}
LIST_MAX = 1_000  # items in a list field
PAGE_MAX = 200  # rows in one page of a list
PAGE_DEFAULT = 50
OFFSET_MAX = 10_000_000
MAX_BODY = 8 * 1024 * 1024  # bytes in a request body or a gRPC message
MAX_QUERY = 32 * 1024  # bytes of a query string (a query's parameters)
IDEMPOTENCY_KEY_MAX = 128  # characters of the Idempotency-Key header / metadata
IF_MATCH_MAX = 2_000
