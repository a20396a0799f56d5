using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace EventLog.Security.Tests.Infrastructure;

/// <summary>
/// Builds a well-formed request for any RPC from its descriptor: fields are filled by name from a
/// <see cref="Target"/> and with catalog codes the server knows, so the call gets past validation and
/// reaches the authorization and lookup of the resource.
/// </summary>
public static class RequestFactory
{
    /// <summary>The messages to send: one, or for a client stream with a oneof (header, data) one per case.</summary>
    public static IReadOnlyList<IMessage> Build(MethodDescriptor method, Target target)
    {
        ArgumentNullException.ThrowIfNull(method);
        var input = method.InputType;
        if (method.IsClientStreaming && input.Oneofs.Count == 1)
        {
            // UploadLog: the header first, then data.
            return input.Oneofs[0].Fields.Select(part => Fill(input, target, method.Service.Name, depth: 0, only: part)).ToList();
        }
        return [Fill(input, target, method.Service.Name, depth: 0, only: null)];
    }

    private static IMessage Fill(MessageDescriptor type, Target target, string service, int depth, FieldDescriptor? only)
    {
        var message = type.Parser.ParseFrom(ByteString.Empty);
        foreach (var field in type.Fields.InDeclarationOrder())
        {
            if (field.ContainingOneof is { } oneof && field != (only ?? oneof.Fields[0]))
            {
                continue;
            }
            if (field.IsMap)
            {
                continue;
            }
            if (field.IsRepeated)
            {
                var list = (System.Collections.IList)field.Accessor.GetValue(message);
                var element = Value(field, target, service, depth);
                if (element is not null)
                {
                    list.Add(element);
                }
                continue;
            }
            var value = Value(field, target, service, depth);
            if (value is not null)
            {
                field.Accessor.SetValue(message, value);
            }
        }
        return message;
    }

    private static object? Value(FieldDescriptor field, Target target, string service, int depth) => field.FieldType switch
    {
        // DeclarePlan spells out its steps; naming a plugin as well is INVALID_ARGUMENT.
        FieldType.String when field is { Name: "plugin", ContainingType.Name: "DeclarePlanRequest" } => "",
        FieldType.String => StringValue(field.Name, target, service),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Int64Value(field.Name, target),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => (int)Int64Value(field.Name, target),
        FieldType.UInt64 or FieldType.Fixed64 => (ulong)Int64Value(field.Name, target),
        FieldType.UInt32 or FieldType.Fixed32 => (uint)Int64Value(field.Name, target),
        FieldType.Bool => field.Name is "succeeded" or "file_exists" or "enabled" or "exposed" or "successful",
        FieldType.Bytes => ByteString.CopyFromUtf8("iso-data line\n"),
        FieldType.Enum => field.EnumType.Values.FirstOrDefault(v => v.Number != 0)?.Number ?? 0,
        FieldType.Message when field.MessageType.File.Package == "google.protobuf" => null,
        FieldType.Message when depth < 2 && (field.IsRepeated || field.ContainingOneof is not null || field.MessageType.Name == "UploadLogHeader") =>
            Fill(field.MessageType, target, service, depth + 1, only: null),
        _ => null,
    };

    private static string StringValue(string name, Target target, string service) => name switch
    {
        "detail_code" when service == "TaskLogService" => "KCHVM0001E",
        "project" => target.Project,
        "request_id" => "iso-" + Guid.NewGuid().ToString("N"),
        "spawning_request_id" => target.RequestId,
        "id" => target.MessageId,
        "cluster_id" => target.ClusterId,
        "step_id" => target.StepId,
        "instance_id" => target.InstanceId,
        "log_name" => target.LogName,
        "command_id" => target.CommandId,
        "app" => target.App,
        "target_uri" => target.TargetUri,
        "target_uri_prefix" => "",
        "message_code" => "KCHVM0003L",
        "detail_code" => "001",
        "action_code" => "001",
        "name" => "iso-step-" + Guid.NewGuid().ToString("N")[..8],
        "resource_type" => "volume",
        "resource_uuid" => Guid.NewGuid().ToString(),
        "datastore" => "mysql",
        "client_ip" => "10.1.2.3",
        "locale" or "time_zone" or "page_token" or "first_line_hash" or "error_id" => "",
        _ => "iso",
    };

    private static long Int64Value(string name, Target target) => name switch
    {
        "task_id" => target.TaskId,
        "page_size" or "limit" => 10,
        "status" => 200,
        "progress_percent" => 50,
        "total" => 1,
        "file_size" => 14,
        _ => 0,
    };
}
