"""The raw-request builders the per-topic corpus modules share: a module picks its host, its
User-Agent and any fixed headers once, and gets request/get/form/js that write byte-identical
requests every time build_own.py runs."""
import json
import urllib.parse


def builders(host, ua, fixed_headers=()):
    """Returns (request, get, form, js) writing requests to `host` from `ua`, with `fixed_headers`
    after Accept; request() takes host= and ua= to override them for one request."""
    default_host, default_ua = host, ua

    def request(method, target, headers=(), body=b"", ct=None, host=default_host, ua=default_ua):
        if isinstance(body, str):
            body = body.encode()
        lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", f"User-Agent: {ua}", "Accept: */*"]
        lines += list(fixed_headers) + list(headers)
        if ct:
            lines.append(f"Content-Type: {ct}")
        if body:
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    def get(path, params=None, headers=()):
        query = "?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote) if params else ""
        return request("GET", path + query, headers)

    def form(path, fields, headers=()):
        return request("POST", path, headers, urllib.parse.urlencode(fields), "application/x-www-form-urlencoded")

    def js(path, obj, method="POST", headers=()):
        return request(method, path, headers, json.dumps(obj), "application/json")

    return request, get, form, js
