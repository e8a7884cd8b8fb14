#!/usr/bin/env python3
"""gateway.py — a stand-in for the SMS gateway's HTTP API (Kavenegar's), for
the tests of lib/sms.c and of pnotify. Python 3 standard library only.

Usage: gateway.py PORT LOG [SECONDS]

- Listens on 127.0.0.1:PORT (PORT 0: a free port the system picks). Once it
  listens it prints one line "listening PORT" on standard output and flushes
  it, so a test waits for that line rather than guessing.
- Speaks HTTP/1.1 with keep-alive, one thread a connection, so a client that
  keeps its connection open can send many requests on it.
- Appends one JSON line to LOG for every request it got, before answering:
    {"method": "POST", "path": "/v1/KEY/sms/send.json" (raw, as sent),
     "key": the key segment percent-decoded (or null when the path is not
     /v1/KEY/sms/send.json), "form": {field: value} (the form decoded as
     UTF-8; one value a field), "content_type": "...", "peer": client port,
     "n": the request's number on its connection, from 1}
  "peer" and "n" tell whether a client reused its connection.
- Answers like Kavenegar: HTTP status = return.status, a JSON body
    {"return": {"status": S, "message": "..."}, "entries": [...] or null}
  chosen by how the receptor ends:
    ...0409  409 busy, try again            ...0418  418 no credit
    ...0411  411 receptor invalid           ...0451  451 duplicate call
    ...0400  400 missing parameters
    ...0401  401 with a message that echoes the path and the key (to test
             that the client masks a key the gateway repeats)
    ...0404  HTTP 404 with the JSON body {} (no return.status)
    ...0500  HTTP 500 with a text body that is not JSON
    ...0502  HTTP 200 with a body that is not JSON
    ...0000  no answer: the connection is closed without a reply
    ...0999  HTTP 200 with a JSON answer of 100 KiB (more than a client needs)
    anything else: 200 "تایید شد" (approved), with one entry (messageid,
      receptor, status 1 ...).
  A path other than /v1/KEY/sms/send.json or /v1/KEY/sms/receive.json gets
  404 with return.status 404.
- /v1/KEY/sms/receive.json answers like Kavenegar's poll of received SMS:
  200 with the entries listed (a JSON array of {messageid, message, sender,
  receptor, date}) in the file named by the environment's GATEWAY_INBOX,
  which it then empties: the gateway marks what it returned as read, so a
  second poll gets none of them. No GATEWAY_INBOX, or an empty file: no
  entries. A key of "down" gets HTTP 503 and no entries.
- Stops by itself after SECONDS (default 120), whatever happens, so a test
  that dies cannot leave it running; a test should still kill it on exit.
"""
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
LOG_PATH = None
MESSAGES = {
    400: "missing parameters",
    401: "account inactive",
    404: "method not found",
    409: "server busy, try again",
    411: "receptor invalid",
    418: "no credit",
    451: "duplicate call",
}


def key_of(path, method="send.json"):
    parts = path.split("?", 1)[0].split("/")
    if len(parts) == 5 and parts[0] == "" and parts[1] == "v1" and parts[3:] == ["sms", method]:
        return urllib.parse.unquote(parts[2], errors="replace")
    return None


def received():
    """The inbox's entries, and the inbox emptied: they are read now."""
    path = os.environ.get("GATEWAY_INBOX")
    if not path or not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        text = f.read().strip()
    entries = json.loads(text) if text else []
    with open(path, "w", encoding="utf-8") as f:
        f.write("[]")
    return entries


class Gateway(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The answer's head and body go out as two writes; with Nagle on, the
    # body waits for the client's delayed ACK of the head (40 ms a request).
    disable_nagle_algorithm = True
    timeout = 30  # an idle kept connection is dropped after this

    def log_message(self, fmt, *args):  # quiet: the log file is the record
        pass

    def do_GET(self):
        self.handle_send(b"")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.handle_send(self.rfile.read(length))

    def handle_send(self, body):
        self.n = getattr(self, "n", 0) + 1
        query = body.decode("utf-8", "replace")
        if "?" in self.path:
            query += "&" + self.path.split("?", 1)[1]
        form = {k: v[0] for k, v in urllib.parse.parse_qs(query, keep_blank_values=True).items()}
        key = key_of(self.path)
        record = {"method": self.command, "path": self.path, "key": key, "form": form,
                  "content_type": self.headers.get("Content-Type"),
                  "peer": self.client_address[1], "n": self.n}
        with LOCK, open(LOG_PATH, "a", encoding="utf-8") as log:
            log.write(json.dumps(record, ensure_ascii=False) + "\n")
        inbox_key = key_of(self.path, "receive.json")
        if inbox_key is not None:
            if inbox_key == "down":
                return self.raw(503, b"Service Unavailable\n", "text/plain")
            with LOCK:
                entries = received()
            return self.answer(200, 200, entries, "تایید شد")
        if key is None:
            return self.answer(404, 404, None)
        receptor = form.get("receptor", "")
        tail = receptor[-4:]
        if tail == "0000":
            self.close_connection = True
            return
        if tail == "0500":
            return self.raw(500, b"Internal Server Error\n", "text/plain")
        if tail == "0502":
            return self.raw(200, b"<html>proxy login</html>\n", "text/html")
        if tail == "0999":
            return self.answer(200, 200, [{"pad": "x" * 100 * 1024}], "long")
        if tail == "0404":
            return self.raw(404, b"{}", "application/json")
        if tail == "0401":
            return self.answer(401, 401, None, "unknown key %s at %s" % (key, self.path))
        if tail.startswith("0") and int(tail) in MESSAGES:
            return self.answer(int(tail), int(tail), None)
        entry = {"messageid": 1000 + self.n, "message": form.get("message"), "status": 1,
                 "statustext": "in queue", "sender": form.get("sender", "10004346"),
                 "receptor": receptor, "date": int(time.time()), "cost": 120}
        return self.answer(200, 200, [entry], "تایید شد")

    def answer(self, http, status, entries, message=None):
        body = {"return": {"status": status, "message": message or MESSAGES.get(status, "")},
                "entries": entries}
        self.raw(http, json.dumps(body, ensure_ascii=False).encode("utf-8"),
                 "application/json; charset=utf-8")

    def raw(self, http, data, ctype):
        self.send_response(http)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    global LOG_PATH
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: gateway.py PORT LOG [SECONDS]")
    LOG_PATH = sys.argv[2]
    seconds = float(sys.argv[3]) if len(sys.argv) == 4 else 120.0
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Gateway)
    server.daemon_threads = True
    stop = threading.Timer(seconds, server.shutdown)
    stop.daemon = True
    stop.start()
    print("listening", server.server_address[1], flush=True)
    server.serve_forever(poll_interval=0.2)
    server.server_close()


if __name__ == "__main__":
    main()
