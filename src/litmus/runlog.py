"""The warehouse's run log: every flow run leaves a row saying what it did, or why it failed."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from litmus.warehouse import open_warehouse
from litmus.warehouse.load import finish_run, start_run


class RunRecord:
    def __init__(self) -> None:
        self.counts: dict = {}
        self.message: str | None = None


@contextmanager
def recorded_run(warehouse: Path, flow: str, parameters: dict) -> Iterator[RunRecord]:
    """Log the run as 'running', then 'completed' with its counts or 'failed' with the error."""
    with open_warehouse(warehouse) as con:
        run_id = start_run(con, flow, parameters)
    record = RunRecord()
    try:
        yield record
    except BaseException as error:
        with open_warehouse(warehouse) as con:
            finish_run(con, run_id, status="failed", counts=record.counts, message=f"{type(error).__name__}: {error}")
        raise
    with open_warehouse(warehouse) as con:
        finish_run(con, run_id, status="completed", counts=record.counts, message=record.message)
