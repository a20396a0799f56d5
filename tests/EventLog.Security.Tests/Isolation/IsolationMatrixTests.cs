
namespace EventLog.Security.Tests.Isolation;

/// <summary>
/// For every RPC of the four services (from the generated descriptors), every principal of project B, naming
/// project A or not, cannot read, change or learn the existence of project A's resources.
/// </summary>
public sealed class IsolationMatrixTests(ProjectAFixture fixture, ITestOutputHelper output) : IClassFixture<ProjectAFixture>
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(1.5);

    public static TheoryData<string, string, bool> OtherProjectCases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var method in RpcCatalog.MethodNames)
        {
            foreach (var token in new[] { "reader-b", "member-b", "agent-b" })
            {
                data.Add(method, token, true);
                data.Add(method, token, false);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(OtherProjectCases))]
    public async Task OtherProject_GetsNotFoundOrPermissionDenied_AndNoData(string method, string principal, bool namesProjectA)
    {
        var descriptor = RpcCatalog.Methods[method];
        var target = namesProjectA ? fixture.A.InProject(TestTokens.ProjectA) : fixture.A;
        var token = TestTokens.All.Single(t => t.Name == principal).Token;
        var invoker = fixture.Server.CreateChannel(token).CreateCallInvoker();

        var outcome = await DynamicCalls.InvokeAsync(invoker, descriptor, RequestFactory.Build(descriptor, target), CallTimeout);
        output.WriteLine($"{principal} {method} (project {(namesProjectA ? "project-a" : "own")}): {outcome}");

        LeakCheck.AssertNoProjectAData(outcome, $"{principal} {method}");
        if (namesProjectA)
        {
            Assert.True(outcome.Code is StatusCode.PermissionDenied or StatusCode.NotFound, $"{principal} naming project A in {method}: {outcome}");
        }
        else
        {
            // With its own project and A's ids, a B principal either is told NOT_FOUND / PERMISSION_DENIED, or works
            // on its own (empty) project: an OK or a stream that only times out, with no A data (checked above).
            Assert.True(
                outcome.Code is StatusCode.PermissionDenied or StatusCode.NotFound or StatusCode.OK or StatusCode.DeadlineExceeded,
                $"{principal} with A's ids in {method}: {outcome} (any other status can reveal that the resource exists)");
        }
        await fixture.AssertProjectAUnchangedAsync($"{principal} {method}");
    }

    public static TheoryData<string, bool> WriteCases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var method in RpcCatalog.WriteMethodNames)
        {
            data.Add(method, true);
            data.Add(method, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(WriteCases))]
    public async Task Reader_CannotWriteOrDelete(string method, bool namesProject)
    {
        var descriptor = RpcCatalog.Methods[method];
        var target = namesProject ? fixture.A.InProject(TestTokens.ProjectA) : fixture.A;
        var invoker = fixture.Server.CreateChannel(TestTokens.ReaderA).CreateCallInvoker();

        var outcome = await DynamicCalls.InvokeAsync(invoker, descriptor, RequestFactory.Build(descriptor, target), CallTimeout);
        output.WriteLine($"reader-a {method}: {outcome}");

        Assert.True(outcome.Code == StatusCode.PermissionDenied, $"reader-a {method}: {outcome}");
        await fixture.AssertProjectAUnchangedAsync($"reader-a {method}");
    }

    /// <summary>User actions (the member role may call them); every other write records events and needs the agent role.</summary>
    private static readonly HashSet<string> UserActions =
    [
        "/eventlog.v1.MessagesService/DeleteMessage",
        "/eventlog.v1.TaskLogService/CancelTask",
        "/eventlog.v1.GuestLogsService/EnableLog",
        "/eventlog.v1.GuestLogsService/DisableLog",
        "/eventlog.v1.GuestLogsService/DiscardLog",
        "/eventlog.v1.GuestLogsService/PublishLog",
    ];

    public static TheoryData<string, string> RoleCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var method in RpcCatalog.WriteMethodNames)
        {
            data.Add(method, UserActions.Contains(method) ? "agent-a" : "member-a");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RoleCases))]
    public async Task AgentCannotActAsUser_MemberCannotRecordEvents(string method, string principal)
    {
        var descriptor = RpcCatalog.Methods[method];
        var token = TestTokens.All.Single(t => t.Name == principal).Token;
        var invoker = fixture.Server.CreateChannel(token).CreateCallInvoker();

        var outcome = await DynamicCalls.InvokeAsync(invoker, descriptor, RequestFactory.Build(descriptor, fixture.A), CallTimeout);
        output.WriteLine($"{principal} {method}: {outcome}");

        Assert.True(outcome.Code == StatusCode.PermissionDenied, $"{principal} {method}: {outcome}");
        await fixture.AssertProjectAUnchangedAsync($"{principal} {method}");
    }

    public static TheoryData<string, string> UnauthenticatedCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var method in RpcCatalog.MethodNames)
        {
            foreach (var header in new[] { "", "Bearer not-a-token", "Bearer ", "Basic YWRtaW46YWRtaW4=", "Bearer " + TestTokens.Admin.ToUpperInvariant(), TestTokens.Admin })
            {
                data.Add(method, header);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(UnauthenticatedCases))]
    public async Task MissingOrBadToken_IsUnauthenticated(string method, string authorization)
    {
        var descriptor = RpcCatalog.Methods[method];
        var invoker = fixture.Server.CreateChannel(token: null).CreateCallInvoker();
        var headers = new Metadata();
        if (authorization.Length > 0)
        {
            headers.Add("authorization", authorization);
        }

        var outcome = await DynamicCalls.InvokeAsync(invoker, descriptor, RequestFactory.Build(descriptor, fixture.A.InProject(TestTokens.ProjectA)), CallTimeout, headers);

        Assert.True(outcome.Code == StatusCode.Unauthenticated, $"{method} with authorization '{authorization}': {outcome}");
        LeakCheck.AssertNoProjectAData(outcome, method);
    }

    [Fact]
    public void Matrix_EnumeratesExactlyTheRpcsDeclaredInTheProtos()
    {
        var declared = ProtoRpcs.FullNames();

        Assert.NotEmpty(declared);
        var missing = declared.Except(RpcCatalog.MethodNames).Order(StringComparer.Ordinal).ToList();
        var extra = RpcCatalog.MethodNames.Except(declared).ToList();
        Assert.True(missing.Count == 0, $"declared in {ProtoRpcs.Directory} but not in the matrix: {string.Join(", ", missing)}");
        Assert.True(extra.Count == 0, $"in the matrix but declared in no proto: {string.Join(", ", extra)}");
    }

    [Fact]
    public void Matrix_CoversEveryRpcOfTheFourServices()
    {
        // 18 + 5 + 7 + 13 RPCs when this was written; the descriptors are the source, this guards against an empty matrix.
        Assert.Equal(4, RpcCatalog.Services.Count);
        Assert.True(RpcCatalog.Methods.Count >= 43, $"only {RpcCatalog.Methods.Count} RPCs found");
        Assert.All(RpcCatalog.Services, s => Assert.NotEmpty(s.Methods));
    }
}
