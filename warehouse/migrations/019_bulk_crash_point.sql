-- A bulk file whose record kills the process (a crash in a library, the kernel's OOM killer) leaves its
-- row 'running'; the next run resumes it and would die at the same record again, forever. The resume
-- point at which an earlier attempt died is kept here: a second death at the same point marks the
-- file failed (skipped by later runs until --force), instead of crashing every run.
ALTER TABLE bulk_files ADD COLUMN crash_point BIGINT;  -- items_done when a previous attempt died; NULL: none
