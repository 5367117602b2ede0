using System;
using IoTSec.Gateway.Core.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Est;

/// <summary>Flushes <see cref="RefusalAuditor"/> every <see cref="EstOptions.RefusalAuditInterval"/>, and once more at stop.</summary>
/// <remarks>Flushes <paramref name="auditor"/> on the configured interval.</remarks>
public sealed partial class RefusalAuditFlusher(RefusalAuditor auditor, IOptions<EstOptions> options, ILogger<RefusalAuditFlusher> logger)
    : PeriodicAuditFlush(options?.Value.RefusalAuditInterval ?? throw new ArgumentNullException(nameof(options)))
{
    private readonly RefusalAuditor _auditor = auditor ?? throw new ArgumentNullException(nameof(auditor));
    private readonly ILogger<RefusalAuditFlusher> _logger = logger ?? throw new ArgumentNullException(nameof(logger));

    /// <inheritdoc />
    protected override void Flush() => _auditor.Flush();

    /// <inheritdoc />
    protected override void OnFlushFailed(Exception error) => LogFlushFailed(_logger, error);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Error, Message = "could not write EST refusals to the audit log")]
    private static partial void LogFlushFailed(ILogger logger, Exception error);
}
