"""The search's stored rows: a problem's terms and its vector, each written idempotently.

No dispatch here: `services.search_entries_write` (the intake write path) schedules vectors after
commit through `dispatch`, and the tasks, the sweep and `manage.py similar_index` call these
directly, so services → dispatch → tasks → store has no loop.
"""

from __future__ import annotations

import hashlib
import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from intake.models import Problem

from .encoder import MAX_TOKENS, MODEL_NAME, encoder, vector_to_bytes
from .models import SearchEntry
from .text import canonical_text, dictionary, document_terms

logger = logging.getLogger(__name__)

TERM_FIELDS = ("title_terms", "statement_terms", "dictionary_version", "text_digest", "updated_at")
# How much of a statement the vector reads (the encoder stops at MAX_TOKENS anyway).
VECTOR_STATEMENT_CHARS = 600


def _vector_text(title: str, statement: str) -> str:
    return canonical_text(f"{title}. {statement[:VECTOR_STATEMENT_CHARS]}")


def _digest(text: str) -> str:
    # The model and how much of the text it reads: changing either makes every vector due again.
    return hashlib.blake2b(f"{MODEL_NAME}/{MAX_TOKENS}\n{text}".encode(), digest_size=16).hexdigest()


def search_entries_store(*, problem_ids: list[int]) -> list[int]:
    """(Re)write the terms of these problems, in the caller's transaction; the ids whose entry changed.

    Idempotent: an entry already made from the same text and dictionary is left alone. Their vectors
    are due from then on (`search_vectors_due`).
    """
    version = dictionary().version
    problems = Problem.objects.filter(pk__in=problem_ids).values_list("pk", "title", "statement")
    existing = {
        entry.problem_id: entry for entry in SearchEntry.objects.filter(problem_id__in=problem_ids).defer("vector")
    }
    changed, created, updated = [], [], []
    now = timezone.now()
    for pk, title, statement in problems:
        digest = _digest(_vector_text(title, statement))
        entry = existing.get(pk)
        if entry is not None and entry.text_digest == digest and entry.dictionary_version == version:
            continue
        fields = {
            "title_terms": " ".join(document_terms(title)),
            "statement_terms": " ".join(document_terms(statement)),
            "dictionary_version": version,
            "text_digest": digest,
            "updated_at": now,
        }
        if entry is None:
            created.append(SearchEntry(problem_id=pk, **fields))
        else:
            for name, value in fields.items():
                setattr(entry, name, value)
            updated.append(entry)
        changed.append(pk)
    SearchEntry.objects.bulk_create(created, batch_size=1000)
    SearchEntry.objects.bulk_update(updated, TERM_FIELDS, batch_size=1000)
    return changed


def search_vectors_compute(*, problem_ids: list[int]) -> int:
    """Compute the vectors these problems lack (or that older text made). Returns how many were written.

    Idempotent, and safe beside a concurrent edit: a vector is stored only if the entry's text is
    still the text it was computed from.
    """
    model = encoder()
    if model is None:
        return 0
    due = list(
        SearchEntry.objects.filter(problem_id__in=problem_ids)
        .exclude(vector_digest=F("text_digest"))
        .values_list("pk", "problem_id", "text_digest")
    )
    if not due:
        return 0
    texts = {
        pk: (title, statement)
        for pk, title, statement in Problem.objects.filter(pk__in=[p for _, p, _ in due]).values_list(
            "pk", "title", "statement"
        )
    }
    rows = [(pk, digest, _vector_text(*texts[problem_id])) for pk, problem_id, digest in due if problem_id in texts]
    # Identical texts (copies, generated data) are encoded once.
    unique = sorted({text for _, _, text in rows})
    vectors = dict(zip(unique, model.encode(unique), strict=True))
    written = 0
    with transaction.atomic():
        for pk, digest, text in rows:
            if _digest(text) != digest:
                continue
            written += SearchEntry.objects.filter(pk=pk, text_digest=digest).update(
                vector=vector_to_bytes(vectors[text]), vector_digest=digest, updated_at=timezone.now()
            )
    return written


def search_entries_due(*, limit: int) -> list[int]:
    """Problems whose entry is missing or made with an older dictionary, oldest first."""
    version = dictionary().version
    missing = Problem.objects.filter(search_entry__isnull=True).order_by("pk").values_list("pk", flat=True)[:limit]
    stale = (
        SearchEntry.objects.exclude(dictionary_version=version).order_by("pk").values_list("problem_id", flat=True)
    )[:limit]
    return sorted({*missing, *stale})[:limit]


def search_vectors_due(*, limit: int) -> list[int]:
    return list(
        SearchEntry.objects.exclude(vector_digest=F("text_digest"))
        .order_by("pk")
        .values_list("problem_id", flat=True)[:limit]
    )
