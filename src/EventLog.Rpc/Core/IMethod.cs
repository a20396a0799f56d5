namespace Grpc.Core;

/// <summary>A method description independent of its message types.</summary>
public interface IMethod
{
    /// <summary>The kind of method.</summary>
    MethodType Type { get; }

    /// <summary>The fully qualified service name, e.g. <c>eventlog.v1.TaskLogService</c>.</summary>
    string ServiceName { get; }

    /// <summary>The method name, e.g. <c>GetTask</c>.</summary>
    string Name { get; }

    /// <summary>The path used on the wire: <c>/service/method</c>.</summary>
    string FullName { get; }
}
