"""A local stand-in for the REST API in front of the functions (what `sam local start-api`
does with Docker): HTTP on loopback -> API Gateway proxy event -> the handler -> HTTP."""

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.local.events import api_gateway_request
from sandbox.local.lambdas import LocalLambdas


def _http_response(answer: dict[str, Any], default_type: str) -> Response:
    """API Gateway's answer from a proxy response: single and multi-value headers both."""
    response = Response(
        content=answer.get("body") or "",
        status_code=int(answer["statusCode"]),
        media_type=None,
    )
    headers = {k: [v] for k, v in (answer.get("headers") or {}).items()}
    for name, values in (answer.get("multiValueHeaders") or {}).items():
        headers.setdefault(name, []).extend(values)
    if not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = [default_type]
    for name, values in headers.items():
        for value in values:
            response.headers.append(name, value)
    return response


def create_api(lambdas: LocalLambdas, *, stage: str = "dev") -> Starlette:
    async def invoke(
        request: Request, function: str, resource: str, path: str, default_type: str
    ) -> Response:
        event = api_gateway_request(
            request.method,
            path,
            await request.body(),
            path_parameters=dict(request.path_params),
            resource=resource,
            headers=dict(request.headers),
            query=dict(request.query_params),
            stage=stage,
        )
        return _http_response(lambdas.invoke(function, event), default_type)

    async def webhook(request: Request) -> Response:
        path = f"/webhook/{request.path_params['shop_id']}"
        resource = "/webhook/{shop_id}"
        return await invoke(request, "WebhookFunction", resource, path, "application/json")

    async def owner_page(request: Request) -> Response:
        path = f"/owner/{request.path_params['shop_id']}"
        resource = "/owner/{shop_id}"
        return await invoke(request, "OwnerPageFunction", resource, path, "text/html")

    async def owner_action(request: Request) -> Response:
        params = request.path_params
        path = f"/owner/{params['shop_id']}/actions/{params['action']}"
        resource = "/owner/{shop_id}/actions/{action}"
        return await invoke(request, "OwnerPageFunction", resource, path, "text/html")

    return Starlette(
        routes=[
            Route(f"/{stage}/webhook/{{shop_id}}", webhook, methods=["POST"]),
            Route(f"/{stage}/owner/{{shop_id}}", owner_page, methods=["GET"]),
            Route(f"/{stage}/owner/{{shop_id}}/actions/{{action}}", owner_action, methods=["POST"]),
        ]
    )
