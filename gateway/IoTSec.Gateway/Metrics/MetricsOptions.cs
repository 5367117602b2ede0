using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Metrics;

/// <summary>
/// The Prometheus endpoint, section <c>IoTSec:Metrics</c>. It is plain HTTP without
/// authentication, which is acceptable only on the loopback (a local Prometheus agent or node
/// exporter scrapes it); any other address must be allowed explicitly.
/// </summary>
public sealed class MetricsOptions : IValidatableObject
{
    /// <summary>The section under <c>IoTSec</c>.</summary>
    public const string SectionName = "Metrics";

    /// <summary>Serve /metrics at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>IP address to listen on (loopback unless <see cref="AllowNonLoopback"/>).</summary>
    [Required]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>TCP port (0: any free port, for tests).</summary>
    [Range(0, 65535, ErrorMessage = "IoTSec:Metrics:Port must be between 0 and 65535")]
    public int Port { get; set; } = 9464;

    /// <summary>Permits a non-loopback <see cref="Address"/>: anyone who reaches it reads the metrics.</summary>
    public bool AllowNonLoopback { get; set; }

    /// <summary>The address to bind.</summary>
    public IPAddress ListenAddress => IPAddress.Parse(Address);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(Address, out var address))
        {
            yield return new ValidationResult($"IoTSec:Metrics:Address '{Address}' is not an IP address (use 127.0.0.1 or ::1)", [nameof(Address)]);
        }
        else if (!IPAddress.IsLoopback(address) && !AllowNonLoopback)
        {
            yield return new ValidationResult(
                $"IoTSec:Metrics:Address '{Address}' is not a loopback address: the metrics are plain HTTP without authentication; " +
                "keep them on 127.0.0.1 or set IoTSec:Metrics:AllowNonLoopback=true",
                [nameof(Address)]);
        }
    }
}

/// <summary>Validates <see cref="MetricsOptions"/> at start (source-generated from its attributes).</summary>
[OptionsValidator]
public sealed partial class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
}
