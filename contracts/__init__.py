"""Published contracts: event schemas (``events/``), their upcasters, and (later) the
``.proto`` files of the gRPC API. Nothing here imports a service."""
