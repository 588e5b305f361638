"""Show what a model file holds: load it, count shells and submodels, list the findings.

Shows ``aas.load`` and the ``Model`` it returns (``version``, ``root``, ``findings``):

    python examples/inspect_model.py examples/motor/motor.json
"""

import sys

import aas

if len(sys.argv) != 2:
    sys.exit(__doc__)
try:
    model = aas.load(sys.argv[1])
except aas.AasError as error:  # input that cannot be read as a model at all
    sys.exit(str(error))
env = model.root
print(f"{model.source}: AAS V{model.version}, {model.class_name}")
if model.is_environment:
    shells = env.asset_administration_shells or []
    submodels = env.submodels or []
    print(f"  {len(shells)} shell(s), {len(submodels)} submodel(s)")
    for submodel in submodels:
        elements = submodel.submodel_elements or []
        print(f"    {submodel.id_short}: {len(elements)} element(s)")
print(f"  {len(model.findings)} finding(s)")
for finding in model.findings:
    print(f"    {finding}")
