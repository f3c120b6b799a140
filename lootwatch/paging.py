"""Pages of a long list that never count all of it: a count over a whole war's incidents
costs more than the page itself, and nobody reads "page 1 of 4,000"."""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A Paginator that counts at most ``cap`` rows: beyond that the count is "more than
    ``cap``" (``exact`` is False) and the pages go on for as long as there are rows, each
    page reading one row more than it shows to know whether another follows."""

    def __init__(self, object_list, per_page, *, cap):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self):
        """The number of rows, up to ``cap + 1``: one COUNT over a LIMIT, not over them all,
        and in no order (the database stops at the first ``cap + 1`` it finds)."""
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def exact(self):
        return self.count <= self.cap

    @property
    def pages_counted(self):
        """The pages known to be full when the count is not exact ("page 3 of more than 40")."""
        return self.cap // self.per_page

    def validate_number(self, number):
        if self.exact:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1 and self.exact:
            raise EmptyPage("That page contains no results")
        # Past the end of an uncounted list: an empty page, whose "previous" leads back.
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, *, more):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more
