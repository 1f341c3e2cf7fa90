"""A tiny authoritative DNS responder over UDP for tests: A records from a dict, NODATA for other
types of a known name, NXDOMAIN for everything else. Records every question it was asked."""
import socket
import struct
import threading

TYPE_A = 1


def parse_question(packet):
    """(id, flags, qname, qtype, offset after the question) of a query with one question."""
    qid, flags, qdcount = struct.unpack("!HHH", packet[:6])
    if qdcount != 1:
        raise ValueError("one question expected")
    labels, i = [], 12
    while packet[i] != 0:
        n = packet[i]
        if n & 0xC0:
            raise ValueError("compressed question names are not expected in queries")
        labels.append(packet[i + 1:i + 1 + n].decode("ascii").lower())
        i += 1 + n
    qtype, _qclass = struct.unpack("!HH", packet[i + 1:i + 5])
    return qid, flags, ".".join(labels), qtype, i + 5


def build_answer(packet, records):
    qid, flags, name, qtype, end = parse_question(packet)
    question = packet[12:end]
    rd = flags & 0x0100
    if name not in records:
        return struct.pack("!HHHHHH", qid, 0x8400 | rd | 3, 1, 0, 0, 0) + question  # NXDOMAIN
    answers = b""
    count = 0
    if qtype == TYPE_A:
        rdata = socket.inet_aton(records[name])
        answers = struct.pack("!HHHIH", 0xC00C, TYPE_A, 1, 30, len(rdata)) + rdata
        count = 1
    return struct.pack("!HHHHHH", qid, 0x8400 | rd, 1, count, 0, 0) + question + answers


class DnsResponder:
    def __init__(self, records, host="127.0.0.1", port=53):
        self.records = {k.lower().rstrip("."): v for k, v in records.items()}
        self.questions = []  # (name, qtype)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, port))
        self.sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                packet, peer = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                _, _, name, qtype, _ = parse_question(packet)
                self.questions.append((name, qtype))
                self.sock.sendto(build_answer(packet, self.records), peer)
            except (ValueError, IndexError, struct.error):
                continue

    def stop(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()
