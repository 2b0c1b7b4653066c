"""The `autobook` operator CLI. Installed for operators (pyproject), never part of the Lambda
layer: it reaches a stack — deployed or the local sandbox — through its outputs, like any
client would."""
