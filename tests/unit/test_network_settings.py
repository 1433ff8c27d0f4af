"""The network timeouts every process gets from the one configuration (R5.3)."""

from __future__ import annotations

from runtime.config import Settings

PG = "postgresql+psycopg://postgres@db:5432/registry"


def test_a_postgresql_connection_carries_libpq_network_timeouts() -> None:
    settings = Settings({"REGISTRY_DATABASE_URL": PG, "EMU_DB_DEAD_AFTER": "9"})
    url = settings.connection_url("registry")
    assert url.startswith(PG + "?")
    assert dict(part.split("=") for part in url.split("?")[1].split("&")) == {
        "connect_timeout": "5", "keepalives": "1", "keepalives_idle": "3",
        "keepalives_interval": "1", "keepalives_count": "3", "tcp_user_timeout": "9000"}


def test_parameters_the_url_sets_are_kept_and_sqlite_is_left_alone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings({"REGISTRY_DATABASE_URL": PG + "?connect_timeout=30",
                         "EMU_DATA_DIR": str(tmp_path)})
    url = settings.connection_url("registry")
    assert url.count("connect_timeout") == 1 and "connect_timeout=30&keepalives=1" in url
    assert settings.connection_url("awards") == settings.database_url("awards")


def test_every_nameko_connection_uses_the_configured_heartbeat() -> None:
    assert Settings({}).nameko_config()["HEARTBEAT"] == 10.0
    assert Settings({"EMU_AMQP_HEARTBEAT": "4"}).nameko_config()["HEARTBEAT"] == 4.0
