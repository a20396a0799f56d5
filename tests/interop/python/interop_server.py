"""A python grpcio server of the interop TestService, as in grpc's own interop server.

Usage: interop_server.py [--host 127.0.0.1] [--port 0] [--stubs DIR] [--workers N]
Prints `PORT <n>` on stdout once it listens, then serves until SIGTERM/SIGINT, or, with
--watch-stdin, until its stdin is closed, so a parent test process that dies never leaves
it behind.
"""

import argparse
import signal
import sys
import threading
import time
from concurrent import futures

import grpc

import interop_stubs

INITIAL_METADATA_KEY = "x-grpc-test-echo-initial"
TRAILING_METADATA_KEY = "x-grpc-test-echo-trailing-bin"
# Beyond the official case: a binary initial header and a text trailer, so both kinds go both ways.
INITIAL_BINARY_METADATA_KEY = "x-eventlog-echo-initial-bin"
TRAILING_TEXT_METADATA_KEY = "x-eventlog-echo-trailing"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--stubs", default=None)
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--watch-stdin", action="store_true")
    parser.add_argument("--compression", choices=["none", "gzip"], default="none",
                        help="gzip: compress responses to clients that accept gzip")
    args = parser.parse_args()

    empty_pb2, messages_pb2, test_pb2_grpc = interop_stubs.load(args.stubs)
    codes = {code.value[0]: code for code in grpc.StatusCode}

    def echo_metadata(context):
        invocation = dict(context.invocation_metadata())
        initial = tuple((key, invocation[key]) for key in (INITIAL_METADATA_KEY, INITIAL_BINARY_METADATA_KEY) if key in invocation)
        if initial:
            context.send_initial_metadata(initial)
        trailing = tuple((key, invocation[key]) for key in (TRAILING_METADATA_KEY, TRAILING_TEXT_METADATA_KEY) if key in invocation)
        if trailing:
            context.set_trailing_metadata(trailing)

    def echo_status(request, context):
        if request.HasField("response_status") and request.response_status.code != 0:
            context.abort(codes[request.response_status.code], request.response_status.message)

    def payload(size):
        return messages_pb2.Payload(type=messages_pb2.COMPRESSABLE, body=b"\x00" * size)

    def stream_responses(request, context):
        echo_status(request, context)
        for parameters in request.response_parameters:
            if parameters.interval_us > 0:
                time.sleep(parameters.interval_us / 1e6)
            if not context.is_active():
                return
            yield messages_pb2.StreamingOutputCallResponse(payload=payload(parameters.size))

    class TestService(test_pb2_grpc.TestServiceServicer):
        def EmptyCall(self, request, context):
            echo_metadata(context)
            return empty_pb2.Empty()

        def UnaryCall(self, request, context):
            echo_metadata(context)
            echo_status(request, context)
            return messages_pb2.SimpleResponse(payload=payload(request.response_size))

        def StreamingOutputCall(self, request, context):
            echo_metadata(context)
            yield from stream_responses(request, context)

        def StreamingInputCall(self, request_iterator, context):
            echo_metadata(context)
            size = sum(len(request.payload.body) for request in request_iterator)
            return messages_pb2.StreamingInputCallResponse(aggregated_payload_size=size)

        def FullDuplexCall(self, request_iterator, context):
            echo_metadata(context)
            for request in request_iterator:
                yield from stream_responses(request, context)

        def HalfDuplexCall(self, request_iterator, context):
            echo_metadata(context)
            for request in list(request_iterator):
                yield from stream_responses(request, context)

    compression = grpc.Compression.Gzip if args.compression == "gzip" else grpc.Compression.NoCompression
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=args.workers), compression=compression)
    test_pb2_grpc.add_TestServiceServicer_to_server(TestService(), server)
    port = server.add_insecure_port("%s:%d" % (args.host, args.port))
    if port == 0:
        print("failed to bind %s:%d" % (args.host, args.port), file=sys.stderr)
        return 2
    server.start()
    print("PORT %d" % port, flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    def watch_stdin():
        try:
            while sys.stdin.read(4096):
                pass
        except (OSError, ValueError):
            pass
        stop.set()

    if args.watch_stdin:
        threading.Thread(target=watch_stdin, daemon=True).start()
    stop.wait()
    server.stop(grace=0.5).wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
