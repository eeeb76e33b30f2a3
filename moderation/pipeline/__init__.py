"""The write side of the data flow: files in, scored and flagged comments out, rule edits applied.

- ``ingest``: parse -> store -> score -> flag, driven by what the database lacks.
- ``uploads``: files checked before anything is written, then stored with their audit row.
- ``versions``: rule-set versions compiled (the active one, a pending one, registering rules.yaml).
- ``reflag``: evaluating stored comments under a version, and switching a pending one in.
- ``rule_edits``: editors' drafts, impact preview, save, rollback, calibration.
- ``jobs``: background jobs queued in the database (re-flags, backfills, training, finishing
  interrupted work); ``job_kinds``: what each kind does; ``worker``: claims and runs them.
- ``faults``: crash points for the resume tests.
"""
