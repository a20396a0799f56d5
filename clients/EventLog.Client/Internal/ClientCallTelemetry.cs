using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace EventLog.Client.Internal;

/// <summary>
/// One call as OpenTelemetry's RPC conventions see it: a client span (a child of the caller's current span) and a
/// <c>rpc.client.call.duration</c> measurement, both ended once with the call's status. Null from <see cref="Start"/>
/// when nobody listens to either.
/// </summary>
internal sealed class ClientCallTelemetry
{
    private static readonly ActivitySource Source = new(EventLogClientTelemetry.ActivitySourceName);
    private static readonly Meter Meter = new(EventLogClientTelemetry.MeterName);
    private static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
    private static readonly Histogram<double> Duration = Meter.CreateHistogram("rpc.client.call.duration", "s",
        "Duration of the gRPC calls the client made (a stream's whole life), by service, method and status code.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private static readonly KeyValuePair<string, object?> SystemTag = new("rpc.system", "grpc");
    // rpc.grpc.status_code is the numeric code; boxed once here instead of once per call.
    private static readonly object[] StatusCodes = [.. Enumerable.Range(0, 17).Select(code => (object)code)];
    private static readonly ConditionalWeakTable<IMethod, Names> KnownNames = [];

    private readonly Names _names;
    private readonly Activity? _previous;
    private readonly Activity? _span;
    private readonly long _started = Stopwatch.GetTimestamp();
    private int _ended;

    private ClientCallTelemetry(Names names, Activity? previous, Activity? span)
    {
        _names = names;
        _previous = previous;
        _span = span;
    }

    /// <summary>Starts observing a call of <paramref name="method"/>; its span, if any, is current until <see cref="Run{T}"/> returns.</summary>
    public static ClientCallTelemetry? Start(IMethod method)
    {
        if (!Source.HasListeners() && !Duration.Enabled)
        {
            return null;
        }
        var names = KnownNames.GetValue(method, static m => new Names(m));
        var previous = Activity.Current;
        var span = Source.StartActivity(names.SpanName, ActivityKind.Client);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(SystemTag.Key, SystemTag.Value);
            span.SetTag(names.Service.Key, names.Service.Value);
            span.SetTag(names.Method.Key, names.Method.Value);
        }
        return new ClientCallTelemetry(names, previous, span);
    }

    /// <summary>
    /// Starts the call with the span current, so grpc-dotnet's HTTP request carries its <c>traceparent</c>, then makes the
    /// caller's span current again: the call outlives this method.
    /// </summary>
    public T Run<T>(Func<T> start)
    {
        try
        {
            return start();
        }
        catch (Exception ex)
        {
            End(ex);
            throw;
        }
        finally
        {
            if (_span is not null)
            {
                Activity.Current = _previous;
            }
        }
    }

    /// <summary>
    /// The call's context with the span's trace context in its metadata (W3C <c>traceparent</c> and <c>tracestate</c>
    /// by default: whatever <see cref="DistributedContextPropagator.Current"/> writes). HttpClient would propagate the
    /// current span too, but from a span of its own that no exporter records, and the server's span would hang from a
    /// parent nobody sees; HttpClient leaves a header that is already there alone. Headers the caller set win.
    /// </summary>
    public ClientInterceptorContext<TRequest, TResponse> Propagate<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        if (_span is null)
        {
            return context;
        }
        var headers = new Metadata();
        foreach (var entry in context.Options.Headers ?? [])
        {
            headers.Add(entry);
        }
        DistributedContextPropagator.Current.Inject(_span, headers, static (carrier, key, value) =>
        {
            var metadata = (Metadata)carrier!;
            if (value is not null && metadata.Get(key) is null)
            {
                metadata.Add(key, value);
            }
        });
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }

    /// <summary>Ends the span and records the duration, once: later ends (a dispose after the stream ended) are ignored.</summary>
    public void End(StatusCode code)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }
        var status = new KeyValuePair<string, object?>("rpc.grpc.status_code", (int)code is var i && i >= 0 && i < StatusCodes.Length ? StatusCodes[i] : i);
        if (Duration.Enabled)
        {
            Duration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, new TagList { SystemTag, _names.Service, _names.Method, status });
        }
        if (_span is null)
        {
            return;
        }
        if (_span.IsAllDataRequested)
        {
            _span.SetTag(status.Key, status.Value);
            if (code != StatusCode.OK)
            {
                // On the client every status but OK is a failed call.
                _span.SetStatus(ActivityStatusCode.Error, code.ToString());
            }
        }
        // Stopping makes the span's parent current; the caller may be elsewhere by now and keeps its own.
        var current = Activity.Current;
        _span.Stop();
        if (!ReferenceEquals(current, _span))
        {
            Activity.Current = current;
        }
    }

    /// <summary>Ends with the status <paramref name="exception"/> stands for.</summary>
    public void End(Exception exception) => End(exception switch
    {
        RpcException rpc => rpc.StatusCode,
        OperationCanceledException => StatusCode.Cancelled,
        _ => StatusCode.Unknown,
    });

    /// <summary>A method's names by the conventions, made once per method.</summary>
    private sealed class Names(IMethod method)
    {
        public string SpanName { get; } = method.ServiceName + "/" + method.Name;

        public KeyValuePair<string, object?> Service { get; } = new("rpc.service", method.ServiceName);

        public KeyValuePair<string, object?> Method { get; } = new("rpc.method", method.Name);
    }
}
