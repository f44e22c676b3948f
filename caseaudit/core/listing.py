"""Long lists, declared once: newest first, sortable columns, filters, to-do/done tabs,
numbered GOV.UK pages and a CSV of the same rows.

A list says what it has (``Listing``: its ``Column``s and how each sorts, its ``Filter``s, its
``Tab``s, its CSV columns) and a view hands it the rows the person may see::

    shown = YOUR_AUDITS.show(request, Audit.objects.visible_to(user).filter(auditor=user))

``shown.page`` is the page of rows; the includes in ``templates/includes/list/`` draw the tabs,
the filter panel, the sortable table head and the pages from the rest of ``shown``.

Nothing a person puts in the address can break a list: a sort key the list does not offer
falls back to its default order, a tab it does not have to its first tab, a page number out
of range to the nearest page, and a filter value it cannot read is reported as a GOV.UK error
beside that filter and ignored. Sorting happens in the database, by whitelisted expressions
only, with the primary key last so pages never overlap. The cost of a list is a fixed number
of queries (the tabs' counts, the page's count and its rows, the filters' options) however
long the list or deep the page.
"""

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import HttpResponse, QueryDict
from django.utils.functional import cached_property

from caseaudit.core.months import month_label, month_start, parse_month
from caseaudit.core.pagination import Pagination, numbered
from caseaudit.core.spreadsheets import safe_text

SORT = "sort"
ORDER = "order"
TAB = "tab"
PAGE = "page"
ASCENDING = "asc"
DESCENDING = "desc"


@dataclass(frozen=True)
class Column:
    """A column of the table. ``order_by`` (ascending) makes it sortable; ``first`` is the
    direction a first click sorts it (dates newest first)."""

    key: str
    label: str
    order_by: tuple[Any, ...] = ()
    first: str = ASCENDING
    numeric: bool = False

    @property
    def sortable(self) -> bool:
        return bool(self.order_by)


