"""A python grpcio client running the gRPC interop test cases against a server.

Usage: interop_client.py --server HOST:PORT --test_case NAME [--stubs DIR]
Exits 0 and prints `PASS NAME` when the case passed; prints the failure and exits 1
otherwise. The cases follow grpc's interop test descriptions
(doc/interop-test-descriptions.md) and its python interop client.
"""

import argparse
import queue
import sys
import threading
import traceback

import grpc

import interop_stubs

INITIAL_METADATA_KEY = "x-grpc-test-echo-initial"
TRAILING_METADATA_KEY = "x-grpc-test-echo-trailing-bin"
# Beyond the official case: a binary initial header and a text trailer, so both kinds go both ways.
INITIAL_BINARY_METADATA_KEY = "x-eventlog-echo-initial-bin"
TRAILING_TEXT_METADATA_KEY = "x-eventlog-echo-trailing"
# Every byte value, and every printable ASCII character (the whole text alphabet) between two words.
BINARY_VALUE = bytes(range(256))
TEXT_VALUE = "text " + "".join(chr(c) for c in range(0x20, 0x7f)) + " end"
SPECIAL_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"
# Every call that is not about deadlines still has one, so a hang fails instead of stalling.
TIMEOUT = 15.0

empty_pb2, messages_pb2, test_pb2_grpc = None, None, None


class Pipe:
    """A request iterator fed one message at a time (for ping-pong style calls)."""

    _CLOSE = object()

    def __init__(self):
        self._queue = queue.Queue()

    def add(self, item):
        self._queue.put(item)

    def close(self):
        self._queue.put(Pipe._CLOSE)

    def __iter__(self):
        return self

    def __next__(self):
        item = self._queue.get(timeout=TIMEOUT)
        if item is Pipe._CLOSE:
            raise StopIteration()
        return item

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def payload(size):
    return messages_pb2.Payload(type=messages_pb2.COMPRESSABLE, body=b"\x00" * size)


def check_payload(response_payload, size):
    check(response_payload.type == messages_pb2.COMPRESSABLE, "payload type %r" % response_payload.type)
    check(len(response_payload.body) == size, "payload size %d, expected %d" % (len(response_payload.body), size))
    check(response_payload.body == b"\x00" * size, "payload body is not all zeros")


def expect_error(code, call, details=None):
    try:
        result = call()
    except grpc.RpcError as error:
        check(error.code() == code, "status %s (%r), expected %s" % (error.code(), error.details(), code))
        if details is not None:
            check(error.details() == details, "details %r, expected %r" % (error.details(), details))
        return error
    raise AssertionError("expected %s, got a result %r" % (code, result))


def empty_unary(stub, channel):
    response = stub.EmptyCall(empty_pb2.Empty(), timeout=TIMEOUT)
    check(isinstance(response, empty_pb2.Empty), "response is %r" % type(response))


def large_unary(stub, channel):
    request = messages_pb2.SimpleRequest(
        response_type=messages_pb2.COMPRESSABLE, response_size=314159, payload=payload(271828))
    response = stub.UnaryCall(request, timeout=TIMEOUT)
    check_payload(response.payload, 314159)


def client_streaming(stub, channel):
    requests = [messages_pb2.StreamingInputCallRequest(payload=payload(size)) for size in (27182, 8, 1828, 45904)]
    response = stub.StreamingInputCall(iter(requests), timeout=TIMEOUT)
    check(response.aggregated_payload_size == 74922, "aggregated %d" % response.aggregated_payload_size)


def server_streaming(stub, channel):
    sizes = (31415, 9, 2653, 58979)
    request = messages_pb2.StreamingOutputCallRequest(
        response_type=messages_pb2.COMPRESSABLE,
        response_parameters=[messages_pb2.ResponseParameters(size=size) for size in sizes])
    responses = list(stub.StreamingOutputCall(request, timeout=TIMEOUT))
    check(len(responses) == len(sizes), "%d responses, expected %d" % (len(responses), len(sizes)))
    for response, size in zip(responses, sizes):
        check_payload(response.payload, size)


