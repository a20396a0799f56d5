"""Request and response bytes for the UnaryCall benchmark, and a check that servers return them.

  messages.py make OUT_DIR --stubs DIR [--size N]
      writes OUT_DIR/body.bin (the framed SimpleRequest h2load posts) and OUT_DIR/response.bin
      (the framed SimpleResponse a correct server returns; the bare Kestrel endpoint sends it as is)
  messages.py check OUT_DIR --stubs DIR --ports PORT...
      calls UnaryCall on each 127.0.0.1:PORT with python grpcio and fails unless the response
      bytes equal response.bin and the status is OK
"""

import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "interop", "python"))
import interop_stubs  # noqa: E402


def frame(payload):
    return struct.pack(">BI", 0, len(payload)) + payload


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["make", "check"])
    parser.add_argument("out_dir")
    parser.add_argument("--ports", nargs="+", type=int, default=[])
    parser.add_argument("--stubs", required=True)
    parser.add_argument("--size", type=int, default=64, help="request payload and response payload size in bytes")
    args = parser.parse_args()
    _, messages_pb2, _ = interop_stubs.load(args.stubs)

    if args.command == "make":
        request = messages_pb2.SimpleRequest(
            response_size=args.size, payload=messages_pb2.Payload(body=b"\x00" * args.size))
        response = messages_pb2.SimpleResponse(payload=messages_pb2.Payload(body=b"\x00" * args.size))
        with open(os.path.join(args.out_dir, "body.bin"), "wb") as f:
            f.write(frame(request.SerializeToString()))
        with open(os.path.join(args.out_dir, "response.bin"), "wb") as f:
            f.write(frame(response.SerializeToString()))
        return 0

    import grpc

    with open(os.path.join(args.out_dir, "body.bin"), "rb") as f:
        request_bytes = f.read()[5:]
    with open(os.path.join(args.out_dir, "response.bin"), "rb") as f:
        expected = f.read()[5:]
    failed = 0
    for port in args.ports:
        with grpc.insecure_channel("127.0.0.1:%d" % port, options=[("grpc.enable_http_proxy", 0)]) as channel:
            call = channel.unary_unary("/grpc.testing.TestService/UnaryCall")
            try:
                actual = call(request_bytes, timeout=10)
            except grpc.RpcError as error:
                print("port %d: %s %s" % (port, error.code(), error.details()), file=sys.stderr)
                failed += 1
                continue
            if actual != expected:
                print("port %d: response bytes differ: %s != %s" % (port, actual.hex(), expected.hex()), file=sys.stderr)
                failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
