"""Countries: ISO 3166 alpha-2 codes from Dandomain's shop-specific ids or localised names."""

import re

from autobook.domain.order import Party

# EU member states (2026). Greenland, the Faroe Islands and Åland are outside the EU VAT area.
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DE",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)

_NAMES: dict[str, tuple[str, ...]] = {
    "DK": ("danmark", "denmark", "dänemark"),
    "DE": ("tyskland", "germany", "deutschland"),
    "SE": ("sverige", "sweden"),
    "NO": ("norge", "norway", "noreg"),
    "FI": ("finland", "suomi"),
    "IS": ("island", "iceland"),
    "GL": ("grønland", "greenland", "kalaallit nunaat"),
    "FO": ("færøerne", "faroe islands", "faroe", "føroyar", "faeroe islands"),
    "AX": ("åland", "aland", "ålandsøerne", "aland islands"),
    "BE": ("belgien", "belgium", "belgique", "belgië"),
    "NL": ("holland", "nederlandene", "netherlands", "the netherlands", "nederland"),
    "LU": ("luxembourg", "luxemburg"),
    "FR": ("frankrig", "france"),
    "ES": ("spanien", "spain", "españa"),
    "PT": ("portugal",),
    "IT": ("italien", "italy", "italia"),
    "AT": ("østrig", "austria", "österreich"),
    "CH": ("schweiz", "switzerland", "suisse", "svejts"),
    "LI": ("liechtenstein",),
    "PL": ("polen", "poland", "polska"),
    "CZ": ("tjekkiet", "czech republic", "czechia", "tjekkiske republik"),
    "SK": ("slovakiet", "slovakia"),
    "SI": ("slovenien", "slovenia"),
    "HU": ("ungarn", "hungary"),
    "RO": ("rumænien", "romania"),
    "BG": ("bulgarien", "bulgaria"),
    "HR": ("kroatien", "croatia"),
    "GR": ("grækenland", "greece"),
    "CY": ("cypern", "cyprus"),
    "MT": ("malta",),
    "EE": ("estland", "estonia"),
    "LV": ("letland", "latvia"),
    "LT": ("litauen", "lithuania"),
    "IE": ("irland", "ireland", "eire"),
    "GB": (
        "storbritannien",
        "united kingdom",
        "great britain",
        "england",
        "skotland",
        "scotland",
        "wales",
        "nordirland",
        "northern ireland",
        "uk",
        "det forenede kongerige",
    ),
    "US": ("usa", "united states", "united states of america", "amerika", "forenede stater"),
    "CA": ("canada",),
    "AU": ("australien", "australia"),
    "NZ": ("new zealand", "newzealand"),
    "JP": ("japan",),
    "CN": ("kina", "china"),
    "TR": ("tyrkiet", "turkey", "türkiye"),
    "UA": ("ukraine",),
    "RS": ("serbien", "serbia"),
    "BA": ("bosnien-hercegovina", "bosnia and herzegovina"),
    "AD": ("andorra",),
    "MC": ("monaco",),
    "SM": ("san marino",),
    "IL": ("israel",),
    "AE": ("forenede arabiske emirater", "united arab emirates"),
    "ZA": ("sydafrika", "south africa"),
    "IN": ("indien", "india"),
    "SG": ("singapore",),
    "HK": ("hongkong", "hong kong"),
    "KR": ("sydkorea", "south korea", "korea"),
    "TH": ("thailand",),
    "BR": ("brasilien", "brazil"),
    "MX": ("mexico",),
}

COUNTRY_NAMES: dict[str, str] = {name: iso for iso, names in _NAMES.items() for name in names}
KNOWN_CODES = frozenset(_NAMES)


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace(".", " ")).strip().casefold()


def iso_from_name(name: str) -> str | None:
    """A Danish/English (or native) country name, or an ISO-2 code, to ISO-2; None if unknown."""
    key = _key(name)
    if not key:
        return None
    if len(key) == 2 and key.upper() in KNOWN_CODES:
        return key.upper()
    return COUNTRY_NAMES.get(key)


def resolve_country(party: Party, country_codes: dict[int, str]) -> str | None:
    """The shop's country list first (its ids are shop-specific), then the name."""
    if party.country_id is not None:
        code = country_codes.get(party.country_id, "").strip().upper()
        if len(code) == 2 and code.isalpha():
            return code
    return iso_from_name(party.country)


def has_country(party: Party | None) -> bool:
    return party is not None and (bool(party.country.strip()) or party.country_id is not None)
