using System;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Pki;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Hosting;

/// <summary>
/// Reissues the gateway's TLS server certificate ahead of traffic (the rotator would also do it
/// on the first handshake after it is due) and logs every rotation and failure: a rotation
/// failing for hours ends in expired certificates, so it is logged as an error each minute.
/// </summary>
internal sealed partial class ServerCertificateRotation(ServerCertificateRotator rotator, ILogger<ServerCertificateRotation> logger) : BackgroundService
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        rotator.Rotated += OnRotated;
        rotator.RotationFailed += OnRotationFailed;
        var current = rotator.Current;
        LogCurrent(logger, current.SerialNumber, current.NotAfter.ToUniversalTime(), rotator.RenewAt.UtcDateTime);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        rotator.Rotated -= OnRotated;
        rotator.RotationFailed -= OnRotationFailed;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                rotator.RotateIfDue();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void OnRotated(object? sender, ServerCertificateRotatedEventArgs e) =>
        LogRotated(logger, e.Certificate.SerialNumber, e.Certificate.NotAfter.ToUniversalTime());

    private void OnRotationFailed(object? sender, ServerCertificateRotationFailedEventArgs e) =>
        LogRotationFailed(logger, e.Error);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "TLS server certificate serial {Serial}, valid until {NotAfter:u}, renewed after {RenewAt:u}")]
    private static partial void LogCurrent(ILogger logger, string serial, DateTime notAfter, DateTime renewAt);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "rotated the TLS server certificate: serial {Serial}, valid until {NotAfter:u}")]
    private static partial void LogRotated(ILogger logger, string serial, DateTime notAfter);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "could not reissue the TLS server certificate; retrying in a minute")]
    private static partial void LogRotationFailed(ILogger logger, Exception error);
}
