"""The patterns of the metamodel's constrained string types, written by this project.

Each is built from the grammar it implements (the XML ``Char`` production, RFC 5646 for language
tags, RFC 7231 for media types, RFC 2396 for paths, XSD 1.1 for dates and durations) and written
over code points: characters outside the Basic Multilingual Plane are single characters here, so
a valid text holding an emoji matches (the official JSON Schemas write these ranges as UTF-16
surrogate pairs, which Python's and Rust's regex engines never see in text).

The patterns use only what JSON Schema engines (Rust ``regex``, Python ``re``) and XSD regular
expressions share: no anchors (``json_pattern`` adds them), no non-capturing groups, no
lookaround. The keys are the names of the ``matches_*`` checks of aas-core's verification, so
``aas.metamodel.verification_facts`` can tell which pattern a constrained type has.
"""

from __future__ import annotations

from aas.versions import Version

# region XML characters

#: The XML 1.0 Char production: tab, newline, carriage return, and everything from the space on
#: except the surrogates and U+FFFE/U+FFFF. Written as real code points.
XML_CHAR = "[\t\n\r -\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"

# endregion

# region dates and durations (XSD 1.1 Part 2)

_YEAR = "-?([1-9][0-9]{3,}|0[0-9]{3})"
_MONTH = "(0[1-9]|1[0-2])"
_DAY = "(0[1-9]|[12][0-9]|3[01])"
_TIME = "(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?|24:00:00(\\.0+)?)"
#: xs:dateTime whose time zone is UTC (``Z``, ``+00:00`` or ``-00:00``)
DATE_TIME_UTC = f"{_YEAR}-{_MONTH}-{_DAY}T{_TIME}(Z|\\+00:00|-00:00)"

_SECONDS = "[0-9]+(\\.[0-9]+)?S"
_TIME_PART = f"T(([0-9]+H)([0-9]+M)?({_SECONDS})?|([0-9]+M)({_SECONDS})?|{_SECONDS})"
_DATE_PART = "([0-9]+Y([0-9]+M)?([0-9]+D)?|[0-9]+M([0-9]+D)?|[0-9]+D)"
#: xs:duration: at least one field, and a T only when a time field follows it
DURATION = f"-?P({_DATE_PART}({_TIME_PART})?|{_TIME_PART})"

# endregion

# region media types (RFC 7231, section 3.1.1.1)

_TCHAR = "[!#$%&'*+\\-.^_`|~0-9a-zA-Z]"
_TOKEN = f"{_TCHAR}+"
_QDTEXT = "[\t !#-\\[\\]-~\u0080-\u00ff]"
_QUOTED_PAIR = "\\\\[\t !-~\u0080-\u00ff]"
_QUOTED_STRING = f'"({_QDTEXT}|{_QUOTED_PAIR})*"'
_PARAMETER = f"{_TOKEN}=({_TOKEN}|{_QUOTED_STRING})"
MIME_TYPE = f"{_TOKEN}/{_TOKEN}([ \t]*;[ \t]*{_PARAMETER})*"

# endregion

# region language tags (RFC 5646, section 2.1)

_ALPHANUM = "[a-zA-Z0-9]"
_EXTLANG = "[a-zA-Z]{3}(-[a-zA-Z]{3}){0,2}"
_LANGUAGE = f"([a-zA-Z]{{2,3}}(-{_EXTLANG})?|[a-zA-Z]{{4}}|[a-zA-Z]{{5,8}})"
_SCRIPT = "[a-zA-Z]{4}"
_REGION = "([a-zA-Z]{2}|[0-9]{3})"
_VARIANT = f"({_ALPHANUM}{{5,8}}|[0-9]{_ALPHANUM}{{3}})"
_SINGLETON = "[0-9A-WY-Za-wy-z]"
_EXTENSION = f"{_SINGLETON}(-{_ALPHANUM}{{2,8}})+"
_PRIVATE_USE = f"[xX](-{_ALPHANUM}{{1,8}})+"
_LANGTAG = f"{_LANGUAGE}(-{_SCRIPT})?(-{_REGION})?(-{_VARIANT})*(-{_EXTENSION})*(-{_PRIVATE_USE})?"
_IRREGULAR = (
    "en-GB-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo"
    "|i-pwn|i-tao|i-tay|i-tsu|sgn-BE-FR|sgn-BE-NL|sgn-CH-DE"
)
_REGULAR = "art-lojban|cel-gaulish|no-bok|no-nyn|zh-guoyu|zh-hakka|zh-min|zh-min-nan|zh-xiang"
BCP_47 = f"({_LANGTAG}|{_PRIVATE_USE}|{_IRREGULAR}|{_REGULAR})"

