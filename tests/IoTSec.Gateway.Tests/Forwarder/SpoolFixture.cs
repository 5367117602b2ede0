using System;
using System.Text;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Forwarder;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Tests.Forwarder;

/// <summary>Small helpers for spool tests: settings, messages, a logger that keeps lines.</summary>
internal static class SpoolFixture
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    public static UpstreamSettings Settings(long maxBytes = 64L * 1024 * 1024, int alertReserve = 100, int alertSlotBytes = 1024) => new()
    {
        SpoolMaxBytes = maxBytes,
        AlertReserve = alertReserve,
        AlertSlotBytes = alertSlotBytes,
        SnapshotInterval = TimeSpan.FromHours(1),
    };

    public static UpstreamMessage Telemetry(string device, string json, DateTimeOffset at) =>
        new(device, UpstreamKind.Telemetry, Encoding.UTF8.GetBytes(json), at);

    public static UpstreamMessage Alert(string device, string code, DateTimeOffset at) =>
        new(device, UpstreamKind.Alert, Encoding.UTF8.GetBytes($$"""{"code":"{{code}}","subject":"{{device}}"}"""), at);

    /// <summary>A device sample of the benchmark's shape: a counter, a constant serial, a few values.</summary>
    public static string Sample(int n, double temperature = 21.5) =>
        $$"""{"counter":{{n}},"serial":"SN-0001","temp":{{temperature.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"fw":"1.0.0"}""";
}

/// <summary>Keeps log lines in memory (messages the operator would read).</summary>
internal sealed class ListLogger : ILogger
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public string Text => string.Join('\n', _lines);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
}
