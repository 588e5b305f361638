"""Convert every AAS JSON file in a folder to AAS XML next to it, printing the findings.

Shows ``aas.convert`` and its ``ConversionResult``; JSON carries no metamodel version,
so V3.1 is named explicitly:

    python examples/convert_all.py examples/motor
"""

import sys
from pathlib import Path

import aas

folder = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
for source in sorted(folder.glob("*.json")):
    target = source.with_suffix(".xml")
    result = aas.convert(source, target, version="3.1")
    print(f"{source} -> {target} (V{result.target_version}, {len(result.findings)} finding(s))")
    for finding in result.findings:
        print(f"    {finding}")