# endregion

# region URI references (RFC 2396)
#
# RFC 2396 as published: no IPv6 literals in brackets (RFC 2732 amended that later), which is
# what the official schemas and aas-core check for paths.

_HEX = "[0-9A-Fa-f]"
_ESCAPED = f"%{_HEX}{_HEX}"
_UNRESERVED = "[a-zA-Z0-9\\-_.!~*'()]"
_RESERVED = "[;/?:@&=+$,]"
_URIC = f"({_RESERVED}|{_UNRESERVED}|{_ESCAPED})"
_PCHAR = f"({_UNRESERVED}|{_ESCAPED}|[:@&=+$,])"
_SEGMENT = f"{_PCHAR}*(;{_PCHAR}*)*"
_PATH_SEGMENTS = f"{_SEGMENT}(/{_SEGMENT})*"
_ABS_PATH = f"/{_PATH_SEGMENTS}"
_SCHEME = "[a-zA-Z][a-zA-Z0-9+\\-.]*"
_USERINFO = f"({_UNRESERVED}|{_ESCAPED}|[;:&=+$,])*"
_DOMAINLABEL = "([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]*[a-zA-Z0-9])"
_TOPLABEL = "([a-zA-Z]|[a-zA-Z][a-zA-Z0-9\\-]*[a-zA-Z0-9])"
_HOSTNAME = f"({_DOMAINLABEL}\\.)*{_TOPLABEL}\\.?"
_IPV4 = "[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+"
_HOST = f"({_HOSTNAME}|{_IPV4})"
_SERVER = f"(({_USERINFO}@)?{_HOST}(:[0-9]*)?)?"
_REG_NAME = f"({_UNRESERVED}|{_ESCAPED}|[$,;:@&=+])+"
_AUTHORITY = f"({_SERVER}|{_REG_NAME})"
_NET_PATH = f"//{_AUTHORITY}({_ABS_PATH})?"
_QUERY = f"{_URIC}*"
_HIER_PART = f"({_NET_PATH}|{_ABS_PATH})(\\?{_QUERY})?"
_URIC_NO_SLASH = f"({_UNRESERVED}|{_ESCAPED}|[;?:@&=+$,])"
_OPAQUE_PART = f"{_URIC_NO_SLASH}{_URIC}*"
_ABSOLUTE_URI = f"{_SCHEME}:({_HIER_PART}|{_OPAQUE_PART})"
_REL_SEGMENT = f"({_UNRESERVED}|{_ESCAPED}|[;@&=+$,])+"
_REL_PATH = f"{_REL_SEGMENT}({_ABS_PATH})?"
_RELATIVE_URI = f"({_NET_PATH}|{_ABS_PATH}|{_REL_PATH})(\\?{_QUERY})?"
RFC_2396 = f"({_ABSOLUTE_URI}|{_RELATIVE_URI})?(#{_URIC}*)?"

# endregion

#: idShort: a letter, then letters, digits and underscores (V3.0); V3.1 also allows hyphens
#: inside, and needs at least two characters, not ending with a hyphen.
ID_SHORT = {
    Version.V3_0: "[a-zA-Z][a-zA-Z0-9_]*",
    Version.V3_1: "[a-zA-Z][a-zA-Z0-9_\\-]*[a-zA-Z0-9_]+",
}

#: Version and revision of administrative information: a number without leading zeros.
NUMBER_WITHOUT_LEADING_ZERO = "(0|[1-9][0-9]*)"


def pattern(name: str, version: Version) -> str:
    """The pattern (unanchored) of the check aas-core calls ``matches_<name>``."""
    if name == "id_short":
        return ID_SHORT[version]
    return _PATTERNS[name]


_PATTERNS = {
    "xml_serializable_string": f"{XML_CHAR}*",
    "xs_date_time_utc": DATE_TIME_UTC,
    "xs_duration": DURATION,
    "mime_type": MIME_TYPE,
    "bcp_47": BCP_47,
    "rfc_2396": RFC_2396,
    "version_type": NUMBER_WITHOUT_LEADING_ZERO,
    "revision_type": NUMBER_WITHOUT_LEADING_ZERO,
}


def json_pattern(name: str, version: Version) -> str:
    """The pattern anchored at both ends, as JSON Schema's ``pattern`` searches."""
    return f"^{pattern(name, version)}$"
