"""Local stand-ins for the AWS resources in template.yaml (DynamoDB Local + moto server).

Use :class:`LocalAws` (``sandbox.stack.local_aws``) in tests and the demo; the other modules are
its parts: the CloudFormation YAML loader, the two servers, and the resource creator.
"""

from sandbox.stack.cfn_yaml import load_template
from sandbox.stack.dynamodb_local import DynamoDBLocal
from sandbox.stack.local_aws import LocalAws
from sandbox.stack.moto_server import MotoServer
from sandbox.stack.resources import LocalStack, create_resources

__all__ = [
    "DynamoDBLocal",
    "LocalAws",
    "LocalStack",
    "MotoServer",
    "create_resources",
    "load_template",
]
