"""HTTP/1.x on raw bytes, for both sides of the proxy: the test client and the fake upstream.

Nothing here normalises what it reads: heads are kept byte for byte (`Message.raw_head`) so tests
assert on exactly what crossed the wire. Every blocking read has a deadline, so a proxy that hangs
fails a test instead of hanging the suite.
"""
import socket
import time

# Every socket read in the suite gives up after this long: far longer than any legitimate wait.
IO_TIMEOUT = 20.0


class Reader:
    """Buffered reads over a `recv(n) -> bytes` callable (b"" means end of stream)."""

    def __init__(self, recv):
        self._recv = recv
        self.buf = bytearray()
        self.eof = False

    def _fill(self):
        if self.eof:
            return False
        data = self._recv(65536)
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def read_until(self, delim, limit=1 << 20):
        """Bytes up to and including `delim`; EOFError if the stream ends first."""
        start = 0
        while True:
            i = self.buf.find(delim, start)
            if i >= 0:
                out = bytes(self.buf[: i + len(delim)])
                del self.buf[: i + len(delim)]
                return out
            if len(self.buf) > limit:
                raise ValueError(f"no {delim!r} within {limit} bytes")
            start = max(0, len(self.buf) - len(delim) + 1)
            if not self._fill():
                raise EOFError(f"stream ended before {delim!r}; buffered: {bytes(self.buf[:200])!r}")

    def read_exact(self, n, sink=None):
        """n bytes (returned, or fed to `sink` piecewise when given); EOFError if the stream ends first."""
        out = bytearray() if sink is None else None
        while n > 0:
            if not self.buf and not self._fill():
                raise EOFError(f"stream ended with {n} bytes still expected")
            take = min(n, len(self.buf))
            piece = bytes(self.buf[:take])
            del self.buf[:take]
            n -= take
            if sink is None:
                out += piece
            else:
                sink(piece)
        return bytes(out) if out is not None else b""

    def read_to_eof(self, sink=None):
        out = bytearray()
        while True:
            if self.buf:
                piece = bytes(self.buf)
                self.buf.clear()
                if sink is None:
                    out += piece
                else:
                    sink(piece)
            if not self._fill():
                return bytes(out)


class Message:
    """One request or response as it appeared on the wire."""

    def __init__(self, start_line, headers, raw_head):
        self.start_line = start_line
        self.headers = headers  # [(name, value)] in wire order, names as sent
        self.raw_head = raw_head
        self.body = b""
        self.body_len = 0
        self.trailers = []
        self.chunked = False
        self.conn = None  # index of the upstream connection that carried it (upstream side)

    def header(self, name):
        values = self.headers_named(name)
        assert len(values) <= 1, f"header {name} appears {len(values)} times: {values}"
        return values[0] if values else None

    def headers_named(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def has_header(self, name):
        return bool(self.headers_named(name))

    def connection_tokens(self):
        return {t.strip().lower() for v in self.headers_named("connection") for t in v.split(",") if t.strip()}

    # Requests.
    @property
    def method(self):
        return self.start_line.split(" ")[0]

    @property
    def target(self):
        return self.start_line.split(" ")[1]

    # Responses.
    @property
    def status(self):
        return int(self.start_line.split(" ")[1])

    def __repr__(self):
        return f"Message({self.start_line!r}, {self.headers!r}, body={self.body[:80]!r}...)"


def read_head(reader):
    """The next message head, or None at a clean end of stream before any byte of it."""
    if not reader.buf and not reader._fill():
        return None
    raw = reader.read_until(b"\r\n\r\n", limit=1 << 20)
    lines = raw[:-4].decode("latin-1").split("\r\n")
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name, value.strip(" \t")))
    return Message(lines[0], headers, raw)


def _read_chunked(reader, msg, sink):
    while True:
        size_line = reader.read_until(b"\r\n", limit=4096)
        size = int(size_line.split(b";")[0].strip(), 16)
        if size == 0:
            break
        reader.read_exact(size, sink)
        msg.body_len += size
        crlf = reader.read_exact(2)
        assert crlf == b"\r\n", f"chunk data not followed by CRLF: {crlf!r}"
    while True:
        line = reader.read_until(b"\r\n", limit=1 << 16)
        if line == b"\r\n":
            return
        name, _, value = line.decode("latin-1").partition(":")
        msg.trailers.append((name, value.strip()))


def read_body(reader, msg, *, response, request_method="GET", sink=None):
    """Reads the body `msg` announces into msg.body (or streams it to `sink`)."""
    parts = []
    collect = sink if sink is not None else parts.append
    if response and (msg.status < 200 or msg.status in (204, 304) or request_method == "HEAD"):
        return msg
    te = msg.headers_named("transfer-encoding")
    cl = msg.headers_named("content-length")
    if te and te[-1].lower().endswith("chunked"):
        msg.chunked = True
        _read_chunked(reader, msg, collect)
    elif cl:
        msg.body_len = int(cl[0])
        reader.read_exact(msg.body_len, collect)
    elif response:
        def count(piece):
            msg.body_len += len(piece)
            collect(piece)
        reader.read_to_eof(count)
    if sink is None:
        msg.body = b"".join(parts)
    return msg


def read_response(reader, request_method="GET", sink=None):
    msg = read_head(reader)
    if msg is None:
        raise EOFError("connection closed before a response")
    return read_body(reader, msg, response=True, request_method=request_method, sink=sink)


def request_bytes(method="GET", target="/", headers=None, body=b"", version="HTTP/1.1", host="test.local"):
    """A request head (+ body). Host and Content-Length are added unless already given or None."""
    hdrs = list(headers or [])
    names = {k.lower() for k, _ in hdrs}
    if host is not None and "host" not in names:
        hdrs.insert(0, ("Host", host))
    if body and "content-length" not in names and "transfer-encoding" not in names:
        hdrs.append(("Content-Length", str(len(body))))
    head = f"{method} {target} {version}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs) + "\r\n"
    return head.encode("latin-1") + body


def chunked(body, chunk_size=65536):
    out = bytearray()
    for i in range(0, len(body), chunk_size):
        piece = body[i:i + chunk_size]
        out += b"%x\r\n" % len(piece) + piece + b"\r\n"
    return bytes(out) + b"0\r\n\r\n"


class Client:
    """A raw TCP client of the proxy."""

    def __init__(self, port, host="127.0.0.1", timeout=IO_TIMEOUT):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = Reader(self.sock.recv)

    def send(self, data):
        self.sock.sendall(data)

    def request(self, method="GET", target="/", headers=None, body=b"", **kw):
        self.send(request_bytes(method, target, headers, body, **kw))
        return self.response(method)

    def response(self, request_method="GET", sink=None):
        return read_response(self.reader, request_method, sink)

    def closed_by_peer(self, timeout=5.0):
        """True when the proxy closes the connection within `timeout` (any bytes before EOF are
        discarded and returned in self.leftover); False when it is still open."""
        self.sock.settimeout(timeout)
        self.leftover = b""
        try:
            self.leftover = self.reader.read_to_eof()
            return True
        except (socket.timeout, TimeoutError):
            return False
        except ConnectionResetError:
            return True
        finally:
            self.sock.settimeout(IO_TIMEOUT)

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def wait_until(predicate, timeout=10.0, interval=0.01, what="condition"):
    """Polls `predicate` until it returns something truthy (returned) or fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)
