using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLog.Viewer.Tests;

/// <summary>
/// Headless Chromium (Debian's <c>/usr/bin/chromium</c>) driven by tests/viewer/browser-driver.mjs over one JSON line
/// per command. One browser per test class; <see cref="OpenAsync"/> gives each test a fresh context (no shared
/// session storage). Commands run one at a time.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StringBuilder _stderr = new();
    private Process? _process;
    private int _nextId;

    /// <summary>The folder screenshots are written to: artifacts/viewer under the repository root.</summary>
    public static string ArtifactsDirectory { get; } = Path.Combine(Commands.RepositoryRoot(), "artifacts", "viewer");

    public async Task InitializeAsync()
    {
        var root = Commands.RepositoryRoot();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.Combine(root, "tests", "viewer"),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("browser-driver.mjs");
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        Directory.CreateDirectory(ArtifactsDirectory);
        await OpenAsync();
    }

    /// <summary>A new browser context and page, in the given time zone (the reader's zone the page shows).</summary>
    public Task OpenAsync(string timezoneId = "Europe/Berlin") => SendAsync("open", new { timezoneId });

    public Task GotoAsync(Uri url) => SendAsync("goto", new { url = url.ToString() });

    public Task FillAsync(string selector, string value) => SendAsync("fill", new { selector, value });

    public Task SelectAsync(string selector, string value) => SendAsync("select", new { selector, value });

    public Task ClickAsync(string selector) => SendAsync("click", new { selector });

    /// <summary>Waits until an element matching <paramref name="selector"/> contains <paramref name="text"/>.</summary>
    public Task WaitForTextAsync(string selector, string text, TimeSpan? timeout = null) =>
        SendAsync("waitForText", new { selector, text, timeout = (timeout ?? TimeSpan.FromSeconds(10)).TotalMilliseconds });

    public Task WaitForAsync(string selector, TimeSpan? timeout = null) =>
        SendAsync("waitFor", new { selector, timeout = (timeout ?? TimeSpan.FromSeconds(10)).TotalMilliseconds });

    /// <summary>Clicks what starts a download and returns the downloaded file's text.</summary>
    public async Task<string> DownloadAsync(string selector) => (await SendAsync("download", new { selector }))!.GetValue<string>();

    public async Task<string> TextAsync(string selector) => (await SendAsync("text", new { selector }))!.GetValue<string>();

    public async Task<int> CountAsync(string selector) => (await SendAsync("count", new { selector }))!.GetValue<int>();

    /// <summary>Evaluates a JavaScript expression or function in the page and returns its JSON value.</summary>
    public Task<JsonNode?> EvaluateAsync(string script) => SendAsync("evaluate", new { script });

    /// <summary>Writes a full-page screenshot to artifacts/viewer/<paramref name="name"/>.png.</summary>
    public Task ScreenshotAsync(string name) => SendAsync("screenshot", new { path = Path.Combine(ArtifactsDirectory, name + ".png") });

    /// <summary>Uncaught script errors of the current page.</summary>
    public async Task<IReadOnlyList<string>> PageErrorsAsync() =>
        (await SendAsync("errors", new { }))!.AsArray().Select(e => e!.GetValue<string>()).ToList();

    public async Task DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }
        try
        {
            await SendAsync("close", new { });
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception) when (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    private async Task<JsonNode?> SendAsync(string command, object args)
    {
        var process = _process ?? throw new InvalidOperationException("The browser is not started.");
        await _gate.WaitAsync();
        try
        {
            var id = ++_nextId;
            await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { id, command, args }));
            await process.StandardInput.FlushAsync();
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync().WaitAsync(CommandTimeout)
                    ?? throw new InvalidOperationException($"The browser driver ended during '{command}':\n{DriverErrors()}");
                var answer = JsonNode.Parse(line)!;
                if (answer["id"]!.GetValue<int>() != id)
                {
                    continue;
                }
                return answer["ok"]!.GetValue<bool>()
                    ? answer["value"]
                    : throw new BrowserCommandException($"{command} {JsonSerializer.Serialize(args)} failed: {answer["error"]}");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private string DriverErrors()
    {
        lock (_stderr)
        {
            return _stderr.ToString();
        }
    }
}

/// <summary>A browser command that failed: an element did not appear in time, a click missed, a script threw.</summary>
public sealed class BrowserCommandException(string message) : Exception(message);
