"""Bulk merge of observations into the store, in set-based SQL on SQLite and PostgreSQL.

The rows of one import go into a temporary staging table (PostgreSQL: ``COPY``; SQLite:
``executemany``), then four statements compare, keep history, update and insert. No row
is written one by one, so a national file of two million values loads in seconds. A value
counts as *unchanged* when its value and status are the same as stored (null-safe).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db import connection

from .models import Observation, ObservationRevision

STAGE = "wb_observation_stage"


@dataclass(frozen=True)
class MergeCounts:
    created: int
    updated: int
    unchanged: int


def _same(left: str, right: str) -> str:
    if connection.vendor == "postgresql":
        return f"{left} IS NOT DISTINCT FROM {right}"
    return f"{left} IS {right}"


def _create_stage(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STAGE} (indicator_id bigint NOT NULL, area_id bigint NOT NULL,"
        " period varchar(10) NOT NULL, value double precision NULL, status varchar(12) NOT NULL)"
    )


def _fill_stage(cursor, indicator_ids, area_ids, periods, values, statuses) -> None:
    rows = zip(
        indicator_ids.tolist(), area_ids.tolist(), periods.tolist(),
        [None if np.isnan(v) else v for v in values.tolist()], statuses.tolist(),
        strict=True,
    )
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(
            f"COPY {STAGE} (indicator_id, area_id, period, value, status) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.executemany(
            f"INSERT INTO {STAGE} (indicator_id, area_id, period, value, status)"
            " VALUES (%s, %s, %s, %s, %s)",
            rows,
        )
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {STAGE}")
    else:
        cursor.execute(
            f"CREATE INDEX {STAGE}_key ON {STAGE} (indicator_id, area_id, period)"
        )


def merge_observations(
    *, indicator_ids: np.ndarray, area_ids: np.ndarray, periods: np.ndarray,
    values: np.ndarray, statuses: np.ndarray, batch_id: int,
) -> MergeCounts:
    """Merge one import's rows into ``Observation``; replaced values go to the revisions.

    The caller holds the transaction and guarantees (indicator, area, period) is unique
    within the rows.
    """
    obs = Observation._meta.db_table
    rev = ObservationRevision._meta.db_table
    join = "o.indicator_id = s.indicator_id AND o.area_id = s.area_id AND o.period = s.period"
    differs = f"NOT ({_same('o.value', 's.value')} AND o.status = s.status)"
    with connection.cursor() as cursor:
        _create_stage(cursor)
        if len(indicator_ids):
            _fill_stage(cursor, indicator_ids, area_ids, periods, values, statuses)
        cursor.execute(
            f"SELECT COUNT(*), COUNT(o.id), "
            f"COALESCE(SUM(CASE WHEN o.id IS NOT NULL AND {differs} THEN 1 ELSE 0 END), 0) "
            f"FROM {STAGE} s LEFT JOIN {obs} o ON {join}"
        )
        total, existing, updated = cursor.fetchone()
        if updated:
            cursor.execute(
                f"INSERT INTO {rev} (indicator_id, area_id, period, value, status, batch_id,"
                f" replaced_by_id) SELECT o.indicator_id, o.area_id, o.period, o.value,"
                f" o.status, o.batch_id, %s FROM {obs} o JOIN {STAGE} s ON {join}"
                f" WHERE {differs}",
                [batch_id],
            )
            cursor.execute(
                f"UPDATE {obs} AS o SET value = s.value, status = s.status, batch_id = %s"
                f" FROM {STAGE} s WHERE {join} AND {differs}",
                [batch_id],
            )
        created = total - existing
        if created:
            cursor.execute(
                f"INSERT INTO {obs} (indicator_id, area_id, period, value, status, batch_id)"
                f" SELECT s.indicator_id, s.area_id, s.period, s.value, s.status, %s"
                f" FROM {STAGE} s WHERE NOT EXISTS (SELECT 1 FROM {obs} o WHERE {join})",
                [batch_id],
            )
        cursor.execute(f"DROP TABLE {STAGE}")
        if connection.vendor == "postgresql" and (created or updated):
            # Fresh statistics after a bulk load: without them the planner picks slow plans
            # for the first queries (seen: a 30,000-row export taking 37 s instead of 1).
            cursor.execute(f"ANALYZE {obs}")
    return MergeCounts(created=int(created), updated=int(updated),
                       unchanged=int(existing - updated))
