"""portal_client.py — what the portal's tests share in Python: a browser's
part of HTTP (cookies, a form's token) over http.client on 127.0.0.1, and
TAP lines that go on from the shell's count (tests/portal-lib.sh: pyt)."""
import http.client
import os
import re
import urllib.parse

_n = int(os.environ.get("TAP_N", "0"))
_failed = 0


def _save():
    with open(os.environ["TAP_STATE"], "w") as f:
        f.write("%d %d\n" % (_n, _failed))


def ok(cond, name, got=None):
    global _n, _failed
    _n += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (_n, name))
    if not cond:
        _failed += 1
        if got is not None:
            print("#   got: %s" % str(got)[:600].replace("\n", "\n#   "))
    _save()
    return cond


def is_(got, want, name):
    return ok(got == want, name, "%r, expected %r" % (got, want))


def like(text, part, name):
    return ok(part in text, name, text if len(text) < 400 else text[:400])


def unlike(text, part, name):
    return ok(part not in text, name, text[:400])


TOKEN = re.compile(r'name="_token" value="([^"]+)"')


class Browser:
    """One browser: its cookies, the last answer."""

    def __init__(self, port, script="/partake.cgi"):
        self.port, self.script, self.cookies = port, script, {}

    def request(self, method, path, body=None, headers=None, raw=False):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if body is not None and not raw:
            body = body.encode() if isinstance(body, str) else body
            h.setdefault("Content-Type", "application/x-www-form-urlencoded")
        c.request(method, self.script + path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        for v in r.msg.get_all("Set-Cookie") or []:
            name, _, rest = v.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        c.close()
        self.status, self.headers = r.status, r.msg
        self.text = data.decode("utf-8", "replace")
        return r.status, r.msg, self.text

    def get(self, path):
        return self.request("GET", path)

    def token(self, path):
        self.get(path)
        m = TOKEN.search(self.text)
        return m.group(1) if m else None

    def post(self, path, fields, token=True):
        """POSTs fields as a form; with token True, the form's token from a GET of path first."""
        fields = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if token is True:
            token = self.token(path)
        if token:
            fields.insert(0, ("_token", token))
        return self.request("POST", path, urllib.parse.urlencode(fields))


CODE = re.compile(r'<bdi class="code" dir="ltr">([^<]+)</bdi>')
PERSIAN = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def code_of(text):
    """The tracking code a receipt shows, as Latin digits without dashes."""
    m = CODE.search(text)
    return m.group(1).translate(PERSIAN).replace("-", "") if m else None
