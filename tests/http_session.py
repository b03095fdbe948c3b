"""A visitor talking to a real server over HTTP, as a browser without JavaScript would: cookies
kept, redirects not followed (tests look at them), forms read from the page and sent back."""

import http.client
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str


class _Forms(HTMLParser):
    """The named fields of each form on a page, with the values a browser would send unchanged."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._textarea = self._select = None
        self._first_option = None
        self._multiple = False

    def _add(self, name, value):
        fields = self.forms[-1]["fields"]
        if name in fields:  # a multiple choice: every chosen value is sent
            fields[name] = [*(fields[name] if isinstance(fields[name], list) else [fields[name]]), value]
        else:
            fields[name] = value

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "id": attrs.get("id"), "fields": {}})
        elif tag == "option" and self._select:
            if "selected" in attrs:
                self._add(self._select, attrs.get("value", ""))
            elif self._first_option is None and not self._multiple:
                self._first_option = attrs.get("value", "")
        elif not self.forms or not attrs.get("name"):
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "button", "image", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(attrs["name"], attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.forms[-1]["fields"][self._textarea] = ""
        elif tag == "select":
            self._select, self._multiple, self._first_option = attrs["name"], "multiple" in attrs, None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1]["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            fields = self.forms[-1]["fields"]
            if self._select not in fields and self._first_option is not None:
                fields[self._select] = self._first_option  # what a browser sends when none is chosen
            self._select = None


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


@dataclass
class Visitor:
    port: int
    address: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None) -> Answer:
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = f"http://127.0.0.1:{self.port}"
            sent["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        connection = http.client.HTTPConnection(self.address, self.port, timeout=20)
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Answer(response.status, response.msg, text)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, body: dict) -> Answer:
        return self.request("POST", path, body)

    def form(self, page: Answer, *, containing: str) -> dict:
        """The fields of the page's form that has a field named `containing`."""
        for form in forms_of(page.text):
            if containing in form["fields"]:
                return form["fields"]
        raise AssertionError(f"no form with a field {containing!r} on the page")
