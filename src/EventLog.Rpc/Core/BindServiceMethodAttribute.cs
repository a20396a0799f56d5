namespace Grpc.Core;

/// <summary>Names the static method that binds a generated service base class to a <see cref="ServiceBinderBase"/>.</summary>
[AttributeUsage(AttributeTargets.Class)]
public class BindServiceMethodAttribute(Type bindType, string bindMethodName) : Attribute
{
    /// <summary>The type declaring the bind method.</summary>
    public Type BindType { get; } = bindType;

    /// <summary>The name of the bind method.</summary>
    public string BindMethodName { get; } = bindMethodName;
}
