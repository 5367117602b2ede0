using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Policy;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Hosting;

/// <summary>
/// Reloads the protocol allowlist while the daemon runs: on SIGHUP (<c>systemctl reload</c>) at
/// once, and when the file changes after <see cref="PolicySettings.ReloadDebounce"/> of quiet (an
/// editor's save is several events; a rename over the file is one of them). A new file comes into
/// force whole or not at all: when it has errors they are all logged, counted, and the policy in
/// force stays.
/// </summary>
internal sealed partial class PolicyReload(PolicyStore store, IOptions<PolicySettings> settings, ILogger<PolicyReload> logger) : IHostedService, IDisposable
{
    private readonly Lock _gate = new();
    private Timer? _debounce;
    private FileSystemWatcher? _watcher;
    private PosixSignalRegistration? _hangup;
    private bool _stopped;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = settings.Value;
        _debounce = new Timer(_ => ReloadNow(), null, Timeout.Infinite, Timeout.Infinite);
        if (!OperatingSystem.IsWindows())
        {
            _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                // Handled: SIGHUP means "reload", not "hang up and exit".
                context.Cancel = true;
                LogSignal(logger);
                Schedule(TimeSpan.Zero);
            });
        }

        if (options.WatchFile)
        {
            var directory = Path.GetDirectoryName(store.FilePath)!;
            var name = Path.GetFileName(store.FilePath);
            _watcher = new FileSystemWatcher(directory, name)
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            _watcher.Changed += (_, _) => Schedule(options.ReloadDebounce);
            _watcher.Created += (_, _) => Schedule(options.ReloadDebounce);
            _watcher.Renamed += (_, e) =>
            {
                if (string.Equals(e.Name, name, StringComparison.Ordinal))
                {
                    Schedule(options.ReloadDebounce);
                }
            };
            _watcher.Error += (_, e) => LogWatcherError(logger, e.GetException());
            _watcher.EnableRaisingEvents = true;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
        }

        _hangup?.Dispose();
        _watcher?.Dispose();
        _debounce?.Dispose();
    }

    private void Schedule(TimeSpan delay)
    {
        lock (_gate)
        {
            if (!_stopped)
            {
                _debounce?.Change(delay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void ReloadNow()
    {
        var result = store.Reload();
        switch (result.Outcome)
        {
            case PolicyReloadOutcome.Applied:
                LogApplied(logger, store.FilePath, result.Current.Sha256, result.Current.Classes.Count);
                break;
            case PolicyReloadOutcome.Unchanged:
                LogUnchanged(logger, store.FilePath);
                break;
            default:
                foreach (var error in result.Errors)
                {
                    LogRejectedError(logger, store.FilePath, error.ToString());
                }

                LogRejected(logger, store.FilePath, result.Errors.Count, result.Current.Sha256);
                break;
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "SIGHUP: reloading the protocol allowlist")]
    private static partial void LogSignal(ILogger logger);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "protocol allowlist {Path} reloaded: sha256 {Sha256}, {Classes} classes in force")]
    private static partial void LogApplied(ILogger logger, string path, string sha256, int classes);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Debug, Message = "protocol allowlist {Path} unchanged")]
    private static partial void LogUnchanged(ILogger logger, string path);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Error, Message = "policy {Path}:{Error}")]
    private static partial void LogRejectedError(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Error, Message = "protocol allowlist {Path} refused with {Count} error(s): the policy in force stays (sha256 {Sha256})")]
    private static partial void LogRejected(ILogger logger, string path, int count, string sha256);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Error, Message = "the policy file watcher failed; SIGHUP still reloads")]
    private static partial void LogWatcherError(ILogger logger, Exception error);
}