def ping_pong(stub, channel):
    response_sizes = (31415, 9, 2653, 58979)
    request_sizes = (27182, 8, 1828, 45904)
    with Pipe() as pipe:
        responses = stub.FullDuplexCall(pipe, timeout=TIMEOUT)
        for response_size, request_size in zip(response_sizes, request_sizes):
            pipe.add(messages_pb2.StreamingOutputCallRequest(
                response_type=messages_pb2.COMPRESSABLE,
                response_parameters=[messages_pb2.ResponseParameters(size=response_size)],
                payload=payload(request_size)))
            check_payload(next(responses).payload, response_size)
    check(next(responses, None) is None, "a response after the last request")


def empty_stream(stub, channel):
    responses = list(stub.FullDuplexCall(iter([]), timeout=TIMEOUT))
    check(responses == [], "%d responses to an empty stream" % len(responses))


def status_code_and_message(stub, channel):
    message = "test status message"
    status = messages_pb2.EchoStatus(code=2, message=message)
    expect_error(grpc.StatusCode.UNKNOWN, lambda: stub.UnaryCall(
        messages_pb2.SimpleRequest(response_type=messages_pb2.COMPRESSABLE, response_size=1, payload=payload(1),
                                   response_status=status), timeout=TIMEOUT), message)
    request = messages_pb2.StreamingOutputCallRequest(
        response_type=messages_pb2.COMPRESSABLE,
        response_parameters=[messages_pb2.ResponseParameters(size=1)], response_status=status)
    expect_error(grpc.StatusCode.UNKNOWN, lambda: list(stub.FullDuplexCall(iter([request]), timeout=TIMEOUT)), message)


def special_status_message(stub, channel):
    status = messages_pb2.EchoStatus(code=2, message=SPECIAL_MESSAGE)
    expect_error(grpc.StatusCode.UNKNOWN, lambda: stub.UnaryCall(
        messages_pb2.SimpleRequest(response_type=messages_pb2.COMPRESSABLE, response_size=1, payload=payload(1),
                                   response_status=status), timeout=TIMEOUT), SPECIAL_MESSAGE)


def custom_metadata(stub, channel):
    initial_value = "test_initial_metadata_value"
    trailing_value = b"\xab\xab\xab"
    metadata = ((INITIAL_METADATA_KEY, initial_value), (TRAILING_METADATA_KEY, trailing_value),
                (INITIAL_BINARY_METADATA_KEY, BINARY_VALUE), (TRAILING_TEXT_METADATA_KEY, TEXT_VALUE))

    def validate(call):
        initial = dict(call.initial_metadata())
        check(initial.get(INITIAL_METADATA_KEY) == initial_value, "initial metadata %r" % (initial,))
        check(initial.get(INITIAL_BINARY_METADATA_KEY) == BINARY_VALUE, "binary initial metadata %r" % (initial,))
        trailing = dict(call.trailing_metadata())
        check(trailing.get(TRAILING_METADATA_KEY) == trailing_value, "trailing metadata %r" % (trailing,))
        check(trailing.get(TRAILING_TEXT_METADATA_KEY) == TEXT_VALUE, "text trailing metadata %r" % (trailing,))

    request = messages_pb2.SimpleRequest(
        response_type=messages_pb2.COMPRESSABLE, response_size=314159, payload=payload(271828))
    response, call = stub.UnaryCall.with_call(request, metadata=metadata, timeout=TIMEOUT)
    check_payload(response.payload, 314159)
    validate(call)

    with Pipe() as pipe:
        responses = stub.FullDuplexCall(pipe, metadata=metadata, timeout=TIMEOUT)
        pipe.add(messages_pb2.StreamingOutputCallRequest(
            response_type=messages_pb2.COMPRESSABLE,
            response_parameters=[messages_pb2.ResponseParameters(size=314159)], payload=payload(271828)))
        check_payload(next(responses).payload, 314159)
    check(next(responses, None) is None, "a response after the last request")
    validate(responses)


def timeout_on_sleeping_server(stub, channel):
    with Pipe() as pipe:
        responses = stub.FullDuplexCall(pipe, timeout=0.001)
        pipe.add(messages_pb2.StreamingOutputCallRequest(
            response_type=messages_pb2.COMPRESSABLE, payload=payload(27182)))
        expect_error(grpc.StatusCode.DEADLINE_EXCEEDED, lambda: next(responses))


