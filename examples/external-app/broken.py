#!/usr/bin/env python3
"""Broken copies of the reference app, one fault each, for ichiren's own tests of the app protocol.

    python3 broken.py --fault crash|hang|malformed|shape|method [--at METHOD]

crash      exits in the middle of METHOD          hang       never answers METHOD
malformed  writes a frame that is not JSON        shape      answers METHOD with a wrong shape
method     calls a framework method that does not exist while handling METHOD
METHOD defaults to background/detectExposures.
"""

import argparse
import os
import sys
import threading

from cocoa import App


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fault", choices=["crash", "hang", "malformed", "shape", "method"], required=True)
    parser.add_argument("--at", default="background/detectExposures")
    parser.add_argument("--build", default="2.x")
    args = parser.parse_args()
    app = App(args.build)
    original = app.rpc.handlers[args.at]

    def broken(params):
        if args.fault == "crash":
            os._exit(3)
        if args.fault == "hang":
            threading.Event().wait()
        if args.fault == "malformed":
            with app.rpc.write_lock:
                app.rpc.stdout.write(b"Content-Length: 9\r\n\r\n{not json")
                app.rpc.stdout.flush()
            threading.Event().wait()
        if args.fault == "shape":
            return {"verdict": "notified"}
        if args.fault == "method":
            app.rpc.request("en/getExposureWindowsPlease", {"phone": params.get("phone", "")})
        return original(params)

    app.rpc.handlers[args.at] = broken
    app.rpc.serve()


if __name__ == "__main__":
    sys.exit(main())
