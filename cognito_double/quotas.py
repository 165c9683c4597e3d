"""Request-rate windows: how many calls a quota admits in any one second.

The categories and numbers are Cognito's ("Quotas in Amazon Cognito"); the table of
which operation falls in which category is ``QUOTA_CATEGORIES``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Each quota-enforced operation's request-rate category ("Quotas in Amazon Cognito").
QUOTA_CATEGORIES = {
    "DescribeUserPoolClient": "UserPoolClientRead",
    "UpdateUserPoolClient": "UserPoolClientUpdate",
    "CreateUserPoolDomain": "UserPoolUpdate",
    "UpdateUserPoolDomain": "UserPoolUpdate",
    "DeleteUserPoolDomain": "UserPoolUpdate",
    "DescribeUserPoolDomain": "UserPoolRead",
}


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
