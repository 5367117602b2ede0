using System;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Posture;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Hosting;

/// <summary>
/// Runs the <see cref="SilenceDetector"/> every <see cref="PostureSettings.SweepInterval"/>
/// (a few seconds) while the daemon runs, so a device that stops beating is reported within
/// two intervals, the grace and one sweep.
/// </summary>
internal sealed partial class PostureSweep(SilenceDetector detector, PostureSettings settings, TimeProvider time, ILogger<PostureSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                detector.Sweep(time.GetUtcNow());
            }
#pragma warning disable CA1031 // One failed sweep (a locked database) must not stop the next ones; it is logged.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogSweepFailed(logger, e);
            }
        }
    }

    [LoggerMessage(EventId = 5501, Level = LogLevel.Error, Message = "the silent-device sweep failed; retrying at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception error);
}
