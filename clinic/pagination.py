"""A paginator for lists that grow with every visit (a chain's texts, appointments, patients,
intakes): it counts at most ``CAP`` rows rather than every row on every page.

Past the cap, ``capped`` is true and the page shows "more than 10,000" (the admin's
``pagination.html`` for clinic, the intake list's "of 200+"): pages beyond it are reached by
filtering or searching, which is how a front desk finds one row among a million anyway.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    CAP = 10_000
    capped = False

    @cached_property
    def count(self) -> int:
        counted = self.object_list.order_by()[: self.CAP + 1].count()
        self.capped = counted > self.CAP
        return min(counted, self.CAP)
