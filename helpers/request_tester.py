"""A small interactive HTTP request tester for a deployed stage: method, path, body → status, headers, body.

``helpers.request_tester(url)`` shows it in a notebook (ipywidgets). The sending is a
plain ``requests`` call in ``send`` (testable without Jupyter); the widget only
collects the fields and prints the answer, so what learners see is exactly what a
``requests.request(...)`` cell would return.
"""
from __future__ import annotations

import html
import json
import time
from dataclasses import dataclass, field

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")


@dataclass
class Exchange:
    method: str
    url: str
    status: int
    reason: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    elapsed_ms: float = 0.0

    def pretty_body(self) -> str:
        try:
            return json.dumps(json.loads(self.body), indent=2, ensure_ascii=False)
        except ValueError:
            return self.body

    def as_html(self) -> str:
        colour = "#2e7d32" if self.status < 400 else "#c62828"
        rows = "".join(f"<tr><td style='text-align:left'><code>{html.escape(k)}</code></td>"
                       f"<td style='text-align:left'><code>{html.escape(v)}</code></td></tr>"
                       for k, v in self.headers)
        return (f"<p><code>{html.escape(self.method)} {html.escape(self.url)}</code></p>"
                f"<p><b style='color:{colour}'>{self.status} {html.escape(self.reason)}</b> "
                f"in {self.elapsed_ms:.1f} ms</p>"
                f"<details><summary>{len(self.headers)} response headers</summary><table>{rows}</table></details>"
                f"<pre>{html.escape(self.pretty_body())}</pre>")


def send(base_url: str, method: str, path: str, body: str = "", headers: dict[str, str] | None = None,
         timeout: float = 35.0, session=None) -> Exchange:
    """One request to ``base_url + path``; the answer as an ``Exchange`` (never raises for HTTP errors)."""
    import requests

    method = (method or "GET").upper()
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    path = path or "/"
    if not path.startswith("/"):
        path = "/" + path
    url = base_url.rstrip("/") + path
    headers = dict(headers or {})
    if body and not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = "application/json"
    begin = time.perf_counter()
    response = (session or requests).request(method, url, data=body.encode() if body else None,
                                             headers=headers, timeout=timeout)
    elapsed = (time.perf_counter() - begin) * 1000
    return Exchange(method, url, response.status_code, response.reason or "",
                    list(response.headers.items()), response.text, elapsed)


def parse_headers(text: str) -> dict[str, str]:
    """``Name: value`` per line → dict (blank lines and lines without ':' are ignored)."""
    headers = {}
    for line in (text or "").splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip():
            headers[name.strip()] = value.strip()
    return headers


class RequestTester:
    def __init__(self, base_url: str, path: str = "/", method: str = "GET", body: str = ""):
        self.base_url = base_url
        self.path, self.method, self.body = path, method.upper(), body
        self.history: list[Exchange] = []

    def _ipython_display_(self):
        import ipywidgets as widgets
        from IPython.display import display

        method = widgets.Dropdown(options=list(METHODS), value=self.method, layout=widgets.Layout(width="110px"))
        path = widgets.Text(value=self.path, placeholder="/welcome", layout=widgets.Layout(width="420px"))
        body = widgets.Textarea(value=self.body, placeholder='{"name": "kim"}  (request body, optional)',
                                layout=widgets.Layout(width="540px", height="70px"))
        header_box = widgets.Textarea(placeholder="X-Custom: value   (one header per line, optional)",
                                      layout=widgets.Layout(width="540px", height="50px"))
        button = widgets.Button(description="Send", button_style="primary")
        answer = widgets.HTML()

        def on_click(_):
            try:
                exchange = send(self.base_url, method.value, path.value, body.value, parse_headers(header_box.value))
            except Exception as error:  # shown to the learner, not raised into the widget machinery
                answer.value = f"<pre style='color:#c62828'>{html.escape(str(error))}</pre>"
                return
            self.history.append(exchange)
            answer.value = exchange.as_html()

        button.on_click(on_click)
        display(widgets.VBox([widgets.HTML(f"<b>Base URL</b> <code>{html.escape(self.base_url)}</code>"),
                              widgets.HBox([method, path, button]), body, header_box, answer]))


def request_tester(base_url: str, path: str = "/", method: str = "GET", body: str = "") -> RequestTester:
    """An interactive tester for the stage at ``base_url`` (from ``helpers.invoke_url``)."""
    return RequestTester(base_url, path, method, body)
