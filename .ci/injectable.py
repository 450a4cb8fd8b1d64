"""A deliberately injectable page (string-built SQL over an in-memory SQLite) for .ci/sqlmap.sh:
sqlmap must find this one, or a clean result against the portal would prove nothing."""
import sqlite3
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

db = sqlite3.connect(":memory:", check_same_thread=False)
db.executescript("CREATE TABLE items(id INTEGER, name TEXT);"
                 "INSERT INTO items VALUES (1, 'hukou'), (2, 'passport'), (3, 'licence');")


class Page(BaseHTTPRequestHandler):
    def do_GET(self):
        q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query).get("q", [""])[0]
        try:
            rows = db.execute(f"SELECT name FROM items WHERE name = '{q}'").fetchall()
            status, body = 200, "".join(f"<li>{name}</li>" for (name,) in rows)
        except sqlite3.Error:
            status, body = 500, "error"
        try:
            self.send_response(status)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(f"<!doctype html><ul>{body}</ul>".encode())
        except (BrokenPipeError, ConnectionResetError):
            pass  # sqlmap gave up on the answer; nothing to report

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", int(sys.argv[1])), Page).serve_forever()
