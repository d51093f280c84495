"""Extending the evidence: saved PubMed searches run incrementally, relevance, digests, deployments.

- `searches`: the saved-search file (corpus/searches.toml) -> `SavedSearch`es, validated;
- `incremental`: watermarked date windows, ESearch slicing past the 10,000 cap, fetch of what is new;
- `relevance`: clinical study or not, stored in `paper_relevance` for evidence tables to join;
- `digest`: the Markdown digest of a run, and what came in since a date;
- `deploy`: serving the update flow on a daily cron schedule against a Prefect server;
- `replay_fixtures`: the offline replay of the default searches (two scenario days).
"""

from litmus.updates.incremental import UpdateBusy, Window, WindowTooLarge, collect_ids, update_lock, update_search
from litmus.updates.searches import SavedSearch, SearchConfigError, default_searches_path, load_searches

__all__ = [
    "SavedSearch",
    "SearchConfigError",
    "UpdateBusy",
    "Window",
    "WindowTooLarge",
    "collect_ids",
    "default_searches_path",
    "load_searches",
    "update_lock",
    "update_search",
]
