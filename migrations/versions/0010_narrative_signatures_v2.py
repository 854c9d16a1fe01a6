"""narrative signatures: MinHash values from one 64-byte BLAKE2b digest per shingle

Signatures stored before this revision were made with 16 modular multiplications per shingle
(scheme 1, kept below for the downgrade); complaints/domain/duplicates.py now takes the 16
values from the words of one digest (scheme 2), four times faster at filing. A new filing is
compared with stored signatures, so every stored one is recomputed here from its narrative,
in batches, in the migration's transaction.

Revision ID: 0010_narrative_signatures_v2
Revises: 0009_statistics_rollup

"""
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0010_narrative_signatures_v2"
down_revision = "0009_statistics_rollup"
branch_labels = None
depends_on = None

BATCH = 2000


def _scheme_1(text: str) -> list[int]:
    """Band values as stored before this revision."""
    import hashlib

    from complaints.domain import duplicates

    norm = duplicates.normalize_narrative(text)
    if len(norm) < duplicates.MIN_NARRATIVE_LENGTH:
        return []
    mersenne = (1 << 61) - 1
    permutations = [
        (int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest())
         % mersenne | 1,
         int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest()) % mersenne)
        for i in range(duplicates.BANDS * duplicates.ROWS_PER_BAND)]
    hashes = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest())
              for s in duplicates.shingles(text)]
    minima = [min((a * h + b) % mersenne for h in hashes) for a, b in permutations]
    return duplicates.band_values(minima)


def _recompute(signature: Callable[[str], list[int]]) -> None:
    """Replace the signatures of every complaint that has them, a batch of complaints at a
    time (ids from the signatures table, narratives from the complaints)."""
    connection = op.get_bind()
    signatures = sa.table("narrative_signatures", sa.column("complaint_id", sa.Integer),
                          sa.column("band", sa.SmallInteger), sa.column("value", sa.BigInteger))
    last = 0
    while True:
        rows = connection.execute(sa.text(
            "SELECT c.id, c.narrative FROM complaints c WHERE c.id > :last AND c.id IN "
            "(SELECT complaint_id FROM narrative_signatures) ORDER BY c.id LIMIT :batch"),
            {"last": last, "batch": BATCH}).all()
        if not rows:
            return
        ids = [row[0] for row in rows]
        connection.execute(signatures.delete().where(signatures.c.complaint_id.in_(ids)))
        fresh = [{"complaint_id": ident, "band": band, "value": value}
                 for ident, narrative in rows
                 for band, value in enumerate(signature(narrative or ""))]
        if fresh:
            connection.execute(signatures.insert(), fresh)
        last = ids[-1]


def upgrade() -> None:
    from complaints.domain.duplicates import signature

    _recompute(signature)


def downgrade() -> None:
    _recompute(_scheme_1)
