"""The duplicate checks of an import: a claim URL, an evidence file's SHA-256, or a place
and dates already held (incidents.duplicates.find_duplicates, as the log form warns), or
already on an earlier line of the same file. New incidents are checked whole; an incident
held (by its UUID) only for the claims the file adds to it."""

from claims.canonical_url import normalise_url
from exchange.importing.reading import LineError
from incidents.duplicates import (
    NEARBY_DAYS,
    DuplicateReport,
    claims_with_each_url,
    claims_with_urls,
    evidence_with_digests,
    evidence_with_each_digest,
    first_claims,
    first_evidence,
    incidents_nearby,
    shifted,
)
from incidents.models import Incident


class DuplicateCheck:
    def __init__(self, *, user):
        self.user = user
        # What this import writes is compared line against line (_in_file), never against
        # the database (its incidents are in ``written``): into an installation holding no
        # incident yet, the database has nothing to say, and is not asked, line after line.
        self.stored = Incident.objects.exists()
        self.written = {}  # incident pk -> the file's line that wrote it
        # The incident itself, not its pk: one held for a batch has its pk once written.
        self.urls = {}  # normalised URL -> (line, incident)
        self.digests = {}  # SHA-256 -> (line, incident)
        self.places = {}  # place pk -> [(from, to, line)]

    def found(self, line, claims, *, incident=None, fields=None, place=None):
        """LineErrors (at ``line``) for what these ``claims`` (new, unsaved) and, for a
        new incident (``incident`` None), its ``fields``' dates at ``place``, repeat."""
        pk = incident.pk if incident is not None else None
        urls = {normalise_url(claim.url): claim.url for claim in claims if claim.url}
        urls.pop("", None)
        digests = {digest.lower() for claim in claims for digest in claim._digests}
        new = incident is None
        if not self.stored:
            return [
                LineError(line, "", text)
                for text in self._in_file(urls, digests, pk, fields if new else None, place)
            ]
        report = DuplicateReport(
            claims=self._claims_with(urls),
            evidence=self._evidence_with(digests),
            incidents=incidents_nearby(
                user=self.user,
                occurred_from=fields["occurred_from"] if new else None,
                occurred_to=fields.get("occurred_to") if new else None,
                place=place if new else None,
            ),
        )
        texts = [
            f"claim URL {claim.url} already logged on incident {_named(claim.incident)}"
            for claim in report.claims
            if claim.incident_id not in self.written and claim.incident_id != pk
        ]
        texts += [
            f"evidence file {evidence.sha256[:12]}… already held on incident "
            f"{_named(evidence.claim.incident)}"
            for evidence in report.evidence
            if evidence.claim.incident_id not in self.written and evidence.claim.incident_id != pk
        ]
        texts += [
            f"incident {_named(other)} at the same place within a few days"
            for other in report.incidents
            if other.pk not in self.written
        ]
        texts += self._in_file(urls, digests, pk, fields if new else None, place)
        return [LineError(line, "", text) for text in texts]

    def look_up(self, records):
        """Ask the database once for the claim URLs and evidence files of ``records`` (a
        batch of the file's lines, read but not yet applied), rather than once a line: at
        100,000 incidents a line's questions cost more than writing it."""
        if not self.stored:
            return
        urls, digests = set(), set()
        for record in records:
            for given in record.data.get("claims") or ():
                if not isinstance(given, dict):
                    continue
                staff = given.get("staff") if isinstance(given.get("staff"), dict) else {}
                urls |= {u for u in (given.get("url"), staff.get("url")) if isinstance(u, str)}
                for evidence in staff.get("evidence") or ():
                    if isinstance(evidence, dict) and isinstance(evidence.get("sha256"), str):
                        digests.add(evidence["sha256"].strip().lower())
        self.asked_urls = {normalise_url(url) for url in urls if url.strip()}
        self.by_url = claims_with_each_url(urls=urls, user=self.user)
        self.asked_digests = digests
        self.by_digest = evidence_with_each_digest(digests=digests, user=self.user)

    # What look_up found for the batch being applied.
    asked_urls = asked_digests = frozenset()
    by_url = by_digest = {}

    def _claims_with(self, urls):
        """claims_with_urls(urls) (``urls``: {normalised: as given}), from look_up's
        answers where it asked."""
        if not set(urls) <= self.asked_urls:
            return claims_with_urls(urls=list(urls.values()), user=self.user)
        return first_claims(self.by_url.get(normalised, ()) for normalised in urls)

    def _evidence_with(self, digests):
        if not digests <= self.asked_digests:
            return evidence_with_digests(digests=digests, user=self.user)
        return first_evidence(self.by_digest.get(digest, ()) for digest in digests)

    def _in_file(self, urls, digests, pk, fields, place):
        texts = []
        for normalised, url in urls.items():
            earlier = self.urls.get(normalised)
            if earlier and (pk is None or earlier[1].pk != pk):
                texts.append(f"claim URL {url} already on line {earlier[0]} of this file")
        for digest in sorted(digests):
            earlier = self.digests.get(digest)
            if earlier and (pk is None or earlier[1].pk != pk):
                texts.append(
                    f"evidence file {digest[:12]}… already on line {earlier[0]} of this file"
                )
        if fields is not None and fields.get("occurred_from"):
            start = fields["occurred_from"]
            end = max(fields.get("occurred_to") or start, start)
            for other_from, other_to, line in self.places.get(place.pk, ()):
                if other_from <= shifted(end, NEARBY_DAYS) and other_to >= shifted(
                    start, -NEARBY_DAYS
                ):
                    texts.append(
                        f"incident at the same place within a few days on line {line} of this file"
                    )
                    break
        return texts

    def remember(self, line, incident, claims, *, new):
        """Note what ``incident`` (written at ``line``) holds now, for the lines after."""
        if incident.pk is not None:  # else held for a batch: see written_now()
            self.written.setdefault(incident.pk, line)
        for claim in claims:
            if claim.url:
                self.urls.setdefault(normalise_url(claim.url), (line, incident))
            for digest in claim._digests:
                self.digests.setdefault(digest.lower(), (line, incident))
        if new:
            start = incident.occurred_from
            end = max(incident.occurred_to or start, start)
            self.places.setdefault(incident.place_id, []).append((start, end, line))

    def written_now(self, line, incident):
        """``incident``, remembered at ``line`` while held for a batch, is written now: the
        database's answers about it are this file's own line, as for one written at once."""
        self.written.setdefault(incident.pk, line)


def _named(incident):
    """An incident as a duplicate's report names it: its title, for people, and its id."""
    return f"“{incident.title}” ({incident.public_id})"
