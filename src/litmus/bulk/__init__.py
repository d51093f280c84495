"""PubMed bulk files (baseline and updates) into the warehouse: streaming, resumable, filterable,
with extraction spread over local cores (`parallel`) or a Dask cluster (`flows/bulk.py`)."""

from litmus.bulk.ingest import (
    DEFAULT_MEMORY_LIMIT,
    BulkInputError,
    FileOutcome,
    IngestSummary,
    bulk_memory_limit,
    discover_files,
    ingest_file,
    ingest_files,
)
from litmus.bulk.ledger import ingested_files
from litmus.bulk.parallel import ExtractionPool, extract_and_store_parallel, extract_chunk, iter_extractions
from litmus.bulk.query import QueryError, RecordQuery, compile_query
from litmus.bulk.run import BulkRunSummary, ingest_and_extract

__all__ = [
    "DEFAULT_MEMORY_LIMIT", "BulkInputError", "BulkRunSummary", "ExtractionPool", "FileOutcome", "IngestSummary",
    "QueryError", "RecordQuery", "bulk_memory_limit", "compile_query", "discover_files", "extract_and_store_parallel",
    "extract_chunk", "ingest_and_extract", "ingest_file", "ingest_files", "ingested_files", "iter_extractions",
]
