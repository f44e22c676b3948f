"""GOV.UK numbered pagination: the links for one page of a Django ``Page``.

The first and last pages, the current one and its neighbours are numbered, with an ellipsis
for the gaps (as the GOV.UK pagination component shows them). Every link keeps the rest of the
query (a filter, the group being paged), changing only the page's own parameter.
"""

from dataclasses import dataclass

from django.core.paginator import Page
from django.http import QueryDict


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis
    href: str = ""
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    items: list[PageLink]
    previous: str | None
    next: str | None


def numbered(page: Page, query: QueryDict, *, param: str = "page", anchor: str = "") -> Pagination:
    def href(number: int) -> str:
        kept = query.copy()
        kept[param] = str(number)
        return f"?{kept.urlencode()}{f'#{anchor}' if anchor else ''}"

    items = [
        PageLink(None)
        if number == page.paginator.ELLIPSIS
        else PageLink(number, href(number), number == page.number)
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return Pagination(
        items=items,
        previous=href(page.previous_page_number()) if page.has_previous() else None,
        next=href(page.next_page_number()) if page.has_next() else None,
    )
