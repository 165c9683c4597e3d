"""cfn-lint rule E9101: this project's ``Custom::`` types checked against their schemas.

cfn-lint checks a ``Custom::...`` resource against the generic custom resource
schema, which allows any property, and it does not use a registry schema
(``--registry-schemas``) for a ``Custom::`` name: ``get_resource_schemas_by_regions``
maps every ``Custom::`` type to ``AWS::CloudFormation::CustomResource`` first
(cfnlint/schema/manager.py, cfn-lint 1.58.0). So this rule, loaded through
``.cfnlintrc``'s ``append_rules``, validates the properties of the types whose schemas
are in ``../schemas/`` (written by scripts/resource_schemas.py) with cfn-lint's own
JSON-schema validator, as rule E3002 does for AWS types: intrinsic functions such as
``!Ref`` to a CommaDelimitedList parameter are resolved the same way.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from cfnlint.helpers import FUNCTIONS
from cfnlint.jsonschema import ValidationError, Validator
from cfnlint.rules.jsonschema.CfnLintJsonSchema import CfnLintJsonSchema

SCHEMAS = {
    schema["typeName"]: schema
    for schema in (
        json.loads(path.read_text()) for path in sorted((Path(__file__).parents[1] / "schemas").glob("*.json"))
    )
}


class CustomTypeProperties(CfnLintJsonSchema):
    id = "E9101"
    shortdesc = "Properties of this project's Custom:: types"
    description = (
        "Unknown, missing, mistyped or not-allowed properties of Custom::CognitoUserPoolDomain, "
        "Custom::CognitoUserPoolClientSettings and Custom::CognitoDomainCertificate (cfn-lint/schemas/)"
    )
    source_url = "https://github.com/aws-cloudformation/cfn-lint/blob/main/docs/getting_started/rules.md"
    tags: ClassVar[list[str]] = ["resources", "custom"]

    def __init__(self) -> None:
        super().__init__(keywords=["Resources/*"], all_matches=True)

    def validate(self, validator: Validator, _: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
        if not validator.is_type(instance, "object"):
            return
        resource_schema = SCHEMAS.get(instance.get("Type"))  # type: ignore[arg-type]
        properties = instance.get("Properties", {})
        if resource_schema is None or not validator.is_type(properties, "object"):
            return
        checking = validator.evolve(
            context=validator.context.evolve(
                functions=list(FUNCTIONS),
                strict_types=False,
                path=validator.context.path.evolve(
                    cfn_path=deque(["Resources", instance["Type"], "Properties"])
                ).descend(path="Properties"),
            ),
        )
        checking = self.extend_validator(checking, resource_schema, checking.context.evolve())
        for error in self._iter_errors(checking, properties):
            error.path.appendleft("Properties")
            yield error
