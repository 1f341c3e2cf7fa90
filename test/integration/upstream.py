"""A scriptable fake upstream app on loopback that records every byte it receives.

Each accepted connection gets a pump thread that only records (so the record is complete even
for bytes the handler never reads) and a handler thread that parses requests from the record and
answers according to the request path:

  /status/<code>         that status, small Content-Length body (none for 204 and 304)
  /then-close            200, then closes the (keep-alive) connection without saying so
  /conn-close            200 with "Connection: close", then closes
  /truncate              200 announcing 1000 body bytes, sends 10, then closes
  /garbage               answers bytes that are not HTTP, then closes
  /delay/<ms>            waits, then answers 200 with the path as body
  /chunked/<n>           200 with <n> bytes of payload(), chunked
  /length/<n>            200 with <n> bytes of payload(), Content-Length
  /close/<n>             HTTP/1.0-style 200 with <n> payload bytes, delimited by closing
  /upload                reads the body, answers "<length> <sha256>"
  /gate/<name>           waits until the test calls open_gate(name), then answers 200 + 1 MiB
  /stall                 never answers (waits for the proxy to give up)
  /hangup                closes the connection without answering
  /ws                    WebSocket: 101, then echoes every client frame as an unmasked server frame
  anything else          200, body = the request target

A HEAD request gets the head the GET would get, without the body.
Tests can also pass `routes={path_prefix: fn(conn, request)}` for one-off behaviour.
"""
import base64
import hashlib
import os
import socket
import struct
import threading

from httpwire import IO_TIMEOUT, Reader, chunked, read_body, read_head

_PAYLOAD = bytearray()
_PAYLOAD_LOCK = threading.Lock()
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def payload(n):
    """The first n bytes of one random blob shared by client and upstream (cached, grows as needed)."""
    with _PAYLOAD_LOCK:
        if len(_PAYLOAD) < n:
            _PAYLOAD.extend(os.urandom(n - len(_PAYLOAD)))
        return memoryview(_PAYLOAD)[:n]


def response_bytes(status=200, body=b"", headers=(), framing="length", reason="X"):
    head = [f"HTTP/1.1 {status} {reason}"] if framing != "close" else [f"HTTP/1.0 {status} {reason}"]
    head += [f"{k}: {v}" for k, v in headers]
    if framing == "length":
        head.append(f"Content-Length: {len(body)}")
    elif framing == "chunked":
        head.append("Transfer-Encoding: chunked")
    out = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
    if framing == "chunked":
        return out + chunked(body, 16384)
    return out + body


