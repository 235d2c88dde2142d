"""JSON-RPC 2.0 over stdin/stdout with the Language Server Protocol's Content-Length framing.

Standard library only. One reader thread; each request from ichiren is handled on a thread of its
own, because a handler calls back into ichiren (the EN framework) and ichiren may send requests for
other phones meanwhile (docs/app-protocol.md "Processes").
"""

import json
import sys
import threading


class RpcError(Exception):
    """An error answer from ichiren."""


class Rpc:
    def __init__(self, handlers):
        self.handlers = handlers
        self.write_lock = threading.Lock()
        self.pending = {}
        self.pending_lock = threading.Lock()
        self.next_id = 0
        self.stdin = sys.stdin.buffer
        self.stdout = sys.stdout.buffer

    def _read(self):
        length = None
        while True:
            line = self.stdin.readline()
            if not line:
                return None  # ichiren closed stdin: the run is over
            line = line.strip()
            if not line:
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        if length is None:
            raise ValueError("message without Content-Length")
        return json.loads(self.stdin.read(length).decode("utf-8"))

    def _write(self, message):
        data = json.dumps(message, separators=(",", ":")).encode("utf-8")
        with self.write_lock:
            self.stdout.write(b"Content-Length: %d\r\n\r\n" % len(data))
            self.stdout.write(data)
            self.stdout.flush()

    def request(self, method, params):
        """Calls ichiren and waits for its answer."""
        done = threading.Event()
        with self.pending_lock:
            self.next_id += 1
            ident = self.next_id
            self.pending[ident] = {"done": done}
        self._write({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        done.wait()
        with self.pending_lock:
            answer = self.pending.pop(ident)
        if "error" in answer:
            raise RpcError("%s: %s" % (method, answer["error"].get("message")))
        return answer["result"]

    def notify(self, method, params):
        self._write({"jsonrpc": "2.0", "method": method, "params": params})

    def _handle(self, message):
        method = message["method"]
        handler = self.handlers.get(method)
        if handler is None:
            error = {"code": -32601, "message": "unknown method %s" % method}
            self._write({"jsonrpc": "2.0", "id": message["id"], "error": error})
            return
        try:
            result = handler(message.get("params") or {})
            self._write({"jsonrpc": "2.0", "id": message["id"], "result": result})
        except Exception as e:  # an answer, not a crash: ichiren errors the cell with this line
            error = {"code": -32603, "message": "%s: %s" % (type(e).__name__, e)}
            self._write({"jsonrpc": "2.0", "id": message["id"], "error": error})

    def serve(self):
        while True:
            message = self._read()
            if message is None:
                return
            if "method" in message and "id" in message:
                threading.Thread(target=self._handle, args=(message,), daemon=True).start()
            elif "method" not in message:
                with self.pending_lock:
                    slot = self.pending.get(message.get("id"))
                if slot is not None:
                    slot.update(message)
                    slot["done"].set()
