"""A python grpcio client that learns a method's schema through server reflection only, then calls it.

Usage: reflection_client.py --server HOST:PORT --version v1|v1alpha --method pkg.Service/Method
         [--request JSON] [--metadata KEY=VALUE ...] [--expect-file NAME ...]
Prints `SERVICES <names>`, `FILES <names>` and one `RESPONSE <json>` line per response message,
then `PASS`; on failure prints the error and exits 1. The reflection stubs are generated from
protos/grpc/reflection with grpc_tools.protoc into a temp dir (grpcio_reflection is not packaged
by Debian); the schema of the called method comes from the server alone, the way grpcurl works.
"""

import argparse
import importlib
import os
import queue
import sys
import tempfile
import traceback

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

REFLECTION_ROOT = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "protos", "grpc", "reflection"))
TIMEOUT = 15.0


def load_stubs(version, out_dir):
    """Generates <version>/reflection_pb2(_grpc).py; the proto root is below grpc/ so the modules do
    not collide with the grpc package itself."""
    from grpc_tools import protoc

    proto = version + "/reflection.proto"
    if protoc.main(["grpc_tools.protoc", "-I" + REFLECTION_ROOT, "--python_out=" + out_dir,
                    "--grpc_python_out=" + out_dir, proto]) != 0:
        raise RuntimeError("protoc failed on " + proto)
    sys.path.insert(0, out_dir)
    return (importlib.import_module(version + ".reflection_pb2"),
            importlib.import_module(version + ".reflection_pb2_grpc"))


class Reflection:
    """One ServerReflectionInfo stream, asked one question at a time (as grpcurl does)."""

    _CLOSE = object()

    def __init__(self, pb2, pb2_grpc, channel):
        self._pb2 = pb2
        self._requests = queue.Queue()
        self._responses = pb2_grpc.ServerReflectionStub(channel).ServerReflectionInfo(
            iter(self._next_request, Reflection._CLOSE), timeout=TIMEOUT)

    def _next_request(self):
        return self._requests.get(timeout=TIMEOUT)

    def ask(self, **request):
        self._requests.put(self._pb2.ServerReflectionRequest(**request))
        response = next(self._responses)
        if response.HasField("error_response"):
            raise LookupError("reflection error %d: %s for %r" % (
                response.error_response.error_code, response.error_response.error_message, request))
        return response

    def close(self):
        self._requests.put(Reflection._CLOSE)
        rest = list(self._responses)
        if rest:
            raise AssertionError("%d answers nobody asked for" % len(rest))


def fetch_files(reflection, symbol):
    """The file declaring symbol and everything it imports, fetching any import the answer left out."""
    files = {}

    def add(response):
        for raw in response.file_descriptor_response.file_descriptor_proto:
            proto = descriptor_pb2.FileDescriptorProto.FromString(raw)
            files.setdefault(proto.name, proto)

    add(reflection.ask(file_containing_symbol=symbol))
    missing = [d for f in list(files.values()) for d in f.dependency if d not in files]
    while missing:
        add(reflection.ask(file_by_filename=missing.pop()))
        missing = [d for f in list(files.values()) for d in f.dependency if d not in files]
    return files


def build_pool(files):
    """Adds the files imports first, as a descriptor pool requires."""
    pool = descriptor_pool.DescriptorPool()
    added = set()

    def add(name):
        if name in added:
            return
        for dependency in files[name].dependency:
            add(dependency)
        pool.AddSerializedFile(files[name].SerializeToString())
        added.add(name)

    for name in files:
        add(name)
    return pool


def message_class(descriptor):
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(descriptor.file.pool).GetPrototype(descriptor)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--version", choices=["v1", "v1alpha"], required=True)
    parser.add_argument("--method", required=True, help="package.Service/Method")
    parser.add_argument("--request", default="{}", help="the request message as proto3 JSON")
    parser.add_argument("--metadata", action="append", default=[], help="KEY=VALUE sent with the call")
    parser.add_argument("--expect-file", action="append", default=[], help="a file the schema must include")
    args = parser.parse_args()
    service_name, method_name = args.method.split("/")

    with tempfile.TemporaryDirectory(prefix="eventlog-reflection-py-") as stubs, \
            grpc.insecure_channel(args.server, options=[("grpc.enable_http_proxy", 0)]) as channel:
        pb2, pb2_grpc = load_stubs(args.version, stubs)
        try:
            reflection = Reflection(pb2, pb2_grpc, channel)
            services = [s.name for s in reflection.ask(list_services="").list_services_response.service]
            print("SERVICES " + ",".join(services), flush=True)
            if service_name not in services:
                raise AssertionError("%s is not among the listed services" % service_name)
            files = fetch_files(reflection, service_name)
            reflection.close()
            print("FILES " + ",".join(sorted(files)), flush=True)
            for name in args.expect_file:
                if name not in files:
                    raise AssertionError("the schema lacks " + name)

            method = build_pool(files).FindServiceByName(service_name).methods_by_name[method_name]
            request_class = message_class(method.input_type)
            response_class = message_class(method.output_type)
            request = json_format.Parse(args.request, request_class())
            path = "/%s/%s" % (service_name, method_name)
            metadata = [tuple(item.split("=", 1)) for item in args.metadata]
            serializer = request_class.SerializeToString
            if method.client_streaming:
                raise AssertionError("client-streaming methods are not supported here")
            if method.server_streaming:
                call = channel.unary_stream(path, request_serializer=serializer, response_deserializer=response_class.FromString)
                responses = list(call(request, timeout=TIMEOUT, metadata=metadata))
            else:
                call = channel.unary_unary(path, request_serializer=serializer, response_deserializer=response_class.FromString)
                responses = [call(request, timeout=TIMEOUT, metadata=metadata)]
            for response in responses:
                print("RESPONSE " + json_format.MessageToJson(response, indent=None), flush=True)
            print("PASS", flush=True)
            return 0
        except grpc.RpcError as error:
            print("STATUS %s %s" % (error.code().name, error.details()), flush=True)
            return 1
        except Exception:  # pylint: disable=broad-except
            traceback.print_exc(file=sys.stdout)
            return 1


if __name__ == "__main__":
    sys.exit(main())
