
namespace EventLog.Server.Auth;

/// <summary>Authorization checks services make on their call context.</summary>
public static class CallContextAuthExtensions
{
    internal const string PrincipalKey = "eventlog.principal";

    /// <summary>The longest project name a request may give.</summary>
    public const int MaxProjectLength = FieldLimits.Name;

    /// <summary>The authenticated principal of the call.</summary>
    public static EventLogPrincipal GetPrincipal(this ServerCallContext context) =>
        context.UserState.TryGetValue(PrincipalKey, out var value) && value is EventLogPrincipal principal
            ? principal
            : throw Errors.Create(StatusCode.Unauthenticated, "UNAUTHENTICATED", "The call is not authenticated.");

    /// <summary>
    /// Checks the access kind and resolves the project the call acts on: the request's project when
    /// given (only admins may name another project), else the caller's own.
    /// </summary>
    public static string AuthorizeProject(this ServerCallContext context, Access access, string? requestedProject)
    {
        var principal = context.GetPrincipal();
        if (!principal.Allows(access))
        {
            Errors.PermissionDenied($"Token '{principal.Name}' may not {Describe(access)}.");
        }
        if (string.IsNullOrEmpty(requestedProject) || requestedProject == principal.Project)
        {
            return principal.Project;
        }
        if (requestedProject.Length > MaxProjectLength || requestedProject.Any(char.IsControl))
        {
            Errors.InvalidArgument("project", $"must be at most {MaxProjectLength} printable characters");
        }
        if (!principal.IsAdmin)
        {
            // The requested name is not echoed: it is caller input of any size.
            Errors.PermissionDenied($"Token '{principal.Name}' may only act on its own project.");
        }
        return requestedProject;
    }

    /// <summary>
    /// Like <see cref="AuthorizeProject"/>, for the lists an admin may also run over every project: null (every
    /// project) when <paramref name="allProjects"/> is set, which only admins may ask for.
    /// </summary>
    public static string? AuthorizeProjects(this ServerCallContext context, Access access, string? requestedProject, bool allProjects)
    {
        var project = context.AuthorizeProject(access, requestedProject);
        if (allProjects && !context.GetPrincipal().IsAdmin)
        {
            Errors.PermissionDenied($"Token '{context.GetPrincipal().Name}' may not act on all projects (needs admin).");
        }
        return allProjects ? null : project;
    }

    /// <summary>
    /// Checks the access kind on a resource found by id: resources of another project are reported
    /// as NOT_FOUND so their existence does not leak.
    /// </summary>
    public static void AuthorizeResource(this ServerCallContext context, Access access, string resourceProject, string notFoundMessage)
    {
        var principal = context.GetPrincipal();
        if (!principal.IsAdmin && resourceProject != principal.Project)
        {
            Errors.NotFound(notFoundMessage);
        }
        if (!principal.Allows(access))
        {
            Errors.PermissionDenied($"Token '{principal.Name}' may not {Describe(access)}.");
        }
    }

    /// <summary>
    /// The project a resource found by id must belong to for the caller to <paramref name="access"/> it: the
    /// requested project, else the caller's own; null for an admin naming none, who may act on any. A write that
    /// checks its resource's project in its own transaction needs no read before it; a resource of another project
    /// is then NOT_FOUND, as <see cref="AuthorizeResource"/> reports it.
    /// </summary>
    public static string? RequiredResourceProject(this ServerCallContext context, Access access, string? requestedProject)
    {
        var project = context.AuthorizeProject(access, requestedProject);
        return string.IsNullOrEmpty(requestedProject) && context.GetPrincipal().IsAdmin ? null : project;
    }

    private static string Describe(Access access) => access switch
    {
        Access.Read => "read",
        Access.Manage => "change or delete (needs member)",
        _ => "record events or logs (needs agent)",
    };
}
