"""The search documents of incidents: what full-text search matches, kept by PostgreSQL.

Each incident has two documents, one for each audience, built from its title, summary,
place names and the texts of its claims (originals and translations) by the triggers that
incidents.fulltext installs: they are rewritten in the transaction that changes any of
those. On SQLite there are no triggers and the table stays empty; IncidentQuerySet.search
matches words in the fields themselves there.
"""

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.models.incidents import Incident

# The text-search configurations every text is indexed and searched in: `simple` keeps every
# word whole (names, and Ukrainian, which PostgreSQL 15 has no stemmer for), `english` and
# `russian` add the stems of their languages, so that "washing" finds "washed" and
# "грузовики" finds "грузовик".
CONFIGURATIONS = ("simple", "english", "russian")


class IncidentSearchDocument(models.Model):
    """What full-text search matches for one incident, as two ``tsvector`` documents.

    ``staff`` holds the title, summary, the place's names and every live claim's text: what
    journalists and editors search. ``partners`` leaves out claims waiting for an editor and
    the names of homes published rounded (incidents.rules, claims.rules): what partners
    search. Withdrawn claims are in neither. Written by database triggers only.
    """

    # No foreign key constraint: the triggers write this row in the same statement as the
    # incident's, and delete it with the incident, so the database needs no cascade to keep
    # them together, and a deferred constraint could not see the order of the two writes.
    incident = models.OneToOneField(
        Incident,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_constraint=False,
        related_name="search_document",
        verbose_name=_("incident"),
    )
    staff = SearchVectorField(verbose_name=_("staff"))
    partners = SearchVectorField(verbose_name=_("partners"))

    # Its GIN indexes are PostgreSQL's only: incidents.fulltext creates them there.

    class Meta:
        verbose_name = _("incident search document")
        verbose_name_plural = _("incident search documents")

    def __str__(self):
        return f"Search document of incident {self.incident_id}"


class DocumentQuery(SearchQuery):
    """What a search for the text matches in a search document: the text read in web
    search syntax (words, "a phrase", -not, or) in every configuration of CONFIGURATIONS,
    each different reading once, by the database function incidents.fulltext installs."""

    def __init__(self, value):
        super().__init__(value, search_type="websearch")

    def as_sql(self, compiler, connection, function=None, template=None):
        return super().as_sql(compiler, connection, function="lootwatch_search_query")


def document_query(text):
    """Return the DocumentQuery for ``text``, to match a document field with ``=``."""
    return DocumentQuery(text)
