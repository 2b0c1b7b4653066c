"""Read a deployed stack's outputs (CloudFormation describe_stacks)."""

from typing import Any

from autobook_cli.exits import unreachable


def describe_outputs(
    name: str, *, region: str | None, aws_profile: str | None, client: Any = None
) -> tuple[dict[str, str], str]:
    """The stack's outputs (OutputKey -> value) and its region."""
    import boto3
    from botocore.exceptions import ClientError, NoRegionError

    try:
        if client is None:
            session = boto3.session.Session(profile_name=aws_profile, region_name=region)
            client = session.client("cloudformation")
        stacks = client.describe_stacks(StackName=name)["Stacks"]
    except NoRegionError:
        raise unreachable(
            f"no AWS region for stack {name}: pass --region or set AWS_REGION"
        ) from None
    except ClientError as exc:
        error = exc.response.get("Error", {})
        if error.get("Code") == "ValidationError" and "does not exist" in error.get("Message", ""):
            where = f" in {client.meta.region_name}" if client is not None else ""
            raise unreachable(f"no CloudFormation stack {name!r}{where}") from None
        raise  # access problems are explained by the CLI's AWS error translation
    stack = stacks[0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    # arn:aws:cloudformation:<region>:<account>:stack/<name>/<id>
    stack_region = str(stack["StackId"]).split(":")[3]
    return outputs, stack_region
