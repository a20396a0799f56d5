
namespace EventLog.Security.Tests.Fuzz;

/// <summary>Wraps payloads in good and bad gRPC frames, and picks good and bad request headers.</summary>
public sealed class FrameMutator(Random rng)
{
    private static readonly string[] BadTimeouts = ["abc", "99999999999S", "-1S", "1X", "", "1", "100000000H", "0n"];

    /// <summary>The request body and a name for the framing used.</summary>
    public (byte[] Body, string Framing, bool Gzip) Frame(byte[] payload)
    {
        switch (rng.Next(20))
        {
            case 0:
                return (RawGrpcClient.Frame(payload, declaredLength: (uint)payload.Length + (uint)rng.Next(1, 1000)), "declared-longer", false);
            case 1:
                return (RawGrpcClient.Frame(payload, declaredLength: payload.Length == 0 ? 0 : (uint)rng.Next(payload.Length)), "declared-shorter", false);
            case 2:
                return (RawGrpcClient.Frame(payload, flag: 1), "compressed-flag", rng.Next(2) == 0);
            case 3:
                return (RawGrpcClient.Frame(payload, flag: (byte)rng.Next(2, 256)), "bad-flag", false);
            case 4:
                return ([.. RawGrpcClient.Frame(payload), .. RawGrpcClient.Frame(payload)], "two-messages", false);
            case 5:
                return ([], "empty-body", false);
            case 6:
                return (RawGrpcClient.Frame(payload)[..rng.Next(1, 5)], "partial-header", false);
            case 7:
                return (RawGrpcClient.Frame(payload, declaredLength: rng.Next(2) == 0 ? uint.MaxValue : 5 * 1024 * 1024), "oversize-declared", false);
            default:
                return (RawGrpcClient.Frame(payload), "frame", false);
        }
    }

    /// <summary>Headers: mostly an admin token and a short deadline, sometimes bad tokens, deadlines, encodings and metadata.</summary>
    public List<KeyValuePair<string, string>> Headers(bool gzip)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var auth = rng.Next(10) switch
        {
            < 6 => "Bearer " + TestTokens.Admin,
            6 => "Bearer " + TestTokens.AgentA,
            7 => "Bearer " + TestTokens.ReaderB,
            8 => null,
            _ => "Bearer " + Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
        };
        if (auth is not null)
        {
            headers.Add(new("authorization", auth));
        }
        headers.Add(new("grpc-timeout", rng.Next(20) == 0 ? BadTimeouts[rng.Next(BadTimeouts.Length)] : rng.Next(20) == 0 ? "1m" : "2S"));
        if (gzip)
        {
            headers.Add(new("grpc-encoding", "gzip"));
        }
        else if (rng.Next(20) == 0)
        {
            headers.Add(new("grpc-encoding", new[] { "br", "identity", "deflate", "x-unknown" }[rng.Next(4)]));
        }
        if (rng.Next(10) == 0)
        {
            headers.Add(new("x-fuzz-bin", rng.Next(2) == 0 ? "!!not base64!!" : Convert.ToBase64String(Guid.NewGuid().ToByteArray())));
            headers.Add(new("x-request-id", rng.Next(2) == 0 ? new string('r', 500) : "fuzz-" + rng.Next()));
        }
        return headers;
    }

    /// <summary>The content type: almost always gRPC, rarely something else (which must get 415 with a grpc-status).</summary>
    public string ContentType() => rng.Next(50) switch
    {
        0 => "application/json",
        1 => "application/grpc+proto",
        2 => "application/grpc-web",
        _ => "application/grpc",
    };
}
