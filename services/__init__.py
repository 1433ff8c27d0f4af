"""The four services. Each is a hexagon: ``domain.py`` (aggregates, pure Python),
``application.py`` (commands and queries on the event store), ``service.py`` (the thin
nameko adapter) and, if it publishes, ``published.py`` (its published contracts)."""
