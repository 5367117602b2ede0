using System;
using IoTSec.Gateway.Core.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Broker;

/// <summary>Flushes <see cref="ConnectionRefusalLedger"/> every <see cref="BrokerSettings.RefusalAuditInterval"/>, and once more at stop.</summary>
/// <remarks>Flushes <paramref name="ledger"/> on the configured interval.</remarks>
public sealed partial class BrokerRefusalFlusher(ConnectionRefusalLedger ledger, IOptions<BrokerSettings> options, ILogger<BrokerRefusalFlusher> logger)
    : PeriodicAuditFlush(options?.Value.RefusalAuditInterval ?? throw new ArgumentNullException(nameof(options)))
{
    private readonly ConnectionRefusalLedger _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
    private readonly ILogger<BrokerRefusalFlusher> _logger = logger ?? throw new ArgumentNullException(nameof(logger));

    /// <inheritdoc />
    protected override void Flush() => _ledger.Flush();

    /// <inheritdoc />
    protected override void OnFlushFailed(Exception error) => LogFlushFailed(_logger, error);

    [LoggerMessage(EventId = 3401, Level = LogLevel.Error, Message = "could not write broker connection refusals to the audit log")]
    private static partial void LogFlushFailed(ILogger logger, Exception error);
}
