#!/usr/bin/env bash
# Roll the provider out to every account of an organizational unit, in several
# regions, with a service-managed StackSet. Run from the repository root, with
# credentials of the organization's management (or delegated admin) account.
set -euo pipefail

STACK_SET=cognito-auth-provider
OU_IDS=ou-abcd-11111111            # the organizational units to deploy to
REGIONS="us-east-1 eu-west-1"       # the regions to deploy to
BUCKET_PREFIX=my-org-artifacts      # buckets named <prefix>-<region> must exist in each region
VERSION=$(git describe --tags --always)
CODE_KEY=cognito-auth-provider/${VERSION}.zip

# 1. Build the function package and the plain (transformed) template.
make build
.venv/bin/python scripts/stackset_template.py .aws-sam/stackset-template.json

# 2. Put the package in each region's bucket (Lambda reads code only from its own
#    region). Each bucket's policy must let the organization read it, for example
#    with the condition "aws:PrincipalOrgID": "o-xxxxxxxxxx".
for region in ${REGIONS}; do
  aws s3 cp .aws-sam/provider-function.zip "s3://${BUCKET_PREFIX}-${region}/${CODE_KEY}" --region "${region}"
done

# 3. Create the StackSet once; new accounts in the OUs get the stack automatically.
aws cloudformation create-stack-set \
  --stack-set-name "${STACK_SET}" \
  --template-body file://.aws-sam/stackset-template.json \
  --capabilities CAPABILITY_IAM \
  --permission-model SERVICE_MANAGED \
  --auto-deployment Enabled=true,RetainStacksOnAccountRemoval=false \
  --parameters \
    ParameterKey=CodeBucketPrefix,ParameterValue="${BUCKET_PREFIX}" \
    ParameterKey=CodeKey,ParameterValue="${CODE_KEY}"

# 4. Deploy to the OUs and regions, a quarter of the accounts at a time, stopping at the first failure.
aws cloudformation create-stack-instances \
  --stack-set-name "${STACK_SET}" \
  --deployment-targets OrganizationalUnitIds="${OU_IDS}" \
  --regions ${REGIONS} \
  --operation-preferences MaxConcurrentPercentage=25,FailureToleranceCount=0,RegionConcurrencyType=PARALLEL

# Later versions: upload the new package under a new key, then
#   aws cloudformation update-stack-set --stack-set-name "${STACK_SET}" \
#     --template-body file://.aws-sam/stackset-template.json --capabilities CAPABILITY_IAM \
#     --parameters ParameterKey=CodeBucketPrefix,UsePreviousValue=true ParameterKey=CodeKey,ParameterValue=<new key>
