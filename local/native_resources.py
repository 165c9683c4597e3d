"""The template's native resources, made the way CloudFormation makes them, against the local endpoint.

Property values come from the template itself (after intrinsic functions), and
are converted to the API's types with the service model, just as CloudFormation
turns "60" into 60 for an integer property.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.model import Shape


@dataclass
class ProvisionedResource:
    logical_id: str
    resource_type: str
    physical_id: str
    attributes: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)
    nested_stack: Any = None  # the child LocalStack of a nested application


def to_api_types(value: Any, shape: Shape | None) -> Any:
    """Convert a CloudFormation value to what the API shape expects (strings to ints, bools...)."""
    if shape is None:
        return value
    if shape.type_name in ("integer", "long") and isinstance(value, str):
        return int(value)
    if shape.type_name == "boolean" and isinstance(value, str):
        return value.lower() == "true"
    if shape.type_name == "list" and isinstance(value, list):
        return [to_api_types(item, shape.member) for item in value]  # type: ignore[attr-defined]
    if shape.type_name == "structure" and isinstance(value, dict):
        members = shape.members  # type: ignore[attr-defined]
        return {key: to_api_types(item, members.get(key)) for key, item in value.items() if key in members}
    return value


class CognitoProvisioner:
    """AWS::Cognito::UserPool and AWS::Cognito::UserPoolClient."""

    def __init__(self, cognito: Any, account_id: str, region: str) -> None:
        self._cognito = cognito
        self._account_id = account_id
        self._region = region

    def _request(self, operation: str, properties: dict[str, Any]) -> dict[str, Any]:
        shape = self._cognito.meta.service_model.operation_model(operation).input_shape
        converted: dict[str, Any] = to_api_types(properties, shape)
        return converted

    def create_user_pool(self, logical_id: str, properties: dict[str, Any]) -> ProvisionedResource:
        request = self._request(
            "CreateUserPool", {"PoolName": properties.get("UserPoolName", logical_id), **properties}
        )
        pool = self._cognito.create_user_pool(**request)["UserPool"]
        return ProvisionedResource(
            logical_id,
            "AWS::Cognito::UserPool",
            pool["Id"],
            {
                "Arn": pool["Arn"],
                "UserPoolId": pool["Id"],
                "ProviderName": f"cognito-idp.{self._region}.amazonaws.com/{pool['Id']}",
                "ProviderURL": f"https://cognito-idp.{self._region}.amazonaws.com/{pool['Id']}",
            },
        )

    def delete_user_pool(self, user_pool_id: str) -> None:
        self._cognito.delete_user_pool(UserPoolId=user_pool_id)

    def create_user_pool_client(self, logical_id: str, properties: dict[str, Any]) -> ProvisionedResource:
        # CloudFormation names a client itself when ClientName is left out.
        request = self._request("CreateUserPoolClient", {"ClientName": logical_id, **properties})
        client = self._cognito.create_user_pool_client(**request)["UserPoolClient"]
        return ProvisionedResource(
            logical_id,
            "AWS::Cognito::UserPoolClient",
            client["ClientId"],
            {"ClientId": client["ClientId"], "Name": client.get("ClientName", "")},
            properties,
        )

    def delete_user_pool_client(self, user_pool_id: str, client_id: str) -> None:
        self._cognito.delete_user_pool_client(UserPoolId=user_pool_id, ClientId=client_id)


class Route53Provisioner:
    """AWS::Route53::RecordSet (simple records and aliases), as CloudFormation writes them."""

    def __init__(self, route53: Any) -> None:
        self._route53 = route53

    def _change(self, action: str, properties: dict[str, Any]) -> None:
        shape = self._route53.meta.service_model.shape_for("ResourceRecordSet")
        record = to_api_types({k: v for k, v in properties.items() if k != "HostedZoneId"}, shape)
        if "TTL" in properties:
            record["TTL"] = int(properties["TTL"])
        if "ResourceRecords" in properties:
            record["ResourceRecords"] = [{"Value": str(value)} for value in properties["ResourceRecords"]]
        self._route53.change_resource_record_sets(
            HostedZoneId=properties["HostedZoneId"],
            ChangeBatch={"Changes": [{"Action": action, "ResourceRecordSet": record}]},
        )

    def create_record_set(self, logical_id: str, properties: dict[str, Any]) -> ProvisionedResource:
        self._change("CREATE", properties)
        # CloudFormation's physical id of a record set is its name.
        return ProvisionedResource(logical_id, "AWS::Route53::RecordSet", str(properties["Name"]), {}, properties)

    def delete_record_set(self, resource: ProvisionedResource) -> None:
        self._change("DELETE", resource.properties)


def function_arn(region: str, account_id: str, name: str) -> str:
    return f"arn:aws:lambda:{region}:{account_id}:function:{name}"


Creator = Callable[[str, dict[str, Any]], ProvisionedResource]
