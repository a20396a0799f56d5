namespace EventLog.Rpc.Server.Internal;

/// <summary>
/// Lets one writer at a time into a call's response. Entering and leaving a free gate is one interlocked
/// operation each and allocates nothing, which is nearly every time: a call's writes come one after the other,
/// and only a deadline's status racing a handler's write, or a handler that writes without awaiting, has to wait.
/// Waiters get the gate in arrival order. A mutable struct: keep it in a field and never copy it.
/// </summary>
internal struct WriteGate
{
    private const int Free = 0;
    private const int Held = 1;
    private const int HeldWithWaiters = 2;

    private int _state;
    // Made on the first wait; also the lock for the slow paths.
    private Queue<TaskCompletionSource>? _waiters;

    /// <summary>Completes once the caller holds the gate; a wait given up by <paramref name="cancellationToken"/> throws.</summary>
    public ValueTask EnterAsync(CancellationToken cancellationToken)
    {
        return TryEnter() ? default : EnterSlow(cancellationToken);
    }

    /// <summary>Enters a free gate; false, with nothing queued, when someone holds it.</summary>
    public bool TryEnter() => Interlocked.CompareExchange(ref _state, Held, Free) == Free;

    /// <summary>Hands the gate to the next waiter, or frees it.</summary>
    public void Exit()
    {
        if (Interlocked.CompareExchange(ref _state, Free, Held) == Held)
        {
            return;
        }
        var waiters = Volatile.Read(ref _waiters)!;
        lock (waiters)
        {
            while (waiters.TryDequeue(out var next))
            {
                // A waiter that was cancelled meanwhile is skipped; the gate goes to the next one.
                if (next.TrySetResult())
                {
                    if (waiters.Count == 0)
                    {
                        Volatile.Write(ref _state, Held);
                    }
                    return;
                }
            }
            Volatile.Write(ref _state, Free);
        }
    }

    private ValueTask EnterSlow(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var waiters = Volatile.Read(ref _waiters);
        if (waiters is null)
        {
            waiters = new Queue<TaskCompletionSource>();
            waiters = Interlocked.CompareExchange(ref _waiters, waiters, null) ?? waiters;
        }
        TaskCompletionSource waiter;
        lock (waiters)
        {
            while (true)
            {
                var state = Volatile.Read(ref _state);
                if (state == Free)
                {
                    if (Interlocked.CompareExchange(ref _state, Held, Free) == Free)
                    {
                        return default;
                    }
                }
                else if (state == HeldWithWaiters || Interlocked.CompareExchange(ref _state, HeldWithWaiters, Held) == Held)
                {
                    break;
                }
            }
            // Completed outside the lock's holder: its continuation must not run inside Exit.
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Enqueue(waiter);
        }
        return cancellationToken.CanBeCanceled ? new ValueTask(WaitCancellableAsync(waiter, cancellationToken)) : new ValueTask(waiter.Task);
    }

    private static async Task WaitCancellableAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        // A cancelled waiter stays queued, already completed, and Exit passes over it.
        await using (cancellationToken.UnsafeRegister(static (state, token) => ((TaskCompletionSource)state!).TrySetCanceled(token), waiter).ConfigureAwait(false))
        {
            await waiter.Task.ConfigureAwait(false);
        }
    }
}
