"""The DuckDB warehouse: connection and migrations, Arrow loaders, read queries."""

from litmus.warehouse.connection import (
    WarehouseBusy,
    WarehouseError,
    WarehouseMemoryError,
    apply_migrations,
    bounded_memory,
    connect,
    open_warehouse,
    schema_version,
)

__all__ = [
    "WarehouseBusy", "WarehouseError", "WarehouseMemoryError", "apply_migrations", "bounded_memory", "connect",
    "open_warehouse", "schema_version",
]