def in_order(field_name: str, values: Iterable) -> Case:
    """Sorts ``field_name`` in the order of ``values`` (a status in its workflow's order, a grade
    in the Ofsted scale's), not alphabetically; anything else (no grade) comes last."""
    return Case(
        *(When(**{field_name: value}, then=Value(rank)) for rank, value in enumerate(values)),
        default=Value(None),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    q: Q


@dataclass(frozen=True)
class Filter:
    """One control of the filter panel: a form field, and what a valid value keeps.

    ``field`` makes the form field for a person and the rows before filtering (so a team
    list holds only the teams they may see); ``keep`` narrows the rows to a cleaned value:
    a lookup name, or a function of the rows and the value.
    """

    key: str
    field: Callable[[Any, QuerySet], forms.Field]
    keep: str | Callable[[QuerySet, Any], QuerySet]

    def apply(self, rows: QuerySet, value) -> QuerySet:
        if callable(self.keep):
            return self.keep(rows, value)
        return rows.filter(**{self.keep: value})


def choice_filter(key: str, label: str, choices, keep) -> Filter:
    """A select of fixed choices (a status), "All" first."""
    return Filter(
        key,
        lambda user, rows: ListChoiceField(
            label=label,
            required=False,
            choices=[("", "All"), *choices],
            error_messages={"invalid_choice": _select(label)},
        ),
        keep,
    )


def model_filter(
    key: str, label: str, options: Callable[[Any, QuerySet], QuerySet], keep
) -> Filter:
    """A select of records (an area, a team): ``options`` makes them from the person and the
    rows before filtering, so it offers only what they may see. "All" first."""
    return Filter(
        key,
        lambda user, rows: ListModelChoiceField(
            label=label,
            required=False,
            queryset=options(user, rows),
            empty_label="All",
            error_messages={"invalid_choice": _select(label)},
        ),
        keep,
    )


def month_filter(key: str, label: str, months: Callable[[QuerySet], Iterable], keep) -> Filter:
    """A select of the months the rows fall in (newest first), read as the month's first day.
    ``months`` finds them in one query over the rows before filtering."""

    def field(user, rows):
        found = sorted({month_start(month) for month in months(rows) if month}, reverse=True)
        return MonthField(
            label=label,
            required=False,
            choices=[("", "All"), *((m.strftime("%Y-%m"), month_label(m)) for m in found)],
            error_messages={"invalid_choice": _select(label)},
        )

    return Filter(key, field, keep)


def text_filter(key: str, label: str, keep, *, max_length: int = 50) -> Filter:
    return Filter(
        key,
        lambda user, rows: forms.CharField(
            label=label,
            required=False,
            max_length=max_length,
            error_messages={
                "max_length": f"{label} must be {max_length} characters or fewer",
            },
        ),
        keep,
    )


class _Options:
    """The choices as a list, read once (a template's ``for`` would count them, then read)."""

    @cached_property
    def options(self) -> list:
        return list(iter(self.choices))  # iter: list() would ask a queryset to count first


class ListChoiceField(_Options, forms.ChoiceField):
    pass


class ListModelChoiceField(_Options, forms.ModelChoiceField):
    pass


def _select(label: str) -> str:
    article = "an" if label[0].lower() in "aeiou" else "a"
    return f"Select {article} {label.lower()} in the list"


class MonthField(ListChoiceField):
    def clean(self, value):
        value = super().clean(value)
        return parse_month(value) if value else None


class FilterForm(forms.Form):
    """The filter panel: a GET form whose fields the list's ``Filter``s make."""

    def __init__(self, data, *, fields: dict[str, forms.Field]):
        # Its own ids, so a page with another form's "month" keeps every id unique.
        super().__init__(data, auto_id="filter-%s")
        self.fields.update(fields)


@dataclass(frozen=True)
class Header:
    label: str
    href: str = ""
    aria_sort: str = ""  # "ascending", "descending", "none"; empty: not sortable
    numeric: bool = False


@dataclass(frozen=True)
class TabLink:
    key: str
    label: str
    href: str
    count: int
    current: bool


@dataclass
class Shown:
    """One list as a person sees it now: what the includes draw."""

    page: Page
    rows: QuerySet  # every row after tab and filters, sorted: what the CSV holds
    headers: list[Header]
    tabs: list[TabLink]
    form: FilterForm | None
    pagination: Pagination
    sort: str
    descending: bool
    tab: str
    filtering: bool
    csv_href: str = ""
    clear_href: str = ""
    kept: list[tuple[str, str]] = field(default_factory=list)  # hidden inputs of the panel

    @property
    def count(self) -> int:
        return self.page.paginator.count


@dataclass(frozen=True)
class CsvColumn:
    heading: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Listing:
    columns: Sequence[Column]
    default_sort: str  # a column key
    default_descending: bool = True
    filters: Sequence[Filter] = ()
    tabs: Sequence[Tab] = ()
    csv_columns: Sequence[CsvColumn] = ()
    per_page: int = 50
    anchor: str = ""

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key and c.sortable), None)

    def show(
        self, request, rows: QuerySet, *, csv_href: str = "", per_page: int | None = None
    ) -> Shown:
        query = request.GET
        tab, rows, tab_links, form, filtering = self._narrow(request.user, query, rows)
        sort, descending, rows = self._sort(query, rows)
        page = Paginator(rows, per_page or self.per_page).get_page(query.get(PAGE))
        kept = _without(query, PAGE)
        return Shown(
            page=page,
            rows=rows,
            headers=self._headers(query, sort, descending),
            tabs=tab_links,
            form=form,
            pagination=numbered(page, query, anchor=self.anchor),
            sort=sort,
            descending=descending,
            tab=tab,
            filtering=filtering,
            csv_href=f"{csv_href}?{kept.urlencode()}" if csv_href else "",
            clear_href=f"?{_only(query, TAB).urlencode()}",
            kept=[(name, query[name]) for name in (TAB, SORT, ORDER) if query.get(name)],
        )

    def rows(self, request, rows: QuerySet) -> QuerySet:
        """Every row the list shows with the same tab, filters and order: for the CSV."""
        rows = self._narrow(request.user, request.GET, rows, count=False)[1]
        return self._sort(request.GET, rows)[2]

    def csv_response(self, rows: Iterable, filename: str) -> HttpResponse:
        """The rows as CSV, every text cell through ``safe_text``."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([column.heading for column in self.csv_columns])
        for row in rows:
            writer.writerow([_cell(column.value(row)) for column in self.csv_columns])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response

    # The parts ---------------------------------------------------------------------------------

    def _narrow(self, user, query: QueryDict, rows: QuerySet, *, count: bool = True):
        """The chosen tab's rows, filtered; the tabs, counted with the same filters; the
        filter form, its options drawn from the tab's rows."""
        tab = self._chosen(query)
        in_tab = rows.filter(tab.q) if tab else rows
        form, filtering = None, False
        if self.filters:
            form = FilterForm(
                query if any(query.get(f.key) for f in self.filters) else None,
                fields={f.key: f.field(user, in_tab) for f in self.filters},
            )
            cleaned = {}
            if form.is_bound:
                # A value that is not valid is left out of cleaned_data: its filter is ignored.
                form.is_valid()
                cleaned = form.cleaned_data
            for spec in self.filters:
                value = cleaned.get(spec.key)
                if value not in (None, ""):
                    rows = spec.apply(rows, value)
                    filtering = True
        if tab is None:
            return "", rows, [], form, filtering
        counts = (
            rows.order_by().aggregate(**{t.key: Count("pk", filter=t.q) for t in self.tabs})
            if count
            else {}
        )
        base = _only(query, *(f.key for f in self.filters))
        links = []
        for each in self.tabs:
            kept = base.copy()
            kept[TAB] = each.key
            links.append(
                TabLink(
                    each.key,
                    each.label,
                    f"?{kept.urlencode()}",
                    counts.get(each.key, 0),
                    each == tab,
                )
            )
        return tab.key, rows.filter(tab.q), links, form, filtering

    def _chosen(self, query: QueryDict) -> Tab | None:
        if not self.tabs:
            return None
        return next((tab for tab in self.tabs if tab.key == query.get(TAB)), self.tabs[0])

    def _sort(self, query: QueryDict, rows: QuerySet):
        column = self.column(query.get(SORT, ""))
        if column is None:
            column = self.column(self.default_sort)
            descending = self.default_descending
        else:
            order = query.get(ORDER)
            descending = (
                order == DESCENDING
                if order in (ASCENDING, DESCENDING)
                else (column.first == DESCENDING)
            )
        assert column is not None, f"{self.default_sort} is not a sortable column"  # noqa: S101
        ordering = [
            (term.desc(nulls_last=True) if descending else term.asc(nulls_last=True))
            for term in map(_expression, column.order_by)
        ]
        pk = _expression("pk")
        ordering.append(pk.desc() if descending else pk.asc())
        return column.key, descending, rows.order_by(*ordering)

    def _headers(self, query: QueryDict, sort: str, descending: bool) -> list[Header]:
        base = _without(query, PAGE, SORT, ORDER)
        headers = []
        for column in self.columns:
            if not column.sortable:
                headers.append(Header(column.label, numeric=column.numeric))
                continue
            current = column.key == sort
            if current:
                next_order = ASCENDING if descending else DESCENDING
                aria = "descending" if descending else "ascending"
            else:
                next_order, aria = column.first, "none"
            kept = base.copy()
            kept[SORT] = column.key
            kept[ORDER] = next_order
            headers.append(Header(column.label, f"?{kept.urlencode()}", aria, column.numeric))
        return headers


def _expression(term):
    return F(term) if isinstance(term, str) else term


def _without(query: QueryDict, *names: str) -> QueryDict:
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept


def _only(query: QueryDict, *names: str) -> QueryDict:
    kept = QueryDict(mutable=True)
    for name in names:
        if query.get(name):
            kept[name] = query[name]
    return kept


def _cell(value) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return safe_text(str(value)) if not isinstance(value, int | float) else value
