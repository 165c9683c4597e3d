"""The CloudFormation side: the request protocol, the answer and its delivery, logging."""
