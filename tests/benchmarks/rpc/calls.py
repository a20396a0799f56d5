"""Request bodies for the h2load windows of run.sh, and python grpcio calls that prove a server answers them.

  calls.py bodies OUT_DIR
      writes OUT_DIR/health-request.bin (a framed empty HealthCheckRequest, the body h2load posts to
      grpc.health.v1.Health/Check) and OUT_DIR/health-response.bin (the framed HealthCheckResponse
      {status: SERVING} a healthy server returns; BareKestrel sends it as is)
  calls.py seed OUT_DIR --stubs DIR --port PORT --token TOKEN [--count N]
      creates N messages (MessagesService/CreateMessage, TOKEN needs the agent role), then writes
      OUT_DIR/get-request.bin, the framed GetMessageRequest of the first one, and OUT_DIR/get-id.txt
  calls.py check OUT_DIR --port PORT --call health
      Health/Check with health-request.bin must end with status OK and return health-response.bin
  calls.py check OUT_DIR --port PORT --call get --stubs DIR --token TOKEN
      GetMessage with get-request.bin must end with status OK and return the message of get-id.txt

Stubs for seed and get come from /work/main/protos/eventlog/v1 (run.sh runs grpc_tools.protoc into DIR).
Requests are sent as the very bytes h2load posts, so a passing check vouches for those bytes.
Exits 1 with the reason on stderr when a call fails.
"""

import argparse
import os
import struct
import sys
import uuid

# grpcio would otherwise honour http_proxy/https_proxy from the environment even for 127.0.0.1.
CHANNEL_OPTIONS = [("grpc.enable_http_proxy", 0)]
HEALTH_CHECK = "/grpc.health.v1.Health/Check"
# HealthCheckResponse field 1 (status, varint) = 1 (SERVING). Written out rather than generated: python
# grpcio-health-checking is not installed on these machines, and two bytes do not need a compiler.
SERVING = b"\x08\x01"


def frame(payload):
    """gRPC length-prefixed message: uncompressed flag 0, big-endian length, payload."""
    return struct.pack(">BI", 0, len(payload)) + payload


def unframe(path):
    with open(path, "rb") as f:
        data = f.read()
    flag, length = struct.unpack(">BI", data[:5])
    if flag != 0 or length != len(data) - 5:
        raise SystemExit("%s is not one uncompressed gRPC message" % path)
    return data[5:]


def load_messages(stubs):
    sys.path.insert(0, stubs)
    from eventlog.v1 import messages_service_pb2  # noqa: E402  (generated into the stubs directory)
    return messages_service_pb2


def call(port, method, request, token=None):
    """One unary call with raw bytes; returns (status code, details, response bytes or None)."""
    import grpc

    metadata = [("authorization", "Bearer " + token)] if token else None
    with grpc.insecure_channel("127.0.0.1:%d" % port, options=CHANNEL_OPTIONS) as channel:
        stub = channel.unary_unary(method)
        try:
            response, rpc = stub.with_call(request, timeout=10, metadata=metadata)
            return rpc.code(), rpc.details(), response
        except grpc.RpcError as error:
            return error.code(), error.details(), None


def bodies(out_dir):
    with open(os.path.join(out_dir, "health-request.bin"), "wb") as f:
        f.write(frame(b""))
    with open(os.path.join(out_dir, "health-response.bin"), "wb") as f:
        f.write(frame(SERVING))
    return 0


def seed(args):
    import grpc

    pb = load_messages(args.stubs)
    metadata = [("authorization", "Bearer " + args.token)]
    first = None
    with grpc.insecure_channel("127.0.0.1:%d" % args.port, options=CHANNEL_OPTIONS) as channel:
        create = channel.unary_unary(
            "/eventlog.v1.MessagesService/CreateMessage",
            request_serializer=pb.CreateMessageRequest.SerializeToString,
            response_deserializer=pb.CreateMessageResponse.FromString)
        for i in range(args.count):
            # Codes from the built-in catalog ("001" = schedule allocate volume / an unknown error), so
            # the GetMessage under test renders a real user_message; a new request id per message keeps
            # the server's idempotency rule from folding them into one.
            request = pb.CreateMessageRequest(
                request_id="req-bench-%d" % i, action_code="001", detail_code="001",
                level=pb.MESSAGE_LEVEL_ERROR, resource_type="volume", resource_uuid=str(uuid.uuid4()),
                host="bench-host")
            try:
                response = create(request, timeout=10, metadata=metadata)
            except grpc.RpcError as error:
                print("CreateMessage on port %d: %s %s" % (args.port, error.code(), error.details()), file=sys.stderr)
                return 1
            first = first or response.message.id
    with open(os.path.join(args.out_dir, "get-request.bin"), "wb") as f:
        f.write(frame(pb.GetMessageRequest(id=first).SerializeToString()))
    with open(os.path.join(args.out_dir, "get-id.txt"), "w") as f:
        f.write(first)
    print(first)
    return 0


def check(args):
    import grpc

    if args.call == "health":
        code, details, response = call(args.port, HEALTH_CHECK, unframe(os.path.join(args.out_dir, "health-request.bin")))
        expected = unframe(os.path.join(args.out_dir, "health-response.bin"))
        if code != grpc.StatusCode.OK:
            print("Health/Check on port %d: %s %s" % (args.port, code, details), file=sys.stderr)
            return 1
        if response != expected:
            print("Health/Check on port %d: response %s, expected %s (SERVING)" % (args.port, response.hex(), expected.hex()),
                  file=sys.stderr)
            return 1
        return 0

    pb = load_messages(args.stubs)
    code, details, response = call(args.port, "/eventlog.v1.MessagesService/GetMessage",
                                   unframe(os.path.join(args.out_dir, "get-request.bin")), args.token)
    if code != grpc.StatusCode.OK:
        print("GetMessage on port %d: %s %s" % (args.port, code, details), file=sys.stderr)
        return 1
    with open(os.path.join(args.out_dir, "get-id.txt")) as f:
        expected_id = f.read().strip()
    message = pb.GetMessageResponse.FromString(response).message
    if message.id != expected_id or not message.user_message:
        print("GetMessage on port %d: got message %r (user_message %r), expected %s"
              % (args.port, message.id, message.user_message, expected_id), file=sys.stderr)
        return 1
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["bodies", "seed", "check"])
    parser.add_argument("out_dir")
    parser.add_argument("--port", type=int)
    parser.add_argument("--stubs")
    parser.add_argument("--token")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--call", choices=["health", "get"], default="health")
    args = parser.parse_args()
    if args.command == "bodies":
        return bodies(args.out_dir)
    if args.port is None:
        parser.error("--port is required")
    if (args.command == "seed" or args.call == "get") and not (args.stubs and args.token):
        parser.error("--stubs and --token are required")
    return seed(args) if args.command == "seed" else check(args)


if __name__ == "__main__":
    sys.exit(main())
