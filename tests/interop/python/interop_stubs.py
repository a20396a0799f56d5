"""Generates and imports the python stubs of the interop TestService.

The protos live in tests/EventLog.Interop.Tests/Protos (the C# stubs come from the same
files); python stubs are generated with grpc_tools.protoc into a directory (a temp dir
unless one is given) and imported from there, so nothing generated is ever committed.
"""

import importlib
import os
import sys
import tempfile

PROTO_ROOT = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "EventLog.Interop.Tests", "Protos"))
PROTO_FILES = ["interop/empty.proto", "interop/messages.proto", "interop/test.proto"]


def generate(out_dir):
    """Runs protoc (from grpcio-tools) on the interop protos into out_dir."""
    from grpc_tools import protoc

    os.makedirs(out_dir, exist_ok=True)
    args = ["grpc_tools.protoc", "-I" + PROTO_ROOT, "--python_out=" + out_dir, "--grpc_python_out=" + out_dir]
    if protoc.main(args + PROTO_FILES) != 0:
        raise RuntimeError("protoc failed on " + ", ".join(PROTO_FILES) + " under " + PROTO_ROOT)
    return out_dir


def load(stubs_dir=None):
    """Returns (empty_pb2, messages_pb2, test_pb2_grpc), generating the stubs first when needed."""
    if stubs_dir is None:
        stubs_dir = generate(tempfile.mkdtemp(prefix="eventlog-interop-py-"))
    elif not os.path.exists(os.path.join(stubs_dir, "interop", "test_pb2_grpc.py")):
        generate(stubs_dir)
    sys.path.insert(0, stubs_dir)
    empty_pb2 = importlib.import_module("interop.empty_pb2")
    messages_pb2 = importlib.import_module("interop.messages_pb2")
    test_pb2_grpc = importlib.import_module("interop.test_pb2_grpc")
    return empty_pb2, messages_pb2, test_pb2_grpc


if __name__ == "__main__":
    # `python3 interop_stubs.py DIR` generates the stubs into DIR (used by the C# tests and run.sh).
    generate(sys.argv[1])
    print(sys.argv[1])