class UpstreamConn:
    def __init__(self, server, sock, index):
        self.server = server
        self.sock = sock
        self.index = index
        self.received = bytearray()  # every byte, in order
        self._unread = bytearray()
        self._cond = threading.Condition()
        self.eof = False
        self.reader = Reader(self._take)
        self.ws_frames = []  # (opcode, payload, was_masked) of each WebSocket frame from the proxy
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                data = b""
            with self._cond:
                if not data:
                    self.eof = True
                else:
                    self.received += data
                    self._unread += data
                    self.server._note_bytes(len(data))
                self._cond.notify_all()
            if not data:
                return

    def _take(self, n):
        with self._cond:
            if not self._cond.wait_for(lambda: self._unread or self.eof or self.server.stopping, IO_TIMEOUT):
                raise TimeoutError(f"upstream conn {self.index}: nothing to read for {IO_TIMEOUT}s")
            out = bytes(self._unread[:n])
            del self._unread[:n]
            return out

    def wait_eof(self, timeout):
        """True once the proxy closed its side of this connection."""
        with self._cond:
            return self._cond.wait_for(lambda: self.eof, timeout)

    def read_request(self, sink=None):
        msg = read_head(self.reader)
        if msg is None:
            return None
        read_body(self.reader, msg, response=False, sink=sink)
        msg.conn = self.index
        with self.server._lock:
            self.server.requests.append(msg)
            self.server._lock.notify_all()
        return msg

    def send(self, data):
        self.sock.sendall(data)

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class Upstream:
    def __init__(self, routes=None):
        self.routes = dict(routes or {})
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.address = f"127.0.0.1:{self.port}"
        self.connections = []
        self.requests = []
        self.total_bytes = 0
        self.stopping = False
        self._lock = threading.Condition()
        self._gates = {}
        threading.Thread(target=self._accept, daemon=True).start()

    # --- test-facing API ---------------------------------------------------------------------

    def gate(self, name):
        with self._lock:
            return self._gates.setdefault(name, threading.Event())

    def open_gate(self, name):
        self.gate(name).set()

    def wait_requests(self, count, timeout=10.0):
        """Blocks until at least `count` requests arrived; returns them."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self.requests) >= count, timeout):
                raise AssertionError(f"upstream got {len(self.requests)} requests, expected {count}: "
                                     f"{[r.start_line for r in self.requests]}")
            return list(self.requests)

    def received_bytes(self):
        with self._lock:
            return b"".join(bytes(c.received) for c in self.connections)

    def stop(self):
        self.stopping = True
        for g in list(self._gates.values()):
            g.set()
        self.listener.close()
        with self._lock:
            conns = list(self.connections)
            self._lock.notify_all()
        for c in conns:
            with c._cond:
                c._cond.notify_all()
            c.close()

    # --- internals ---------------------------------------------------------------------------

    def _note_bytes(self, n):
        with self._lock:
            self.total_bytes += n
            self._lock.notify_all()

    def _accept(self):
        while not self.stopping:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                conn = UpstreamConn(self, sock, len(self.connections))
                self.connections.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            while not self.stopping:
                req = conn.read_request()
                if req is None:
                    return
                if not self._answer(conn, req):
                    return
        except (OSError, EOFError, TimeoutError, ValueError):
            pass
        finally:
            if not self.stopping:
                conn.close()

    def _answer(self, conn, req):
        """Answers one request; False when the connection is finished."""
        path = req.target
        for prefix, fn in self.routes.items():
            if path.startswith(prefix):
                return fn(conn, req) is not False
        parts = path.split("/")
        kind = parts[1] if len(parts) > 1 else ""
        arg = parts[2] if len(parts) > 2 else ""
        if kind == "status":
            code = int(arg)
            if code in (204, 304):
                conn.send(f"HTTP/1.1 {code} S\r\n\r\n".encode())
            else:
                self._reply(conn, req, response_bytes(code, b"status " + arg.encode(), reason="S"))
        elif kind == "then-close":
            conn.send(response_bytes(200, path.encode()))
            return False
        elif kind == "conn-close":
            conn.send(response_bytes(200, path.encode(), headers=[("Connection", "close")]))
            return False
        elif kind == "garbage":
            conn.send(b"this is not HTTP at all\r\n\r\n")
            return False
        elif kind == "truncate":
            conn.send(response_bytes(200, b"x" * 1000)[:-990])
            return False
        elif kind == "delay":
            threading.Event().wait(int(arg) / 1000)
            conn.send(response_bytes(200, path.encode()))
        elif kind == "chunked":
            conn.send(response_bytes(200, bytes(payload(int(arg))), framing="chunked"))
        elif kind == "length":
            self._reply(conn, req, response_bytes(200, bytes(payload(int(arg)))))
        elif kind == "close":
            conn.send(response_bytes(200, bytes(payload(int(arg))), framing="close"))
            return False
        elif kind == "upload":
            body = req.body
            conn.send(response_bytes(200, f"{len(body)} {hashlib.sha256(body).hexdigest()}".encode()))
        elif kind == "gate":
            self.gate(arg).wait(IO_TIMEOUT)
            conn.send(response_bytes(200, bytes(payload(1 << 20))))
        elif kind == "stall":
            conn.wait_eof(IO_TIMEOUT)
            return False
        elif kind == "hangup":
            return False
        elif kind == "ws":
            return self._websocket(conn, req)
        else:
            self._reply(conn, req, response_bytes(200, path.encode(), headers=[("X-Upstream-Conn", str(conn.index))]))
        return True

    @staticmethod
    def _reply(conn, req, response):
        if req.method == "HEAD":
            response = response[: response.index(b"\r\n\r\n") + 4]
        conn.send(response)

    def _websocket(self, conn, req):
        key = req.header("sec-websocket-key")
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        conn.send(response_bytes(101, framing="none", reason="Switching Protocols", headers=[
            ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", accept)]))
        while True:
            opcode, data, masked = read_ws_frame(conn.reader)
            conn.ws_frames.append((opcode, bytes(data), masked))
            conn.send(ws_frame(opcode, data, mask=False))
            if opcode == 0x8:
                return False


def ws_frame(opcode, data, mask):
    """One final WebSocket frame; client frames are masked (RFC 6455 5.3)."""
    head = bytearray([0x80 | opcode])
    n = len(data)
    mbit = 0x80 if mask else 0
    if n < 126:
        head.append(mbit | n)
    elif n < 65536:
        head += bytes([mbit | 126]) + struct.pack("!H", n)
    else:
        head += bytes([mbit | 127]) + struct.pack("!Q", n)
    if not mask:
        return bytes(head) + bytes(data)
    key = os.urandom(4)
    masked = bytes(b ^ key[i % 4] for i, b in enumerate(data))
    return bytes(head) + key + masked


def read_ws_frame(reader):
    """(opcode, unmasked payload, was_masked) of the next frame."""
    b0, b1 = reader.read_exact(2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack("!H", reader.read_exact(2))[0]
    elif n == 127:
        n = struct.unpack("!Q", reader.read_exact(8))[0]
    masked = bool(b1 & 0x80)
    key = reader.read_exact(4) if masked else b"\0\0\0\0"
    data = reader.read_exact(n)
    if masked:
        data = bytes(b ^ key[i % 4] for i, b in enumerate(data))
    return b0 & 0x0F, data, masked


def refused_address():
    """A loopback address whose port is bound but not listening: connects are refused. Keep the
    returned socket open for as long as the address is in use (so nobody else takes the port)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    return s, f"127.0.0.1:{s.getsockname()[1]}"


def blackhole_address():
    """A loopback listener whose accept queue is full, so further SYNs are dropped and connects
    time out (tcp_abort_on_overflow=0). Returns (sockets to keep open, address)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    filler = socket.create_connection(listener.getsockname(), timeout=2)
    return [listener, filler], "127.0.0.1:%d" % listener.getsockname()[1]
