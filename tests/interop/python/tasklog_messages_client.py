"""A python grpcio client of the TaskLog and Messages services, built from the same protos.

Usage: tasklog_messages_client.py --server HOST:PORT --token TOKEN --stubs DIR
The stubs (eventlog/v1 common, task_log_service and messages_service, the google/api HTTP annotations
they import, and google/rpc status and error_details) are generated beforehand with `python3 -m grpc_tools.protoc -I protos ...` into DIR.
It records a request, starts a task spawned by it, appends log lines on a client stream,
fails the task, checks the request's outcome followed the task, creates a user message and
lists it back, checks that an unknown code is INVALID_ARGUMENT with a google.rpc ErrorInfo
and BadRequest in grpc-status-details-bin, and exports the log. Prints `PASS` and a JSON
summary and exits 0, or prints the failure and exits 1.
"""

import argparse
import json
import sys
import traceback
import uuid

import grpc

# Every call has a deadline, so a hang fails instead of stalling the C# test that runs this.
TIMEOUT = 15.0


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def check_status_details(error, field):
    """The error's grpc-status-details-bin holds a google.rpc.Status with an ErrorInfo reason and a BadRequest naming field."""
    from google.rpc import error_details_pb2
    from google.rpc import status_pb2

    details = [value for key, value in error.trailing_metadata() or () if key == "grpc-status-details-bin"]
    check(len(details) == 1, "no grpc-status-details-bin trailer")
    status = status_pb2.Status.FromString(details[0])
    check(status.code == error.code().value[0], "status code %d in the details" % status.code)
    info = error_details_pb2.ErrorInfo()
    bad_request = error_details_pb2.BadRequest()
    for detail in status.details:
        if detail.Is(info.DESCRIPTOR):
            detail.Unpack(info)
        elif detail.Is(bad_request.DESCRIPTOR):
            detail.Unpack(bad_request)
    check(info.reason != "", "no ErrorInfo reason in %r" % status)
    check(field in [v.field for v in bad_request.field_violations], "no BadRequest violation of %s in %r" % (field, status))


def run(server, token, stubs):
    sys.path.insert(0, stubs)
    from eventlog.v1 import messages_service_pb2 as msg_pb2
    from eventlog.v1 import messages_service_pb2_grpc as msg_grpc
    from eventlog.v1 import task_log_service_pb2 as tl_pb2
    from eventlog.v1 import task_log_service_pb2_grpc as tl_grpc

    metadata = (("authorization", "Bearer " + token),)
    request_id = "req-py-" + uuid.uuid4().hex
    with grpc.insecure_channel(server) as channel:
        tasklog = tl_grpc.TaskLogServiceStub(channel)
        messages = msg_grpc.MessagesServiceStub(channel)

        record = tl_pb2.RecordRequestRequest(
            request_id=request_id, kind=tl_pb2.REQUEST_KIND_POST, status=202, app="kimchi", user="admin",
            client_ip="10.0.0.7", message_code="KCHVM0003L", time_zone="America/Sao_Paulo")
        record.message_params["name"] = "vm-py"
        record.message_params["root_password"] = "do-not-store"
        entry = tasklog.RecordRequest(record, metadata=metadata, timeout=TIMEOUT).entry
        check(entry.message == "Start to clone vm 'vm-py'", "rendered message: " + entry.message)
        check(entry.message_params["root_password"] == "***", "password param was stored")

        started = tasklog.StartTask(tl_pb2.StartTaskRequest(
            app="kimchi", target_uri="/plugins/kimchi/vms/vm-py/clone", spawning_request_id=request_id),
            metadata=metadata, timeout=TIMEOUT)
        task_id = started.task.id
        check(started.entry.status == 1000, "start entry status %d" % started.entry.status)

        batches = [tl_pb2.AppendTaskLogRequest(task_id=task_id, lines=["copying disk %d" % i for i in range(50)]),
                   tl_pb2.AppendTaskLogRequest(lines=["clone failed"])]
        appended = tasklog.AppendTaskLog(iter(batches), metadata=metadata, timeout=TIMEOUT)
        check(appended.line_count == 51, "line count %d" % appended.line_count)

        fail = tl_pb2.FailTaskRequest(task_id=task_id, detail_code="KCHVM0001E")
        fail.detail_params["vm"] = "vm-py"
        failed = tasklog.FailTask(fail, metadata=metadata, timeout=TIMEOUT)
        check(failed.task.state == tl_pb2.TASK_STATE_FAILED, "task state %d" % failed.task.state)

        listed = tasklog.ListRequests(tl_pb2.ListRequestsRequest(
            filter=tl_pb2.RequestFilter(request_id=request_id, kind=tl_pb2.REQUEST_KIND_POST)),
            metadata=metadata, timeout=TIMEOUT)
        check(len(listed.entries) == 1, "spawning entries %d" % len(listed.entries))
        check(listed.entries[0].outcome == tl_pb2.REQUEST_OUTCOME_FAILED, "outcome %d" % listed.entries[0].outcome)

        resource = str(uuid.uuid4())
        created = messages.CreateMessage(msg_pb2.CreateMessageRequest(
            request_id=request_id, action_code="001", detail_code="003", level=msg_pb2.MESSAGE_LEVEL_ERROR,
            resource_type="volume", resource_uuid=resource, host="py-host"), metadata=metadata, timeout=TIMEOUT).message
        page = messages.ListMessages(msg_pb2.ListMessagesRequest(resource_uuid=resource), metadata=metadata, timeout=TIMEOUT)
        check([m.id for m in page.messages] == [created.id], "listed messages %r" % [m.id for m in page.messages])
        check(page.messages[0].user_message == "schedule allocate volume: Could not find any available weighted backend.",
              "user message: " + page.messages[0].user_message)

        try:
            messages.CreateMessage(msg_pb2.CreateMessageRequest(
                request_id=request_id, action_code="001", detail_code="free text", level=msg_pb2.MESSAGE_LEVEL_ERROR),
                metadata=metadata, timeout=TIMEOUT)
            raise AssertionError("an unknown detail code was accepted")
        except grpc.RpcError as error:
            check(error.code() == grpc.StatusCode.INVALID_ARGUMENT, "unknown code gave %s" % error.code())
            check_status_details(error, "detail_code")

        lines = []
        for response in tasklog.ExportRequests(tl_pb2.ExportRequestsRequest(
                time_zone="America/Sao_Paulo", filter=tl_pb2.RequestFilter(task_id=task_id)), metadata=metadata, timeout=TIMEOUT):
            lines.extend(response.lines)
        check(len(lines) == 3 and "TASK 1002 kimchi Failure on Kimchi task ID %d" % task_id in lines[2], "export %r" % lines)

        return {"request_id": request_id, "task_id": task_id, "message_id": created.id, "export": lines}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--stubs", required=True)
    args = parser.parse_args()
    try:
        summary = run(args.server, args.token, args.stubs)
    except Exception:  # noqa: BLE001 - report any failure to the test that runs this
        traceback.print_exc()
        print("FAIL")
        return 1
    print("PASS")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
