"""What the search keeps per problem: its terms (for the lexical signals) and its sentence vector."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact

from .encoder import VECTOR_BYTES


class SearchEntry(models.Model):
    """One problem as the search sees it. Written in the same transaction as the problem's text;
    `vector` follows after commit (a Celery task), so a problem without one is found lexically."""

    problem = models.OneToOneField("intake.Problem", on_delete=models.CASCADE, related_name="search_entry")
    # Space-separated words and concepts (text.document_terms), title and statement apart.
    title_terms = models.TextField()
    statement_terms = models.TextField()
    # synonyms.txt's version the terms were made with; an older one is made again by `similar_index`.
    dictionary_version = models.PositiveIntegerField()
    # What the vector was computed from: a digest of the canonical text and the model's name.
    text_digest = models.CharField(max_length=32)
    vector = models.BinaryField(null=True, blank=True)
    vector_digest = models.CharField(max_length=32, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(vector__isnull=True) | Exact(Length("vector"), VECTOR_BYTES),
                name="search_entry_vector_size",
            ),
            models.CheckConstraint(
                condition=Q(vector__isnull=True, vector_digest="") | Q(vector__isnull=False) & ~Q(vector_digest=""),
                name="search_entry_vector_has_digest",
            ),
        ]
        indexes = [
            # The sweep's question: whose vector is missing or was made from older text?
            models.Index(fields=["id"], condition=~Q(vector_digest=F("text_digest")), name="search_entry_vector_due"),
        ]

    def __str__(self) -> str:
        return f"search entry of problem {self.problem_id}"
