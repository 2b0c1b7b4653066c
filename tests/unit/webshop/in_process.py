"""The Webshop sandbox as an httpx transport in this process (no sockets): the client under
test talks to the sandbox's own request handling."""

from collections.abc import Callable
from http.cookies import SimpleCookie

import httpx

from sandbox.webshop.app import COOKIE, handle
from sandbox.webshop.state import WebshopState

ENDPOINT = "https://api.hostedshop.test/service.php"

type Intercept = Callable[[httpx.Request], httpx.Response | None]


def transport(state: WebshopState, intercept: Intercept | None = None) -> httpx.MockTransport:
    def respond(request: httpx.Request) -> httpx.Response:
        if intercept is not None:
            answer = intercept(request)
            if answer is not None:
                return answer
        cookie = SimpleCookie(request.headers.get("Cookie", ""))
        session = cookie[COOKIE].value if COOKIE in cookie else None
        response = handle(state, request.content, session)
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers]
        return httpx.Response(response.status_code, headers=headers, content=response.body)

    return httpx.MockTransport(respond)


def http_client(state: WebshopState, intercept: Intercept | None = None) -> httpx.Client:
    return httpx.Client(transport=transport(state, intercept), timeout=5)
