"""A small CloudFormation for this machine: enough of the service to bring the template's stack up and down.

It reads the template itself (parameters and their defaults, conditions,
mappings, intrinsic functions, dependencies), creates the native Cognito
resources against the local endpoint, and drives each custom resource through
``src/handler.py`` with real CloudFormation-shaped events, reading each answer
back from a local HTTPS response URL as CloudFormation reads it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

from local.cfn_events import as_cloudformation_sends
from local.cfn_yaml import load_template
from local.intrinsics import ResolutionContext, TemplateError, evaluate_conditions, references, resolve
from local.lambda_context import FakeLambdaContext
from local.native_resources import CognitoProvisioner, ProvisionedResource, Route53Provisioner, function_arn
from local.response_server import ResponseServer

Report = Callable[[str], None]
Invoke = Callable[[dict[str, Any], FakeLambdaContext], None]
PASSIVE_TYPES = {"AWS::Logs::LogGroup", "AWS::IAM::Policy", "AWS::IAM::Role"}


class StackError(Exception):
    """A stack operation failed; the message says which resource and why."""


@dataclass
class LocalStack:
    name: str
    stack_id: str
    template: dict[str, Any]
    template_path: Path
    context: ResolutionContext
    resources: list[ProvisionedResource] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)

    def resource(self, logical_id: str) -> ProvisionedResource:
        return next(r for r in self.resources if r.logical_id == logical_id)


class LocalCloudFormation:
    def __init__(
        self,
        cognito: Any,
        responses: ResponseServer,
        invoke: Invoke,
        region: str = "us-east-1",
        account_id: str = "123456789012",
        report: Report = print,
        route53: Any = None,
    ) -> None:
        self._provisioner = CognitoProvisioner(cognito, account_id, region)
        self._route53 = route53
        self._responses = responses
        self._invoke = invoke
        self._region = region
        self._account_id = account_id
        self._report = report
        self.exports: dict[str, str] = {}
        self._function_timeouts: dict[str, float] = {}

    # --- create -------------------------------------------------------------

    def create_stack(self, name: str, template_path: Path, overrides: dict[str, str] | None = None) -> LocalStack:
        template = load_template(template_path)
        stack_id = f"arn:aws:cloudformation:{self._region}:{self._account_id}:stack/{name}/{uuid.uuid4()}"
        stack = LocalStack(
            name, stack_id, template, template_path, self._context(template, name, stack_id, overrides or {})
        )
        stack.context.attributes = lambda logical_id, attribute: self._attribute(stack, logical_id, attribute)
        evaluate_conditions(template.get("Conditions", {}), stack.context)
        try:
            for logical_id in self._creation_order(template, stack.context):
                self._create_resource(stack, logical_id)
            stack.outputs = self._outputs(stack)
        except Exception as failure:
            self._report(f"  CREATE_FAILED: {failure}; rolling back")
            self.delete_stack(stack)
            raise StackError(str(failure)) from failure
        return stack

    def _context(
        self, template: dict[str, Any], name: str, stack_id: str, overrides: dict[str, str]
    ) -> ResolutionContext:
        parameters: dict[str, Any] = {}
        for key, definition in template.get("Parameters", {}).items():
            raw = str(overrides.get(key, definition.get("Default", "")))
            _check_parameter(key, raw, definition)
            parameters[key] = raw.split(",") if definition["Type"] == "CommaDelimitedList" else raw
        unknown = set(overrides) - set(parameters)
        if unknown:
            raise StackError(f"Unknown parameters: {', '.join(sorted(unknown))}")
        pseudo = {
            "AWS::Region": self._region,
            "AWS::AccountId": self._account_id,
            "AWS::StackName": name,
            "AWS::StackId": stack_id,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }
        return ResolutionContext(parameters, pseudo, template.get("Mappings", {}), imports=self.exports)

    def _creation_order(self, template: dict[str, Any], context: ResolutionContext) -> list[str]:
        resources = template["Resources"]
        active = {name for name, r in resources.items() if context.conditions.get(r.get("Condition", ""), True)}
        graph: dict[str, set[str]] = {}
        for name in sorted(active):
            depends_on = resources[name].get("DependsOn", [])
            explicit = {depends_on} if isinstance(depends_on, str) else set(depends_on)
            graph[name] = (references(resources[name].get("Properties", {})) | explicit) & active
        return list(TopologicalSorter(graph).static_order())

    def _create_resource(self, stack: LocalStack, logical_id: str) -> None:
        definition = stack.template["Resources"][logical_id]
        resource_type = definition["Type"]
        # Roles and policies do nothing locally (and may name resources that SAM
        # generates, such as <Function>Role), so their properties are not resolved.
        raw_properties = definition.get("Properties", {})
        properties = {} if resource_type in PASSIVE_TYPES else resolve(raw_properties, stack.context)
        self._report(f"  CREATE {logical_id} ({resource_type})")
        if resource_type == "AWS::Cognito::UserPool":
            created = self._provisioner.create_user_pool(logical_id, properties)
        elif resource_type == "AWS::Cognito::UserPoolClient":
            created = self._provisioner.create_user_pool_client(logical_id, properties)
        elif resource_type == "AWS::Route53::RecordSet":
            created = self._records().create_record_set(logical_id, properties)
        elif resource_type in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
            created = self._deploy_function(stack, logical_id, properties)
        elif resource_type == "AWS::Serverless::Application":
            created = self._create_nested(stack, logical_id, properties)
        elif resource_type in PASSIVE_TYPES:
            created = ProvisionedResource(logical_id, resource_type, f"{stack.name}-{logical_id}")
        elif resource_type.startswith("Custom::") or resource_type == "AWS::CloudFormation::CustomResource":
            answer = self._send(stack, "Create", logical_id, resource_type, properties)
            self._report(f"    answered SUCCESS, physical id {answer['PhysicalResourceId']}")
            created = ProvisionedResource(
                logical_id, resource_type, answer["PhysicalResourceId"], answer["Data"], properties
            )
        else:
            raise TemplateError(f"{logical_id}: the local engine cannot create {resource_type}")
        created.properties = properties
        stack.resources.append(created)
        stack.context.physical_ids[logical_id] = created.physical_id

    def _create_nested(self, stack: LocalStack, logical_id: str, properties: dict[str, Any]) -> ProvisionedResource:
        """A nested application with a local Location, named as CloudFormation names nested stacks."""
        location = properties.get("Location")
        if not isinstance(location, str):
            raise TemplateError(f"{logical_id}: only a local Location can be created locally")
        path = (stack.template_path.parent / location).resolve()
        parameters = {
            k: ",".join(v) if isinstance(v, list) else str(v) for k, v in properties.get("Parameters", {}).items()
        }
        child_name = f"{stack.name}-{logical_id}-{uuid.uuid4().hex[:12].upper()}"
        self._report(f"    nested stack {child_name} from {location}")
        child = self.create_stack(child_name, path, parameters)
        attributes = {f"Outputs.{name}": value for name, value in child.outputs.items()}
        return ProvisionedResource(
            logical_id, "AWS::Serverless::Application", child.stack_id, attributes, nested_stack=child
        )

    def _deploy_function(self, stack: LocalStack, logical_id: str, properties: dict[str, Any]) -> ProvisionedResource:
        globals_ = stack.template.get("Globals", {}).get("Function", {})
        name = f"{stack.name}-{logical_id}"
        arn = function_arn(self._region, self._account_id, name)
        self._function_timeouts[arn] = float(properties.get("Timeout", globals_.get("Timeout", 3)))
        return ProvisionedResource(logical_id, "AWS::Serverless::Function", name, {"Arn": arn})

    def _attribute(self, stack: LocalStack, logical_id: str, attribute: str) -> Any:
        if logical_id not in stack.context.physical_ids:
            raise TemplateError(f"GetAtt {logical_id}.{attribute} before {logical_id} exists")
        return stack.resource(logical_id).attributes.get(attribute)

    def _outputs(self, stack: LocalStack) -> dict[str, str]:
        outputs: dict[str, str] = {}
        for name, output in stack.template.get("Outputs", {}).items():
            if not stack.context.conditions.get(output.get("Condition", ""), True):
                continue
            outputs[name] = str(resolve(output["Value"], stack.context))
            if "Export" in output:
                self.exports[str(resolve(output["Export"]["Name"], stack.context))] = outputs[name]
        return outputs

    def _records(self) -> Route53Provisioner:
        if self._route53 is None:
            import boto3

            self._route53 = boto3.client("route53", region_name=self._region)
        return Route53Provisioner(self._route53)

    # --- custom resources -----------------------------------------------------

    def _send(
        self,
        stack: LocalStack,
        request_type: str,
        logical_id: str,
        resource_type: str,
        properties: dict[str, Any],
        physical_id: str | None = None,
    ) -> dict[str, Any]:
        token = str(properties.get("ServiceToken", ""))
        if token not in self._function_timeouts:
            raise StackError(f"{logical_id}: ServiceToken {token!r} is not a function of any local stack")
        request_id = str(uuid.uuid4())
        event: dict[str, Any] = {
            "RequestType": request_type,
            "ServiceToken": token,
            "ResponseURL": self._responses.url_for(request_id),
            "StackId": stack.stack_id,
            "RequestId": request_id,
            "LogicalResourceId": logical_id,
            "ResourceType": resource_type,
            "ResourceProperties": as_cloudformation_sends(properties),
        }
        if physical_id is not None:
            event["PhysicalResourceId"] = physical_id
        timeout = self._function_timeouts[token]
        self._invoke(event, FakeLambdaContext(timeout_seconds=timeout))
        answer = self._responses.wait_for(request_id, timeout=timeout)
        if answer["Status"] != "SUCCESS":
            raise StackError(f"{logical_id}: {answer['Reason']}")
        return answer

    # --- delete -----------------------------------------------------------------

    def delete_stack(self, stack: LocalStack) -> list[str]:
        """Delete in reverse creation order; returns the failures (empty when all went)."""
        failures: list[str] = []
        for resource in reversed(stack.resources):
            self._report(f"  DELETE {resource.logical_id} ({resource.resource_type})")
            try:
                self._delete_resource(stack, resource)
            except Exception as failure:
                failures.append(f"{resource.logical_id}: {failure}")
        stack.resources.clear()
        for name in [n for n, v in self.exports.items() if v in stack.outputs.values()]:
            del self.exports[name]
        return failures

    def _delete_resource(self, stack: LocalStack, resource: ProvisionedResource) -> None:
        if resource.resource_type == "AWS::Cognito::UserPool":
            self._provisioner.delete_user_pool(resource)
        elif resource.resource_type == "AWS::Cognito::UserPoolClient":
            self._provisioner.delete_user_pool_client(resource)
        elif resource.resource_type == "AWS::Route53::RecordSet":
            self._records().delete_record_set(resource)
        elif resource.nested_stack is not None:
            failures = self.delete_stack(resource.nested_stack)
            if failures:
                raise StackError("; ".join(failures))
        elif (
            resource.resource_type.startswith("Custom::")
            or resource.resource_type == "AWS::CloudFormation::CustomResource"
        ):
            self._send(
                stack, "Delete", resource.logical_id, resource.resource_type, resource.properties, resource.physical_id
            )
        elif resource.resource_type in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
            self._function_timeouts.pop(resource.attributes["Arn"], None)


def _check_parameter(name: str, value: str, definition: dict[str, Any]) -> None:
    allowed = definition.get("AllowedValues")
    if allowed is not None and value not in [str(a) for a in allowed]:
        raise StackError(f"Parameter {name}: {value!r} is not one of {allowed}")
    pattern = definition.get("AllowedPattern")
    if pattern is not None and definition["Type"] == "String" and not re.fullmatch(pattern, value):
        raise StackError(f"Parameter {name}: {value!r} does not match {pattern}")
