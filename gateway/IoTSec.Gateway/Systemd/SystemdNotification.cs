using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Systemd;

/// <summary>
/// The daemon's side of systemd's notify protocol beyond what <c>AddSystemd</c> does:
/// READY=1 once every listener is up, STATUS= lines, WATCHDOG=1 at half of WATCHDOG_USEC
/// while every <see cref="IGatewayHealthCheck"/> passes, STOPPING=1.
/// </summary>
/// <remarks>
/// Under systemd itself <c>SystemdLifetime</c> sends READY=1 and STOPPING=1 (after
/// ApplicationStarted, i.e. after Kestrel has bound its listeners). .NET only recognises
/// systemd as the direct parent; another notify-protocol supervisor (podman
/// --sdnotify=container, a test) sets NOTIFY_SOCKET too, and then this service sends them.
/// A wedged thread pool stops the pings as surely as a failed check: the ping runs on it.
/// </remarks>
internal sealed partial class SystemdNotification(
    ISystemdNotifier notifier,
    IHostLifetime hostLifetime,
    IHostApplicationLifetime lifetime,
    IEnumerable<IGatewayHealthCheck> checks,
    DaemonStatus status,
    ILogger<SystemdNotification> logger) : BackgroundService
{
    private readonly IReadOnlyList<IGatewayHealthCheck> _checks = [.. checks];

    private bool SendsReadiness => hostLifetime is not SystemdLifetime;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled)
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        Notify((SendsReadiness ? "READY=1\n" : string.Empty) + "STATUS=" + status.Describe());
        using var stopping = lifetime.ApplicationStopping.Register(() =>
            Notify((SendsReadiness ? "STOPPING=1\n" : string.Empty) + "STATUS=stopping"));

        var interval = WatchdogSettings.FromEnvironment();
        if (interval is null)
        {
            return;
        }

        LogWatchdog(logger, interval.Value.TotalMilliseconds);
        string? lastProblem = null;
        Ping(ref lastProblem);
        using var timer = new PeriodicTimer(interval.Value);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Ping(ref lastProblem);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void Ping(ref string? lastProblem)
    {
        var problem = Problem();
        if (problem is null)
        {
            Notify(lastProblem is null ? "WATCHDOG=1" : "WATCHDOG=1\nSTATUS=" + status.Describe());
            if (lastProblem is not null)
            {
                LogHealthy(logger);
            }
        }
        else if (problem != lastProblem)
        {
            // No WATCHDOG=1: systemd restarts the daemon when WatchdogSec= runs out.
            LogUnhealthy(logger, problem);
            Notify("STATUS=unhealthy: " + problem);
        }

        lastProblem = problem;
    }

    private string? Problem()
    {
        var problems = new List<string>();
        foreach (var check in _checks)
        {
            string? problem;
            try
            {
                problem = check.Problem();
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or System.IO.IOException
                                          or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                // A check that cannot answer is a failing check.
                problem = e.Message;
            }

            if (problem is not null)
            {
                problems.Add(check.Name + ": " + problem);
            }
        }

        return problems.Count == 0 ? null : string.Join("; ", problems.Select(p => p.ReplaceLineEndings(" ")));
    }

    private void Notify(string state) => notifier.Notify(new ServiceState(state));

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "systemd watchdog: WATCHDOG=1 every {IntervalMs} ms while healthy")]
    private static partial void LogWatchdog(ILogger logger, double intervalMs);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Error, Message = "unhealthy, watchdog pings withheld (systemd restarts the daemon after WatchdogSec): {Problem}")]
    private static partial void LogUnhealthy(ILogger logger, string problem);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Information, Message = "healthy again, watchdog pings resumed")]
    private static partial void LogHealthy(ILogger logger);
}
