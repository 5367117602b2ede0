using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Forwarder;

/// <summary>
/// Moves the spool upstream: connects (jittered backoff after failures), takes the oldest
/// records in spool order, publishes them as one batch with QoS 1, and deletes them only after
/// the broker's PUBACK: at-least-once, order kept per device (and overall), nothing lost on a
/// restart. Reissues the client certificate before it expires, reconnecting with the new one.
/// Snapshot requests from upstream are queued through the spool, behind pending records.
/// </summary>
public sealed partial class UpstreamForwarder : BackgroundService
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    private readonly UpstreamSpool _spool;
    private readonly UpstreamSettings _settings;
    private readonly Func<UpstreamForwarder, UpstreamLink> _linkFactory;
    private readonly UpstreamClientIdentity? _identity;
    private readonly string _clientId;
    private readonly string _recordsTopic;
    private readonly ILogger<UpstreamForwarder> _logger;
    private long _sentRecords;

    /// <summary>Creates it; <paramref name="identity"/> and <paramref name="linkFactory"/> are unused when no host is configured.</summary>
    public UpstreamForwarder(UpstreamSpool spool, UpstreamSettings settings, string clientId, UpstreamClientIdentity? identity, Func<UpstreamForwarder, UpstreamLink> linkFactory, ILogger<UpstreamForwarder> logger)
    {
        ArgumentNullException.ThrowIfNull(spool);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(linkFactory);
        ArgumentNullException.ThrowIfNull(logger);
        _spool = spool;
        _settings = settings;
        _clientId = clientId;
        _identity = identity;
        _linkFactory = linkFactory;
        _recordsTopic = settings.RecordsTopicFor(clientId);
        _logger = logger;
    }

    /// <summary>Records acknowledged upstream since start.</summary>
    public long SentRecords => Interlocked.Read(ref _sentRecords);

    /// <summary>Handles one message from the request topic (outside input: parsed, bounded, refusals logged with the reason).</summary>
    public Task OnRequestAsync(byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        try
        {
            var request = SnapshotRequest.Parse(payload);
            var queued = _spool.RequestSnapshots(request.Devices);
            LogSnapshotsQueued(_logger, queued, request.Devices is null ? "every device" : request.Devices.Count + " devices");
        }
        catch (SnapshotRequestRejectedException e)
        {
            LogRequestRefused(_logger, e.Reason, e.Message);
        }
        catch (UpstreamSpoolFullException e)
        {
            LogSnapshotsNotQueued(_logger, e.Message);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_settings.Enabled)
        {
            LogDisabled(_logger, _spool.Path, _spool.Backlog);
            return;
        }

        var backoff = new ReconnectBackoff(_settings.ReconnectMinDelay, _settings.ReconnectMaxDelay);
        await using var link = _linkFactory(this);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_identity is { RenewDue: true })
                {
                    await link.DisconnectAsync().ConfigureAwait(false);
                    _identity.Renew();
                    LogRenewed(_logger, _identity.Certificate.Subject, _identity.Certificate.NotAfter.ToUniversalTime());
                }

                if (!link.IsConnected)
                {
                    UpstreamMetrics.SetConnected(false);
                    await link.ConnectAsync(stoppingToken).ConfigureAwait(false);
                    UpstreamMetrics.Connects.Add(1, UpstreamMetrics.Outcome("connected"));
                    UpstreamMetrics.SetConnected(true);
                    backoff.Reset();
                    LogConnected(_logger, _settings.Host, _settings.Port, _clientId, _spool.Backlog);
                }

                await _spool.WaitForRecordsAsync(IdleWait, stoppingToken).ConfigureAwait(false);
                var records = _spool.Peek(_settings.BatchMaxRecords, _settings.BatchMaxBytes);
                if (records.Count == 0)
                {
                    continue;
                }

                var payload = UpstreamBatch.Encode(_clientId, records, _settings.Compress);
                await link.PublishAsync(_recordsTopic, payload, stoppingToken).ConfigureAwait(false);
                _spool.Acknowledge(records[^1].Id);
                long full = 0;
                foreach (var record in records)
                {
                    full += record.FullBytes;
                }

                Interlocked.Add(ref _sentRecords, records.Count);
                UpstreamMetrics.Sent.Add(records.Count);
                UpstreamMetrics.BytesSent.Add(payload.Length);
                if (full > payload.Length)
                {
                    UpstreamMetrics.BytesSaved.Add(full - payload.Length);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Any failure of the link (TLS, socket, MQTT, a refused publish) is transient here: back off and reconnect; the spool keeps everything.
            catch (Exception e)
#pragma warning restore CA1031
            {
                UpstreamMetrics.SetConnected(false);
                UpstreamMetrics.Connects.Add(1, UpstreamMetrics.Outcome("failed"));
                var delay = backoff.Next();
                LogLinkFailed(_logger, _settings.Host, _settings.Port, e.GetType().Name, e.Message, delay.TotalSeconds, _spool.Backlog);
                try
                {
                    await link.DisconnectAsync().ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Tearing down a broken connection may fail in any way; it is being replaced.
                catch (Exception)
#pragma warning restore CA1031
                {
                }

                try
                {
                    await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        UpstreamMetrics.SetConnected(false);
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "no upstream link (IoTSec:Upstream:Host is empty): messages for upstream are kept in the spool {Path} ({Backlog} pending) and forwarded once a host is configured")]
    private static partial void LogDisabled(ILogger logger, string path, long backlog);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Information, Message = "upstream connected to {Host}:{Port} as {ClientId} ({Backlog} records pending)")]
    private static partial void LogConnected(ILogger logger, string host, int port, string clientId, long backlog);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Warning, Message = "upstream link to {Host}:{Port} failed ({Error}: {Reason}); retrying in {DelaySeconds:F1} s, {Backlog} records kept in the spool")]
    private static partial void LogLinkFailed(ILogger logger, string host, int port, string error, string reason, double delaySeconds, long backlog);

    [LoggerMessage(EventId = 7013, Level = LogLevel.Information, Message = "upstream client certificate reissued: {Subject}, valid until {NotAfter:u}")]
    private static partial void LogRenewed(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 7014, Level = LogLevel.Information, Message = "upstream asked for snapshots of {Which}: {Queued} queued")]
    private static partial void LogSnapshotsQueued(ILogger logger, int queued, string which);

    [LoggerMessage(EventId = 7015, Level = LogLevel.Warning, Message = "refused a request from upstream ({Reason}): {Detail}")]
    private static partial void LogRequestRefused(ILogger logger, SnapshotRequestRejection reason, string detail);

    [LoggerMessage(EventId = 7016, Level = LogLevel.Warning, Message = "snapshots asked for by upstream not queued: {Problem}")]
    private static partial void LogSnapshotsNotQueued(ILogger logger, string problem);
}
