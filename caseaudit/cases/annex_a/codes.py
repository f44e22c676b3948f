"""Annex A code lists: store the code, show the label.

Each list is an ordered mapping ``canonical code -> label`` (see ``CODE_LISTS``). Canonical
codes are chosen to be short, stable and meaningful when read raw in the database:

* Where the DfE/Ofsted list already has an official code, that code is used as-is, upper case:
  ethnicity ``WBRI``, contact/referral source ``1A``..``10``, primary need ``N0``..``N9``,
  CIN closure reason ``RC1``..``RC9``, legal status ``C1``/``C2``/``E1``.., placement type
  ``U1``.., placement provider ``PR0``.., reason ceased ``E11``.., care leaver activity
  ``F1``.., accommodation type ``B``..``Z``, adoption "no longer placed" reason ``RD1``..,
  LA in touch ``YES``/``NO``/``DIED``/``REFU``/``NREQ``/``RHOM``, category of abuse as in the
  CIN census (``NEG``, ``PHY``, ``SAB``, ``EMO``, ``MUL``).
* Gender: ``M`` male, ``F`` female, ``U`` not stated/recorded, ``N`` neither.
* Yes/no: ``Y``, ``N`` and (disability questions only) ``U`` unknown.
* Lists that Annex A only letters (a), b), ...) get an upper-case mnemonic, never the letter,
  because the letters shift between Annex A versions (e.g. the sources list gained 5D, moving
  every later letter on): case status ``LAC``, permanence plan ``ADOPTION``, placement location
  ``IN``/``OUT``, eligibility ``RELEVANT``, suitability ``SUITABLE``.

``parse_code(list_name, raw)`` accepts the forms real files use: ``a) Male``, ``Male``,
``k) APKN``, ``APKN``, ``C2: FCO``, ``C2``, ``N1 - Abuse or Neglect``, ``q) 6: Police``, ``Yes``,
``b) No``; case and spacing are ignored. When a value carries both a letter and a code or
label, the code/label wins and the letter is ignored, which is how ``s) NOBT`` (NOBT lettered
``s`` in some files, ``t`` in the guidance) is read as NOBT.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

__all__ = [
    "CODE_LISTS",
    "CODE_LIST_TITLES",
    "CodeError",
    "label_for",
    "parse_code",
]


class CodeError(ValueError):
    """A value that is not in its Annex A code list."""


@dataclass(frozen=True)
class _Entry:
    code: str
    label: str
    letter: str | None = None
    aliases: tuple[str, ...] = ()


def _lettered(*rows: tuple[str, str] | tuple[str, str, tuple[str, ...]]) -> list[_Entry]:
    """Entries lettered a), b), ... in the order given, as Annex A shows them."""
    entries = []
    for index, row in enumerate(rows):
        aliases = row[2] if len(row) == 3 else ()
        entries.append(_Entry(row[0], row[1], chr(ord("a") + index), aliases))
    return entries


def _plain(*rows: tuple[str, str] | tuple[str, str, tuple[str, ...]]) -> list[_Entry]:
    """Entries whose letters (if any) are not stable enough to accept on their own."""
    return [_Entry(row[0], row[1], None, row[2] if len(row) == 3 else ()) for row in rows]


_YES = ("Y", "Yes", ("true", "1"))
_NO = ("N", "No", ("false", "0"))

_ENTRIES: dict[str, tuple[str, list[_Entry]]] = {
    "gender": (
        "Gender",
        _lettered(
            ("M", "Male", ("m", "boy")),
            ("F", "Female", ("f", "girl")),
            ("U", "Not stated/recorded", ("not stated", "not recorded", "unknown", "not known")),
            ("N", "Neither", ("indeterminate",)),
        ),
    ),
    "ethnicity": (
        "Ethnicity",
        _lettered(
            ("WBRI", "White British"),
            ("WIRI", "White Irish"),
            ("WIRT", "Traveller of Irish heritage"),
            ("WOTH", "Any other White background"),
            ("WROM", "Gypsy/Roma"),
            ("MWBC", "White and Black Caribbean"),
            ("MWBA", "White and Black African"),
            ("MWAS", "White and Asian"),
            ("MOTH", "Any other mixed background"),
            ("AIND", "Indian"),
            ("APKN", "Pakistani"),
            ("ABAN", "Bangladeshi"),
            ("AOTH", "Any other Asian background"),
            ("BCRB", "Caribbean"),
            ("BAFR", "African"),
            ("BOTH", "Any other Black background"),
            ("CHNE", "Chinese"),
            ("OOTH", "Any other ethnic group"),
            ("REFU", "Refused"),
            ("NOBT", "Information not yet obtained"),
        ),
    ),
    # Letters are not accepted alone: they moved when 5D (early help) was added.
    "contact_source": (
        "Contact or referral source",
        _plain(
            ("1A", "Individual - family member/relative/carer"),
            ("1B", "Individual - acquaintance (including neighbours and child minders)"),
            ("1C", "Individual - self"),
            ("1D", "Individual - other (including strangers, MPs)"),
            ("2A", "Schools"),
            ("2B", "Education services"),
            ("3A", "Health services - GP"),
            ("3B", "Health services - health visitor"),
            ("3C", "Health services - school nurse"),
            ("3D", "Health services - other primary health services"),
            ("3E", "Health services - A&E (emergency department)"),
            ("3F", "Health services - other"),
            ("4", "Housing (LA housing or housing association)", ("housing",)),
            ("5A", "LA services - social care"),
            ("5B", "LA services - other internal"),
            ("5C", "LA services - external"),
            ("5D", "LA services - early help", ("early help",)),
            ("6", "Police", ("police",)),
            ("7", "Other legal agency", ("other legal agency",)),
            ("8", "Other", ("other",)),
            ("9", "Anonymous", ("anonymous",)),
            ("10", "Unknown", ("unknown",)),
        ),
    ),
    "yes_no": ("Yes/No", _lettered(_YES, _NO)),
    "yes_no_unknown": (
        "Yes/No/Unknown",
        _lettered(_YES, _NO, ("U", "Unknown", ("not known", "u"))),
    ),
    "category_of_abuse": (
        "Category of abuse",
        _lettered(
            ("NEG", "Neglect"),
            ("PHY", "Physical abuse", ("physical",)),
            ("SAB", "Sexual abuse", ("sexual",)),
            ("EMO", "Emotional abuse", ("emotional",)),
            ("MUL", "Multiple/not recommended", ("multiple",)),
        ),
    ),
    "primary_need": (
        "Primary need",
        _plain(
            ("N0", "Not stated"),
            ("N1", "Abuse or neglect"),
            ("N2", "Child's disability or illness"),
            ("N3", "Parental disability or illness"),
            ("N4", "Family in acute stress"),
            ("N5", "Family dysfunction"),
            ("N6", "Socially unacceptable behaviour"),
            ("N7", "Low income"),
            ("N8", "Absent parenting"),
            ("N9", "Cases other than children in need"),
        ),
    ),
    "cin_closure_reason": (
        "Reason for CIN closure",
        _plain(
            ("RC1", "Adopted"),
            ("RC2", "Died"),
            ("RC3", "Child arrangements order"),
            ("RC4", "Special guardianship order"),
            ("RC5", "Transferred to services of another local authority"),
            ("RC6", "Transferred to adult social care services"),
            ("RC7", "Services ceased for any other reason, including child no longer in need"),
            ("RC8", "Case closed after assessment, no further action"),
            ("RC9", "Case closed after assessment, referred to early help"),
        ),
    ),
    "case_status": (
        "Case status",
        _lettered(
            ("LAC", "Looked after child"),
            ("CP_PLAN", "Child Protection plan"),
            ("CIN_PLAN", "Child in need plan"),
            ("OPEN_ASSESSMENT", "Open assessment"),
            ("CLOSED", "Closed episode"),
        ),
    ),
    "legal_status": (
        "Legal status",
        _plain(
            ("C1", "Interim care order", ("ico",)),
            ("C2", "Full care order", ("fco",)),
            ("D1", "Freeing order granted"),
            ("E1", "Placement order granted", ("placement order",)),
            ("V2", "Single period of accommodation under section 20"),
            ("V3", "Accommodated under an agreed series of short-term breaks (episodes recorded)"),
            (
                "V4",
                "Accommodated under an agreed series of short-term breaks (agreements recorded)",
            ),
            ("L1", "Under police protection and in local authority accommodation"),
            ("L2", "Emergency protection order", ("epo",)),
            ("L3", "Under child assessment order and in local authority accommodation"),
            ("J1", "Remanded to local authority accommodation or youth detention accommodation"),
            ("J2", "Placed in local authority accommodation under PACE"),
            ("J3", "Sentenced to youth rehabilitation order with residence requirement"),
        ),
    ),
    "permanence_plan": (
        "Permanence plan",
        _lettered(
            ("RETURN_TO_FAMILY", "Return to family"),
            ("ADOPTION", "Adoption"),
            ("SGO_CAO", "SGO/CAO", ("sgo", "cao", "special guardianship order")),
            ("SUPPORTED_LIVING", "Supported living in the community"),
            ("LT_RESIDENTIAL", "Long-term residential placement"),
            ("LT_FOSTERING", "Long-term fostering"),
            ("OTHER", "Other"),
        ),
    ),
    "placement_type": (
        "Placement type",
        _plain(
            ("A3", "Placed for adoption with consent with current foster carer(s)"),
            ("A4", "Placed for adoption with consent not with current foster carer(s)"),
            ("A5", "Placed for adoption with placement order with current foster carer(s)"),
            ("A6", "Placed for adoption with placement order not with current foster carer(s)"),
            ("H5", "Semi-independent/supported accommodation"),
            ("K1", "Secure children's home"),
            ("K2", "Children's home"),
            ("P1", "Placed with own parent(s) or other person(s) with parental responsibility"),
            ("P2", "Independent living"),
            ("P3", "Residential employment"),
            ("R1", "Residential care home"),
            ("R2", "NHS/health trust or other establishment providing medical or nursing care"),
            ("R3", "Family centre or mother and baby unit"),
            ("R5", "Young offender institution"),
            ("S1", "Residential school"),
            ("T0", "Temporary move"),
            ("T1", "Temporary period in hospital"),
            ("T2", "Temporary absence on holiday"),
            ("T3", "Temporary accommodation while foster carer(s) on holiday"),
            ("T4", "Temporary accommodation of seven days or less"),
            ("U1", "Foster placement with relative or friend - long term"),
            ("U2", "Foster placement with relative or friend - FFA/concurrent planning"),
            ("U3", "Foster placement with relative or friend - not long term or FFA"),
            ("U4", "Foster placement with other foster carer - long term"),
            ("U5", "Foster placement with other foster carer - FFA/concurrent planning"),
            ("U6", "Foster placement with other foster carer - not long term or FFA"),
            ("Z1", "Other placement"),
        ),
    ),
    "placement_provider": (
        "Placement provider",
        _plain(
            ("PR0", "Parent(s) or other person(s) with parental responsibility"),
            ("PR1", "Own provision (by the LA)"),
            ("PR2", "Other LA provision"),
            ("PR3", "Other public provision"),
            ("PR4", "Private provision"),
            ("PR5", "Voluntary/third sector provision"),
        ),
    ),
    "placement_location": (
        "Placement location",
        _lettered(
            ("IN", "In (inside the LA boundary)", ("inside",)),
            ("OUT", "Out (outside the LA boundary)", ("outside",)),
        ),
    ),
    "reason_ceased": (
        "Reason ceased to be looked after",
        _plain(
            ("E11", "Adopted - application unopposed"),
            ("E12", "Adopted - consent dispensed with by the court"),
            ("E2", "Died"),
            ("E3", "Care taken over by another LA in the UK"),
            ("E4A", "Returned home as part of the care planning process"),
            ("E4B", "Returned home not as part of the care planning process"),
            (
                "E13",
                "Left care to live with parent(s) or relative(s) with no parental responsibility",
            ),
            ("E41", "Residence order or child arrangements order granted"),
            ("E45", "Special guardianship order - former foster carer(s), relative/friend"),
            ("E46", "Special guardianship order - former foster carer(s), not relative/friend"),
            ("E47", "Special guardianship order - other carer(s), relative/friend"),
            ("E48", "Special guardianship order - other carer(s), not relative/friend"),
            ("E5", "Moved into independent living with supportive accommodation"),
            ("E6", "Moved into independent living with no formalised support"),
            ("E7", "Transferred to residential care funded by adult social services"),
            ("E8", "Ceased for any other reason"),
            ("E9", "Sentenced to custody"),
            ("E14", "Accommodation on remand ended"),
            ("E15", "Age assessment determined child is 18 or over"),
            ("E16", "Child moved abroad"),
            ("E17", "Aged 18 or over and remained with current carers (staying put)"),
        ),
    ),
    "care_leaver_eligibility": (
        "Care leaver eligibility",
        _lettered(
            ("RELEVANT", "Relevant child"),
            ("FORMER_RELEVANT", "Former relevant child"),
            ("QUALIFYING", "Qualifying care leaver"),
        ),
    ),
    "la_in_touch": (
        "LA in touch",
        _lettered(
            ("YES", "Yes", ("y",)),
            ("NO", "No", ("n",)),
            ("DIED", "Died"),
            ("REFU", "Young person refuses contact", ("refused",)),
            ("NREQ", "No longer requires services"),
            ("RHOM", "Returned home", ("returned home",)),
        ),
    ),
    "accommodation_type": (
        "Type of accommodation",
        _plain(
            ("B", "With parents or relatives"),
            ("C", "Community home or other residential care"),
            ("D", "Semi-independent, transitional accommodation"),
            ("E", "Supported lodgings"),
            ("G", "Gone abroad"),
            ("H", "Deported"),
            ("K", "Ordinary lodgings, without formal support"),
            ("R", "Residence not known"),
            ("S", "No fixed abode/homeless"),
            ("T", "Foyers and similar supported accommodation"),
            ("U", "Independent living"),
            ("V", "Emergency accommodation"),
            ("W", "Bed and breakfast"),
            ("X", "In custody"),
            ("Y", "Other accommodation"),
            ("Z", "With former foster carers"),
        ),
    ),
    "accommodation_suitability": (
        "Suitability of accommodation",
        _lettered(
            ("SUITABLE", "Suitable"),
            ("UNSUITABLE", "Unsuitable", ("not suitable",)),
        ),
    ),
    "activity_status": (
        "Activity status",
        _plain(
            ("F1", "Full time in higher education"),
            ("P1", "Part time in higher education"),
            ("F2", "Full time in education other than higher"),
            ("P2", "Part time in education other than higher"),
            ("F3", "Full time in training or employment"),
            ("P3", "Part time in training or employment"),
            ("G4", "Not in education, employment or training - illness or disability"),
            ("G5", "Not in education, employment or training - other"),
            ("G6", "Not in education, employment or training - pregnancy or parenting"),
        ),
    ),
    "adoption_stopped_reason": (
        "Reason child no longer placed for adoption",
        _plain(
            ("RD1", "The child's needs changed"),
            ("RD2", "The court did not make a placement order"),
            ("RD3", "Prospective adopters could not be found"),
            ("RD4", "Any other reason"),
        ),
    ),
}

CODE_LISTS: dict[str, dict[str, str]] = {
    name: {entry.code: entry.label for entry in entries}
    for name, (_title, entries) in _ENTRIES.items()
}
CODE_LIST_TITLES: dict[str, str] = {name: title for name, (title, _e) in _ENTRIES.items()}

_LETTER_PREFIX = re.compile(r"^\(?([a-z])\)\s*(.*)$")
# "C2: FCO", "N1 - Abuse or Neglect", "6: Police", "PR4 - Private provision", "F1 Full time".
_LEADING_CODE = re.compile(r"^([a-z0-9_]{1,16})\s*(?:[:\-]|\s)\s*\S")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'"})


def _key(text: str) -> str:
    """Comparison key: case-, dash-style- and spacing-insensitive."""
    return " ".join(text.translate(_DASHES).replace("\xa0", " ").split()).casefold()


def _build_index(entries: list[_Entry]) -> tuple[dict[str, str], dict[str, str], set[str]]:
    by_text: dict[str, str] = {}
    for entry in entries:
        for text in (entry.code, entry.label, *entry.aliases):
            by_text.setdefault(_key(text), entry.code)
    by_letter = {entry.letter: entry.code for entry in entries if entry.letter}
    codes = {_key(entry.code) for entry in entries}
    return by_text, by_letter, codes


_INDEX = {name: _build_index(entries) for name, (_title, entries) in _ENTRIES.items()}


def label_for(list_name: str, code: str | None) -> str:
    """The label to show for a stored code ('' for None, the code itself if unknown)."""
    if code is None:
        return ""
    return CODE_LISTS[list_name].get(code, code)


def _describe_allowed(list_name: str) -> str:
    entries = _ENTRIES[list_name][1]
    if len(entries) <= 12:
        return "; ".join(f"{entry.code} ({entry.label})" for entry in entries)
    return ", ".join(entry.code for entry in entries)


def _as_text(raw: object) -> str:
    # Numeric cells hold codes like 6 (police) or 1 as 6.0; booleans are Excel TRUE/FALSE.
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def _match(text: str, by_text: dict[str, str], codes: set[str]) -> str | None:
    if text in by_text:
        return by_text[text]
    leading = _LEADING_CODE.match(text)
    if leading and leading.group(1) in codes:
        return by_text[leading.group(1)]
    return None


def parse_code(list_name: str, raw: object) -> str | None:
    """Return the canonical code for ``raw`` from list ``list_name``; blank gives None.

    Raises CodeError (listing the allowed values) when the value is not in the list, and
    KeyError when ``list_name`` is not a known code list (a programming error).
    """
    if raw is None:
        return None
    return _parse_text(list_name, _as_text(raw))


# Coded columns repeat a handful of values down thousands of rows.
@functools.lru_cache(maxsize=4096)
def _parse_text(list_name: str, original: str) -> str | None:
    by_text, by_letter, codes = _INDEX[list_name]
    text = _key(original)
    if not text:
        return None
    found = _match(text, by_text, codes)
    if found is None:
        prefixed = _LETTER_PREFIX.match(text)
        if prefixed:
            letter, rest = prefixed.groups()
            if rest:
                found = _match(rest, by_text, codes)
            elif letter in by_letter:
                found = by_letter[letter]
    if found is None:
        title = CODE_LIST_TITLES[list_name]
        raise CodeError(
            f"'{original.strip()}' is not a recognised {title} value. "
            f"Allowed: {_describe_allowed(list_name)}."
        )
    return found
