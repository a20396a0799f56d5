"""Generates and imports the python stubs of the EventLog contract.

The stubs come from protos/eventlog/v1, protos/google/api (the HTTP annotations the contract imports)
and protos/google/rpc (the error details the server puts in grpc-status-details-bin), compiled with
grpc_tools.protoc into a directory; nothing generated is committed. google/protobuf/*.proto come with
grpc_tools itself.

Usage: eventlog_stubs.py DIR   generates the stubs into DIR and prints DIR.
"""

import glob
import importlib
import os
import sys

REPO_ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
PROTO_ROOT = os.path.join(REPO_ROOT, "protos")
THIRD_PARTY_PROTOS = ["google/api/http.proto", "google/api/annotations.proto",
                      "google/rpc/status.proto", "google/rpc/error_details.proto"]


def proto_files():
    """The contract (every eventlog/v1 file), its HTTP annotations and the google.rpc error model, relative to protos/."""
    contract = sorted(os.path.relpath(path, PROTO_ROOT) for path in glob.glob(os.path.join(PROTO_ROOT, "eventlog", "v1", "*.proto")))
    if not contract:
        raise RuntimeError("no eventlog/v1 protos under " + PROTO_ROOT)
    return contract + THIRD_PARTY_PROTOS


def generate(out_dir):
    """Runs protoc (from grpcio-tools) on the protos into out_dir."""
    import grpc_tools
    from grpc_tools import protoc

    os.makedirs(out_dir, exist_ok=True)
    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    files = proto_files()
    args = ["grpc_tools.protoc", "-I" + PROTO_ROOT, "-I" + well_known, "--python_out=" + out_dir, "--grpc_python_out=" + out_dir]
    if protoc.main(args + files) != 0:
        raise RuntimeError("protoc failed on " + ", ".join(files) + " under " + PROTO_ROOT)
    return out_dir


def load(stubs_dir):
    """Imports the generated modules from stubs_dir (generating them first when missing)."""
    if not os.path.exists(os.path.join(stubs_dir, "eventlog", "v1", "messages_service_pb2_grpc.py")):
        generate(stubs_dir)
    # Before the installed google.protobuf is imported, so the google namespace package also covers google.api and google.rpc here.
    sys.path.insert(0, stubs_dir)
    names = ["eventlog.v1.messages_service_pb2", "eventlog.v1.messages_service_pb2_grpc",
             "google.rpc.status_pb2", "google.rpc.error_details_pb2"]
    return [importlib.import_module(name) for name in names]


if __name__ == "__main__":
    generate(sys.argv[1])
    print(sys.argv[1])
