using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Policy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Hosting;

/// <summary>Writes the policy violations of each <see cref="PolicySettings.ViolationAuditInterval"/> to the audit log (one entry per device), and once more at stop.</summary>
internal sealed partial class PolicyViolationFlushing(PolicyViolationAuditor auditor, IOptions<PolicySettings> settings, ILogger<PolicyViolationFlushing> logger)
    : PeriodicAuditFlush(settings.Value.ViolationAuditInterval)
{
    protected override void Flush()
    {
        foreach (var summary in auditor.Flush())
        {
            LogViolations(logger, summary);
        }
    }

    protected override void OnFlushFailed(System.Exception error) => LogFlushFailed(logger, error);

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "policy violations by {Summary}")]
    private static partial void LogViolations(ILogger logger, string summary);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Error, Message = "could not write policy violations to the audit log")]
    private static partial void LogFlushFailed(ILogger logger, System.Exception error);
}
