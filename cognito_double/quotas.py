"""Request-rate windows, and Cognito's request-rate categories and numbers.

Developer guide, "Quotas in Amazon Cognito"
(https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html), "Amazon
Cognito user pools API operation categories and request rate quotas": each number
below is that page's "Default quota (RPS)", none of them adjustable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Q2: the category of each operation the double serves, as that page lists them.
QUOTA_CATEGORIES = {
    "DescribeUserPool": "UserPoolRead",
    "DescribeUserPoolClient": "UserPoolClientRead",
    "UpdateUserPoolClient": "UserPoolClientUpdate",
    "CreateUserPoolDomain": "UserPoolResourceUpdate",
    "UpdateUserPoolDomain": "UserPoolResourceUpdate",
    "DeleteUserPoolDomain": "UserPoolResourceUpdate",
    "DescribeUserPoolDomain": "UserPoolResourceRead",
    "CreateManagedLoginBranding": "UserPoolResourceUpdate",
    "UpdateManagedLoginBranding": "UserPoolResourceUpdate",
    "DeleteManagedLoginBranding": "UserPoolResourceUpdate",
    "DescribeManagedLoginBranding": "UserPoolResourceRead",
    "DescribeManagedLoginBrandingByClient": "UserPoolResourceRead",
}
# Q3: requests per second per account and Region, per category.
CATEGORY_RATES = {
    "UserPoolRead": 15,
    "UserPoolResourceRead": 20,
    "UserPoolResourceUpdate": 15,
    "UserPoolClientRead": 15,
    "UserPoolClientUpdate": 15,
}
# Q4: footnote 3, "Any individual operation in this category has a constraint that prevents the
# operation from being called at a rate higher than 5 RPS for a single user pool."
PER_POOL_CATEGORIES = frozenset(
    {"UserPoolResourceRead", "UserPoolResourceUpdate", "UserPoolClientRead", "UserPoolClientUpdate"}
)
PER_POOL_RATE = 5


@dataclass
class RateWindow:
    per_second: int
    calls: list[float] = field(default_factory=list)

    def admit(self, now: float) -> bool:
        self.calls = [moment for moment in self.calls if now - moment < 1.0]
        if len(self.calls) >= self.per_second:
            return False
        self.calls.append(now)
        return True
