using System.Reflection;
using System.Runtime.ExceptionServices;

namespace EventLog.Storage.Tests.SqlServer;

/// <summary>A proxy of <typeparamref name="T"/> that notes each interface method called on it, then calls the real one.</summary>
public class CallRecorder<T> : DispatchProxy
    where T : class
{
    private T _inner = null!;
    private ISet<MethodInfo> _called = null!;

    public static T Wrap(T inner, ISet<MethodInfo> called)
    {
        var proxy = Create<T, CallRecorder<T>>();
        var recorder = (CallRecorder<T>)(object)proxy;
        recorder._inner = inner;
        recorder._called = called;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        lock (_called)
        {
            _called.Add(targetMethod);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
