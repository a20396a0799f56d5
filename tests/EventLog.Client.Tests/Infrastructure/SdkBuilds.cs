namespace EventLog.Client.Tests.Infrastructure;

/// <summary>Tests that run <c>dotnet build</c> on a project referencing the SDK: run one after the other, never together.</summary>
[CollectionDefinition(nameof(SdkBuilds))]
public sealed class SdkBuilds;
