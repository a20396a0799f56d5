"""A python grpcio client of the EventLog ProvisioningService and GuestLogsService.

Watches a cluster's provisioning progress and follows a guest log's tail at the same time, while
another client (the C# test) records events and publishes log lines. Prints READY once both
streams are open and answered, then one JSON line with what it received, and exits 0.

    /usr/bin/python3 progress_guestlogs_client.py --address 127.0.0.1:5000 --token T --stubs DIR \
        --cluster C --events 30 --instance I --log guest --lines 200

The stubs are generated beforehand into DIR with
`/usr/bin/python3 -m grpc_tools.protoc -I protos --python_out=DIR --grpc_python_out=DIR eventlog/v1/*.proto
google/api/http.proto google/api/annotations.proto` (the contract imports the HTTP annotations).
"""

import argparse
import importlib
import json
import sys
import threading


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--stubs", required=True)
    parser.add_argument("--cluster", required=True)
    parser.add_argument("--events", type=int, required=True, help="instance events to wait for")
    parser.add_argument("--instance", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--lines", type=int, required=True, help="log lines to wait for")
    parser.add_argument("--timeout", type=float, default=60.0)
    return parser.parse_args()


def main():
    args = parse_args()
    sys.path.insert(0, args.stubs)
    import grpc

    prov_pb2 = importlib.import_module("eventlog.v1.provisioning_service_pb2")
    prov_grpc = importlib.import_module("eventlog.v1.provisioning_service_pb2_grpc")
    logs_pb2 = importlib.import_module("eventlog.v1.guest_logs_service_pb2")
    logs_grpc = importlib.import_module("eventlog.v1.guest_logs_service_pb2_grpc")

    metadata = (("authorization", "Bearer " + args.token),)
    channel = grpc.insecure_channel(args.address)
    provisioning = prov_grpc.ProvisioningServiceStub(channel)
    guest_logs = logs_grpc.GuestLogsServiceStub(channel)

    result = {"sequences": [], "instances": [], "steps": [], "heartbeats": 0, "lines": [], "line_numbers": [], "errors": []}
    opened = {"watch": threading.Event(), "tail": threading.Event()}

    def watch():
        stream = provisioning.WatchProgress(
            prov_pb2.WatchProgressRequest(cluster_id=args.cluster, after_sequence=0),
            metadata=metadata, timeout=args.timeout)
        try:
            for message in stream:
                opened["watch"].set()
                kind = message.WhichOneof("update")
                if kind == "heartbeat":
                    result["heartbeats"] += 1
                    continue
                result["sequences"].append(message.sequence)
                if kind == "event":
                    result["instances"].append(message.event.instance_id)
                elif kind == "step":
                    successful = message.step.successful.value if message.step.HasField("successful") else None
                    result["steps"].append({"id": message.step.id, "completed": message.step.completed, "successful": successful})
                if len(result["instances"]) >= args.events:
                    break
        except grpc.RpcError as error:
            result["errors"].append("watch: %s %s" % (error.code(), error.details()))
        finally:
            opened["watch"].set()
            stream.cancel()

    def tail():
        stream = guest_logs.TailLog(
            logs_pb2.TailLogRequest(instance_id=args.instance, log_name=args.log, lines=0, follow=True),
            metadata=metadata, timeout=args.timeout)
        try:
            for message in stream:
                opened["tail"].set()
                if message.WhichOneof("update") != "lines":
                    continue
                first = message.lines.first_line_number
                result["line_numbers"].extend(range(first, first + len(message.lines.lines)))
                result["lines"].extend(message.lines.lines)
                if len(result["lines"]) >= args.lines:
                    break
        except grpc.RpcError as error:
            result["errors"].append("tail: %s %s" % (error.code(), error.details()))
        finally:
            opened["tail"].set()
            stream.cancel()

    threads = [threading.Thread(target=watch, daemon=True), threading.Thread(target=tail, daemon=True)]
    for thread in threads:
        thread.start()
    for name, event in opened.items():
        if not event.wait(args.timeout):
            result["errors"].append(name + ": no first message")
    print("READY", flush=True)
    for thread in threads:
        thread.join(args.timeout)
    channel.close()
    print(json.dumps(result), flush=True)
    return 0 if not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
