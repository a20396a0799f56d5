"""A python grpcio client of the real EventLog host, built from the contract's protos.

Usage: eventlog_client.py --server HOST:PORT --token TOKEN --reader-token TOKEN --project NAME --stubs DIR
                          [--compression gzip]
Steps: write (CreateMessage), list (ListMessages), watch (WatchMessages: a stored message, then one
created while the stream is open), error_details (page_size -1 is INVALID_ARGUMENT with a
google.rpc.Status in grpc-status-details-bin), unauthenticated, permission_denied. Prints
`PASS <step>` after each and `PASS` at the end, exit code 0; on the first failure prints
`FAIL <step>` and the traceback, exit code 1.
"""

import argparse
import datetime
import sys
import traceback
import uuid

import grpc

import eventlog_stubs

# Every call has a deadline, so a hang fails here instead of stalling the C# test that runs this.
TIMEOUT = 15.0

msg_pb2, msg_grpc, status_pb2, error_details_pb2 = None, None, None, None


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def expect_error(code, call):
    try:
        result = call()
    except grpc.RpcError as error:
        check(error.code() == code, "status %s (%r), expected %s" % (error.code(), error.details(), code))
        return error
    raise AssertionError("expected %s, got %r" % (code, result))


def status_details(error):
    """The google.rpc.Status of grpc-status-details-bin, with its ErrorInfo and BadRequest unpacked."""
    values = [value for key, value in error.trailing_metadata() or () if key == "grpc-status-details-bin"]
    check(len(values) == 1, "%d grpc-status-details-bin trailers" % len(values))
    status = status_pb2.Status.FromString(values[0])
    info, bad_request = error_details_pb2.ErrorInfo(), error_details_pb2.BadRequest()
    for detail in status.details:
        if detail.Is(info.DESCRIPTOR):
            detail.Unpack(info)
        elif detail.Is(bad_request.DESCRIPTOR):
            detail.Unpack(bad_request)
    return status, info, bad_request


def new_message(project, request_id, resource):
    return msg_pb2.CreateMessageRequest(
        project=project, request_id=request_id, action_code="001", detail_code="003",
        level=msg_pb2.MESSAGE_LEVEL_ERROR, resource_type="volume", resource_uuid=resource, host="py-host")


def run(args, report):
    metadata = (("authorization", "Bearer " + args.token),)
    compression = grpc.Compression.Gzip if args.compression == "gzip" else grpc.Compression.NoCompression
    # Loopback only: a proxy from the environment must not get in the way.
    with grpc.insecure_channel(args.server, options=[("grpc.enable_http_proxy", 0)], compression=compression) as channel:
        messages = msg_grpc.MessagesServiceStub(channel)
        resource = str(uuid.uuid4())

        report.step = "write"
        request_id = "req-py-" + uuid.uuid4().hex
        created = messages.CreateMessage(new_message(args.project, request_id, resource), metadata=metadata, timeout=TIMEOUT).message
        check(created.id and created.project == args.project, "created %r" % created)
        check(created.user_message != "", "no user_message rendered")
        check(created.sequence > 0, "sequence %d" % created.sequence)
        age = datetime.datetime.now(datetime.timezone.utc) - created.created_at.ToDatetime(tzinfo=datetime.timezone.utc)
        check(abs(age.total_seconds()) < 300, "created_at %s" % created.created_at.ToJsonString())
        report.passed()

        report.step = "list"
        page = messages.ListMessages(msg_pb2.ListMessagesRequest(project=args.project, resource_uuid=resource),
                                     metadata=metadata, timeout=TIMEOUT)
        check([m.id for m in page.messages] == [created.id], "listed %r" % [m.id for m in page.messages])
        check(page.messages[0].user_message == created.user_message, "listed text %r" % page.messages[0].user_message)
        report.passed()

        report.step = "watch"
        watch = messages.WatchMessages(msg_pb2.WatchMessagesRequest(project=args.project, after_sequence=created.sequence - 1),
                                       metadata=metadata, timeout=TIMEOUT)
        try:
            first = next_message(watch)
            check(first.message.id == created.id and first.sequence == created.sequence, "first watched %r" % first)
            # Created while the stream is open: the server must push it, not only replay what was stored.
            live = messages.CreateMessage(new_message(args.project, request_id + "-live", resource),
                                          metadata=metadata, timeout=TIMEOUT).message
            second = next_message(watch)
            check(second.message.id == live.id and second.sequence == live.sequence, "live watched %r, created %r" % (second, live))
        finally:
            watch.cancel()
        report.passed()

        report.step = "error_details"
        error = expect_error(grpc.StatusCode.INVALID_ARGUMENT, lambda: messages.ListMessages(
            msg_pb2.ListMessagesRequest(project=args.project, page_size=-1), metadata=metadata, timeout=TIMEOUT))
        status, info, bad_request = status_details(error)
        check(status.code == grpc.StatusCode.INVALID_ARGUMENT.value[0], "code %d in the details" % status.code)
        check(status.message == error.details(), "details message %r, grpc-message %r" % (status.message, error.details()))
        check(info.reason == "INVALID_ARGUMENT" and info.domain == "eventlog.v1", "ErrorInfo %r" % info)
        check([v.field for v in bad_request.field_violations] == ["page_size"], "BadRequest %r" % bad_request)
        report.passed()

        report.step = "unauthenticated"
        error = expect_error(grpc.StatusCode.UNAUTHENTICATED, lambda: messages.ListMessages(
            msg_pb2.ListMessagesRequest(), timeout=TIMEOUT))
        check(status_details(error)[1].reason == "UNAUTHENTICATED", "no UNAUTHENTICATED reason")
        report.passed()

        report.step = "permission_denied"
        reader = (("authorization", "Bearer " + args.reader_token),)
        error = expect_error(grpc.StatusCode.PERMISSION_DENIED, lambda: messages.CreateMessage(
            new_message("", request_id + "-reader", resource), metadata=reader, timeout=TIMEOUT))
        check(status_details(error)[1].reason == "PERMISSION_DENIED", "no PERMISSION_DENIED reason")
        report.passed()


def next_message(watch):
    """The next response of a watch that carries a message (heartbeats only say the stream is alive)."""
    for response in watch:
        if response.WhichOneof("update") == "message":
            return response
    raise AssertionError("the watch ended with %s" % watch.code())


class Report:
    def __init__(self):
        self.step = "setup"

    def passed(self):
        print("PASS " + self.step, flush=True)


def main():
    global msg_pb2, msg_grpc, status_pb2, error_details_pb2
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--reader-token", required=True)
    parser.add_argument("--project", required=True)
    parser.add_argument("--stubs", required=True)
    parser.add_argument("--compression", choices=["none", "gzip"], default="none")
    args = parser.parse_args()
    report = Report()
    try:
        msg_pb2, msg_grpc, status_pb2, error_details_pb2 = eventlog_stubs.load(args.stubs)
        run(args, report)
    except Exception:  # noqa: BLE001 - any failure is reported to the test that runs this
        print("FAIL " + report.step, flush=True)
        traceback.print_exc(file=sys.stdout)
        return 1
    print("PASS", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
