"""A small CloudFormation for this machine: enough of the service to bring the template's stack up and down.

It reads the template itself (parameters and their defaults, conditions,
mappings, intrinsic functions, dependencies), creates the native Cognito
resources against the local endpoint, and drives each custom resource through
``src/handler.py`` with real CloudFormation-shaped events, reading each answer
back from a local HTTPS response URL as CloudFormation reads it.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

from cognito_double.scheduler import OneTimeSchedule, ScheduleRunner
from local.cfn_events import as_cloudformation_sends
from local.cfn_yaml import load_template
from local.intrinsics import ResolutionContext, TemplateError, evaluate_conditions, references, resolve
from local.lambda_context import FakeLambdaContext
from local.native_resources import CognitoProvisioner, ProvisionedResource, Route53Provisioner, function_arn
from local.response_server import ResponseServer
from local.stack_model import (
    FUNCTION_TYPES,
    PASSIVE_TYPES,
    EventLog,
    LocalStack,
    Report,
    StackError,
    check_parameter,
    is_custom,
)
from local.stack_update import update_stack

__all__ = ["LocalCloudFormation", "LocalStack", "StackError"]

Invoke = Callable[[dict[str, Any], FakeLambdaContext], None]
SCHEDULE_LOOK_INTERVAL = 0.25  # seconds between looks at the local Scheduler's due polls


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
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._provisioner = CognitoProvisioner(cognito, account_id, region)
        self._route53 = route53
        self._responses = responses
        self._invoke = invoke
        self._region = region
        self._account_id = account_id
        self.log = EventLog(report)
        self.exports: dict[str, str] = {}
        self._function_timeouts: dict[str, float] = {}
        self._function_environments: dict[str, dict[str, str]] = {}
        self._scheduler_client: Any = None
        self._clock = clock
        self._environment_lock = threading.Lock()
        # When set, every function's timeout (seconds), whatever its template says.
        self.function_timeout: float | None = None

    # --- create -------------------------------------------------------------

    def create_stack(self, name: str, template_path: Path, overrides: dict[str, str] | None = None) -> LocalStack:
        template = load_template(template_path)
        stack_id = f"arn:aws:cloudformation:{self._region}:{self._account_id}:stack/{name}/{uuid.uuid4()}"
        parameters = dict(overrides or {})
        context = self.new_context(template, name, stack_id, parameters)
        stack = LocalStack(name, stack_id, template, template_path, context, parameters)
        context.attributes = lambda logical_id, attribute: self._attribute(stack, logical_id, attribute)
        self.log.stack(stack, "CREATE_IN_PROGRESS", "User Initiated")
        try:
            for logical_id in self.creation_order(template, stack.context):
                self._create_resource(stack, logical_id)
            stack.outputs = self.outputs_of(stack)
        except Exception as failure:
            self.log.stack(stack, "ROLLBACK_IN_PROGRESS", str(failure))
            self.delete_stack(stack, rollback=True)
            raise StackError(str(failure)) from failure
        self.log.stack(stack, "CREATE_COMPLETE")
        return stack

    def update_stack(self, stack: LocalStack, overrides: dict[str, str]) -> None:
        """UpdateStack with the previous parameter values, changed by ``overrides`` (see local/stack_update.py)."""
        update_stack(self, stack, overrides)

    def new_context(
        self, template: dict[str, Any], name: str, stack_id: str, overrides: dict[str, str]
    ) -> ResolutionContext:
        """Parameters, pseudo parameters, mappings, imports and conditions, as the stack's operation starts."""
        context = self._context(template, name, stack_id, overrides)
        evaluate_conditions(template.get("Conditions", {}), context)
        return context

    def _context(
        self, template: dict[str, Any], name: str, stack_id: str, overrides: dict[str, str]
    ) -> ResolutionContext:
        parameters: dict[str, Any] = {}
        for key, definition in template.get("Parameters", {}).items():
            raw = str(overrides.get(key, definition.get("Default", "")))
            check_parameter(key, raw, definition)
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

    def creation_order(self, template: dict[str, Any], context: ResolutionContext) -> list[str]:
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
        self.log.resource(stack, logical_id, resource_type, "CREATE_IN_PROGRESS")
        try:
            created = self._provision(stack, logical_id, resource_type, properties)
        except Exception as failure:
            self.log.resource(stack, logical_id, resource_type, "CREATE_FAILED", str(failure))
            raise
        created.properties = properties
        stack.resources.append(created)
        stack.context.physical_ids[logical_id] = created.physical_id
        self.log.resource(stack, logical_id, resource_type, "CREATE_COMPLETE")

    def _provision(
        self, stack: LocalStack, logical_id: str, resource_type: str, properties: dict[str, Any]
    ) -> ProvisionedResource:
        if resource_type == "AWS::Cognito::UserPool":
            created = self._provisioner.create_user_pool(logical_id, properties)
        elif resource_type == "AWS::Cognito::UserPoolClient":
            created = self._provisioner.create_user_pool_client(logical_id, properties)
        elif resource_type == "AWS::Route53::RecordSet":
            created = self._records().create_record_set(logical_id, properties)
        elif resource_type in FUNCTION_TYPES:
            created = self._deploy_function(stack, logical_id, properties)
        elif resource_type == "AWS::Serverless::Application":
            created = self._create_nested(stack, logical_id, properties)
        elif resource_type == "AWS::Scheduler::ScheduleGroup":
            created = self._create_schedule_group(stack, logical_id)
        elif resource_type in PASSIVE_TYPES:
            name = f"{stack.name}-{logical_id}"[:64]
            arn = f"arn:aws:iam::{self._account_id}:role/{name}" if resource_type == "AWS::IAM::Role" else ""
            created = ProvisionedResource(logical_id, resource_type, name, {"Arn": arn} if arn else {})
        elif is_custom(resource_type):
            answer = self.send(stack, "Create", logical_id, resource_type, properties)
            created = ProvisionedResource(
                logical_id, resource_type, answer["PhysicalResourceId"], answer["Data"], properties
            )
        else:
            raise TemplateError(f"{logical_id}: the local engine cannot create {resource_type}")
        return created

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
        self.log.resource(
            stack, logical_id, "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", f"{child_name} from {location}"
        )
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
        variables = (properties.get("Environment") or {}).get("Variables") or {}
        self._function_environments[arn] = {str(key): str(value) for key, value in variables.items()}
        return ProvisionedResource(logical_id, "AWS::Serverless::Function", name, {"Arn": arn})

    def _create_schedule_group(self, stack: LocalStack, logical_id: str) -> ProvisionedResource:
        """A schedule group in the local EventBridge Scheduler, named as CloudFormation would."""
        name = f"{stack.name}-{logical_id}"[:64]
        self._scheduler().create_schedule_group(Name=name)
        arn = f"arn:aws:scheduler:{self._region}:{self._account_id}:schedule-group/{name}"
        return ProvisionedResource(logical_id, "AWS::Scheduler::ScheduleGroup", name, {"Arn": arn})

    def _scheduler(self) -> Any:
        import boto3

        if self._scheduler_client is None:
            self._scheduler_client = boto3.client("scheduler", region_name=self._region)
        return self._scheduler_client

    @contextmanager
    def _function_environment(self, arn: str) -> Iterator[None]:
        """The function's Environment.Variables, as Lambda sets them, while it runs."""
        with self._environment_lock:
            variables = self._function_environments.get(arn, {})
            saved = {key: os.environ.get(key) for key in variables}
            os.environ.update(variables)
            try:
                yield
            finally:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value

    def run_function(self, arn: str, event: dict[str, Any]) -> None:
        """Invoke one local function with an event, as Lambda would (its timeout, name and environment)."""
        timeout = self.function_timeout or self._function_timeouts[arn]
        context = FakeLambdaContext(timeout_seconds=timeout, function_name=arn.rsplit(":", 1)[-1])
        with self._function_environment(arn):
            self._invoke(event, context)

    def fire_due_polls(self) -> int:
        """What EventBridge Scheduler does when a poll's minute comes: invoke its function, then delete it."""

        def invoke(schedule: OneTimeSchedule) -> None:
            if schedule.target_arn in self._function_timeouts:
                self.log.report(f"  (EventBridge Scheduler: a poll of the change in flight fired, {schedule.name})")
                self.run_function(schedule.target_arn, schedule.payload)

        return ScheduleRunner(self._scheduler, clock=self._clock, invoke=invoke).fire_due()

    def _attribute(self, stack: LocalStack, logical_id: str, attribute: str) -> Any:
        if logical_id not in stack.context.physical_ids:
            raise TemplateError(f"GetAtt {logical_id}.{attribute} before {logical_id} exists")
        return stack.resource(logical_id).attributes.get(attribute)

    def outputs_of(self, stack: LocalStack) -> dict[str, str]:
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

    def send(
        self,
        stack: LocalStack,
        request_type: str,
        logical_id: str,
        resource_type: str,
        properties: dict[str, Any],
        physical_id: str | None = None,
        old_properties: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """One request to a custom resource's function; the answer read back from the response URL."""
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
        if old_properties is not None:
            event["OldResourceProperties"] = as_cloudformation_sends(old_properties)
        self.run_function(token, event)
        answer = self._answer_of(request_id, logical_id)
        if answer["Status"] != "SUCCESS":
            raise StackError(f"{logical_id}: {answer['Reason']}")
        return answer

    def _answer_of(self, request_id: str, logical_id: str) -> dict[str, Any]:
        """The answer, once sent: at once, or from a poll after a hand-over (CloudFormation waits up to an hour)."""
        deadline = time.monotonic() + 3600.0
        next_look_at_schedules = 0.0
        while time.monotonic() < deadline:
            answers = self._responses.answers_for(request_id)
            if answers:
                return answers[0]
            # Listing the schedules costs calls to the local endpoint; a poll's minute is
            # seconds long even at the tests' time scale, so a quarter second is near enough.
            if time.monotonic() >= next_look_at_schedules:
                self.fire_due_polls()
                next_look_at_schedules = time.monotonic() + SCHEDULE_LOOK_INTERVAL
            time.sleep(0.05)
        raise StackError(f"{logical_id}: no answer within the ServiceTimeout")

    # --- delete -----------------------------------------------------------------

    def delete_stack(self, stack: LocalStack, rollback: bool = False) -> list[str]:
        """Delete in reverse creation order; returns the failures (empty when all went)."""
        failures: list[str] = []
        if not rollback:
            self.log.stack(stack, "DELETE_IN_PROGRESS", "User Initiated")
        for resource in reversed(stack.resources):
            failure = self.delete_resource(stack, resource.logical_id, resource.resource_type, resource.physical_id,
                                           resource.properties, resource)  # fmt: skip
            if failure:
                failures.append(f"{resource.logical_id}: {failure}")
        stack.resources.clear()
        for name in [n for n, v in self.exports.items() if v in stack.outputs.values()]:
            del self.exports[name]
        if rollback:
            self.log.stack(stack, "ROLLBACK_FAILED" if failures else "ROLLBACK_COMPLETE")
        else:
            self.log.stack(stack, "DELETE_FAILED" if failures else "DELETE_COMPLETE", "; ".join(failures))
        return failures

    def delete_resource(
        self,
        stack: LocalStack,
        logical_id: str,
        resource_type: str,
        physical_id: str,
        properties: dict[str, Any],
        resource: ProvisionedResource | None = None,
    ) -> str:
        """Delete one physical resource, with its events; returns the failure's text ("" when it went)."""
        self.log.resource(stack, logical_id, resource_type, "DELETE_IN_PROGRESS")
        try:
            if resource_type == "AWS::Cognito::UserPool":
                self._provisioner.delete_user_pool(physical_id)
            elif resource_type == "AWS::Cognito::UserPoolClient":
                self._provisioner.delete_user_pool_client(properties["UserPoolId"], physical_id)
            elif resource_type == "AWS::Route53::RecordSet":
                record = resource or ProvisionedResource(logical_id, resource_type, physical_id, {}, properties)
                self._records().delete_record_set(record)
            elif resource is not None and resource.nested_stack is not None:
                failures = self.delete_stack(resource.nested_stack)
                if failures:
                    raise StackError("; ".join(failures))
            elif is_custom(resource_type):
                self.send(stack, "Delete", logical_id, resource_type, properties, physical_id)
            elif resource_type in FUNCTION_TYPES and resource is not None:
                self._function_timeouts.pop(resource.attributes["Arn"], None)
        except Exception as failure:
            self.log.resource(stack, logical_id, resource_type, "DELETE_FAILED", str(failure))
            return str(failure)
        self.log.resource(stack, logical_id, resource_type, "DELETE_COMPLETE")
        return ""
