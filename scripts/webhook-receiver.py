#!/usr/bin/env python3
"""A webhook receiver a POS can copy: verifies tonle's Standard Webhooks signature and prints
each event. Python standard library only.

    python3 scripts/webhook-receiver.py 9000 whsec_...

Answers 204 to a verified call (tonle then stops retrying it) and 400 to anything else. A real
receiver also remembers `webhook-id`s it has handled: a retry after a lost answer repeats one.
"""
import base64
import hashlib
import hmac
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

TOLERANCE = 300  # seconds either way


def verify(secret, msg_id, timestamp, signatures, body):
    """True when one `v1,` signature in the header is HMAC-SHA256(secret, id.timestamp.body)."""
    if abs(time.time() - int(timestamp)) > TOLERANCE:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    # During a secret rotation tonle sends two signatures; either may match.
    return any(
        hmac.compare_digest(s.removeprefix("v1,"), expected)
        for s in signatures.split(" ")
        if s.startswith("v1,")
    )


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        h = self.headers
        try:
            ok = verify(SECRET, h["webhook-id"], h["webhook-timestamp"], h["webhook-signature"], body)
        except (TypeError, ValueError):
            ok = False
        if not ok:
            print("refused: bad signature", flush=True)
            self.send_response(400)
            self.end_headers()
            return
        event = json.loads(body)
        charge = event["data"].get("charge", {})
        print(f"verified {h['webhook-id']} {event['type']} {charge.get('bill_number', '')} "
              f"{charge.get('amount', '')} {charge.get('currency', '')}", flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_):
        pass


if __name__ == "__main__":
    PORT, SECRET = int(sys.argv[1]), sys.argv[2]
    HTTPServer(("127.0.0.1", PORT), Receiver).serve_forever()
