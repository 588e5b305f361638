"""Which of V3's constraints an older model was already bound by.

A model upgraded from V2.0.1 (or V1.0) is checked as the V3 model it became. Where V3 has a
constraint that V2.0.1 did not, a model that was valid V2 can break it only because it was
upgraded: such a finding is not the input's error but a consequence of the upgrade, reported
as ``v2:upgrade-constraint`` (a warning) with the V3 rule's id in its message. Where V2.0.1 had
the same rule (under its own number), the finding stays the V3 rule's error, and its message
names the V2.0.1 rule too.

The facts, as V2.0.1 ("Details of the Asset Administration Shell, Part 1", V2.0.1, its
constraints on concept descriptions using the IEC 61360 template, AASd-070 to AASd-076) states
them, against V3.0/V3.1 (IDTA-01003-a, AASc-3a-00x; V3.1 numbers them AASc-00x):

- V2.0.1 had: a preferred name in English (AASd-076, V3's AASc-3a-002), a data type for the
  categories PROPERTY and VALUE (AASd-070, V3's AASc-3a-004), a data type for QUALIFIER
  (AASd-073, V3's AASc-3a-007), a definition in English but for the category VALUE (AASd-074,
  V3's AASc-3a-008), a revision only with a version (AASd-005 in both).
- V2.0.1 did not have: V3's data types for REFERENCE (AASc-3a-005: V2's AASd-071 only names
  STRING as the default), a unit for measures and currencies (AASc-3a-009), a value and a value
  list never both (AASc-3a-010; the upgrade keeps the list and reports the value as not
  carried, so this one does not arise from V2 input).
- V2.0.1 had a rule V3 changed: the data type of a DOCUMENT concept was STRING or URL
  (AASd-072), V3 wants FILE, BLOB or HTML (AASc-3a-006). The upgrade chooses FILE for STRING
  and URL (``v2:invented``); any other data type broke V2's rule already and stays an error.
- V2.0.1's exception to the English definition is the category VALUE; V3's is a concept
  description that holds a value. A V2 concept description of category VALUE without a
  definition and without a value breaks AASc-3a-008 only because it was upgraded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from aas.findings import Finding, Location

#: The rule of a constraint V3 has and V2.0.1 did not, met by the upgraded model.
UPGRADE_CONSTRAINT = "v2:upgrade-constraint"

#: The IEC 61360 constraints by number (V3.0 writes "AASc-3a-009", V3.1 "AASc-009").
_IEC61360 = re.compile(r"AASc-(?:3a-)?(\d{3})")

#: V3's IEC 61360 constraints (by number) that V2.0.1 did not have.
_NEW_IN_V3 = frozenset({"005", "009", "010"})

#: V3's IEC 61360 constraints (by number) V2.0.1 had, with V2.0.1's number.
_IN_V2 = {
    "002": "AASd-076",
    "004": "AASd-070",
    "006": "AASd-072",
    "007": "AASd-073",
    "008": "AASd-074",
}


def judged(finding: Finding, category_at: Callable[[Location], str | None]) -> Finding:
    """A check's finding on an upgraded model, as it reads for the V2 input. ``category_at``
    gives the category of the concept description a finding's location names (asked only for
    the English definition, whose exception changed)."""
    match = _IEC61360.fullmatch(finding.rule)
    if match is None:
        return finding
    number = match.group(1)
    if number in _NEW_IN_V3 or (number == "008" and category_at(finding.location) == "VALUE"):
        return Finding.of(
            UPGRADE_CONSTRAINT,
            f"the upgraded model breaks {finding.rule}, a constraint V2.0.1 did not have as "
            f"V3 has it (not an error of the V2 model; to be fixed before the model is used "
            f"as V3): {finding.message}",
            finding.location,
        )
    older = _IN_V2.get(number)
    if older is None:
        return finding
    return replace(finding, message=f"{finding.message} (V2.0.1 had this rule too: {older})")
