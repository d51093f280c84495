"""The DuckDB warehouse: connection and migrations, Arrow loaders, read queries."""

from litmus.warehouse.connection import (
    WarehouseBusy,
    WarehouseError,
    apply_migrations,
    connect,
    open_warehouse,
    schema_version,
)

__all__ = ["WarehouseBusy", "WarehouseError", "apply_migrations", "connect", "open_warehouse", "schema_version"]
