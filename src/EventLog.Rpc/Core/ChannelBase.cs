namespace Grpc.Core;

/// <summary>A connection to a server that calls are made on.</summary>
public abstract class ChannelBase
{
    /// <summary>Creates a channel for a target.</summary>
    protected ChannelBase(string target) => Target = target;

    /// <summary>The target address.</summary>
    public string Target { get; }

    /// <summary>Creates the invoker that starts calls on this channel.</summary>
    public abstract CallInvoker CreateCallInvoker();

    /// <summary>Closes the channel.</summary>
    public Task ShutdownAsync() => ShutdownAsyncCore();

    /// <summary>Implementation of <see cref="ShutdownAsync"/>.</summary>
    protected virtual Task ShutdownAsyncCore() => Task.CompletedTask;
}
