#!/usr/bin/env python3
"""holdc.py - one request to pupilguard-hold's hold service, for the tests:
holdc.py SOCKET VERB [QUEUE-ID [WHO [REASON]]].  Prints the reply's first
line on stderr and its data on stdout; exit 0 on "ok", 10 + code on "err",
2 if the socket cannot be reached."""
import socket
import sys

def main():
    args = sys.argv[1:]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path, fields = args[0], (args[1:] + ["", "", ""])[:4]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
    except OSError as e:
        print("cannot connect: %s" % e, file=sys.stderr)
        return 2
    s.sendall(("\t".join(fields) + "\n").encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\n")
    print(head.decode(errors="replace"), file=sys.stderr)
    if head.startswith(b"ok\t"):
        if int(head[3:]) != len(body):
            print("length mismatch", file=sys.stderr)
            return 3
        sys.stdout.write(body.decode(errors="replace"))
        return 0
    if head.startswith(b"err\t"):
        return 10 + int(head.split(b"\t")[1])
    return 3

sys.exit(main())