def cancel_after_begin(stub, channel):
    with Pipe() as pipe:
        future = stub.StreamingInputCall.future(pipe, timeout=TIMEOUT)
        future.cancel()
        check(future.cancelled(), "the call is not cancelled")
        check(future.code() == grpc.StatusCode.CANCELLED, "status %s" % future.code())


def cancel_after_first_response(stub, channel):
    with Pipe() as pipe:
        responses = stub.FullDuplexCall(pipe, timeout=TIMEOUT)
        pipe.add(messages_pb2.StreamingOutputCallRequest(
            response_type=messages_pb2.COMPRESSABLE,
            response_parameters=[messages_pb2.ResponseParameters(size=31415)], payload=payload(27182)))
        check_payload(next(responses).payload, 31415)
        responses.cancel()
        expect_error(grpc.StatusCode.CANCELLED, lambda: next(responses))


def unimplemented_method(stub, channel):
    expect_error(grpc.StatusCode.UNIMPLEMENTED, lambda: stub.UnimplementedCall(empty_pb2.Empty(), timeout=TIMEOUT))


def unimplemented_service(stub, channel):
    other = test_pb2_grpc.UnimplementedServiceStub(channel)
    expect_error(grpc.StatusCode.UNIMPLEMENTED, lambda: other.UnimplementedCall(empty_pb2.Empty(), timeout=TIMEOUT))


# Not official interop cases: both peers keep the default 4 MiB receive limit, so a 5 MiB message
# either way must end the call with RESOURCE_EXHAUSTED, and the channel must keep working.
OVER_LIMIT = 5 * 1024 * 1024


def request_over_server_limit(stub, channel):
    expect_error(grpc.StatusCode.RESOURCE_EXHAUSTED, lambda: stub.UnaryCall(
        messages_pb2.SimpleRequest(response_size=1, payload=payload(OVER_LIMIT)), timeout=TIMEOUT))
    check_payload(stub.UnaryCall(messages_pb2.SimpleRequest(response_size=3), timeout=TIMEOUT).payload, 3)


def response_over_client_limit(stub, channel):
    expect_error(grpc.StatusCode.RESOURCE_EXHAUSTED, lambda: stub.UnaryCall(
        messages_pb2.SimpleRequest(response_size=OVER_LIMIT), timeout=TIMEOUT))
    check_payload(stub.UnaryCall(messages_pb2.SimpleRequest(response_size=3), timeout=TIMEOUT).payload, 3)


CASES = {case.__name__: case for case in (
    empty_unary, large_unary, client_streaming, server_streaming, ping_pong, empty_stream,
    status_code_and_message, special_status_message, custom_metadata, timeout_on_sleeping_server,
    cancel_after_begin, cancel_after_first_response, unimplemented_method, unimplemented_service,
    request_over_server_limit, response_over_client_limit)}


def main():
    global empty_pb2, messages_pb2, test_pb2_grpc
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True, help="host:port")
    parser.add_argument("--test_case", required=True, choices=sorted(CASES) + ["all"])
    parser.add_argument("--stubs", default=None)
    parser.add_argument("--compression", choices=["none", "gzip"], default="none",
                        help="gzip: compress every request message (grpc-encoding: gzip)")
    args = parser.parse_args()
    empty_pb2, messages_pb2, test_pb2_grpc = interop_stubs.load(args.stubs)

    names = sorted(CASES) if args.test_case == "all" else [args.test_case]
    failed = 0
    compression = grpc.Compression.Gzip if args.compression == "gzip" else grpc.Compression.NoCompression
    # Loopback only: never route through a proxy from the environment.
    options = [("grpc.enable_http_proxy", 0)]
    with grpc.insecure_channel(args.server, options=options, compression=compression) as channel:
        grpc.channel_ready_future(channel).result(timeout=TIMEOUT)
        stub = test_pb2_grpc.TestServiceStub(channel)
        for name in names:
            try:
                CASES[name](stub, channel)
                print("PASS " + name, flush=True)
            except Exception:  # pylint: disable=broad-except
                failed += 1
                print("FAIL " + name, flush=True)
                traceback.print_exc(file=sys.stdout)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
