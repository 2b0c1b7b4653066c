"""A local stand-in for the REST API in front of the webhook function (what `sam local
start-api` does with Docker): HTTP on loopback -> API Gateway proxy event -> the handler."""

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.local.events import api_gateway_post
from sandbox.local.lambdas import LocalLambdas


def create_api(lambdas: LocalLambdas, *, stage: str = "dev") -> Starlette:
    async def webhook(request: Request) -> Response:
        shop_id = request.path_params["shop_id"]
        event = api_gateway_post(
            f"/webhook/{shop_id}",
            await request.body(),
            path_parameters={"shop_id": shop_id},
            resource="/webhook/{shop_id}",
            headers=dict(request.headers),
            query=dict(request.query_params),
            stage=stage,
        )
        answer: dict[str, Any] = lambdas.invoke("WebhookFunction", event)
        return Response(
            content=answer.get("body") or "",
            status_code=int(answer["statusCode"]),
            media_type="application/json",
        )

    return Starlette(routes=[Route(f"/{stage}/webhook/{{shop_id}}", webhook, methods=["POST"])])
