namespace EventLog.Storage.Core;

/// <summary>One retention job: a round deletes at most <c>batchSize</c> rows and returns how many it deleted.</summary>
internal interface IReaper
{
    string Name { get; }

    /// <summary>False when its retention period is zero or negative.</summary>
    bool Enabled { get; }

    Task<int> ReapRoundAsync(DateTime now, int batchSize, CancellationToken ct);
}
