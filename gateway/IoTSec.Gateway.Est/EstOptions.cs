using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Est;

/// <summary>
/// Settings of the EST service (configuration section <c>IoTSec:Est</c>). The defaults are
/// the gateway's embedded defaults: loopback only, a storm is queued rather than refused.
/// </summary>
public sealed class EstOptions : IValidatableObject
{
    /// <summary>The configuration section under the gateway's root section.</summary>
    public const string SectionName = "Est";

    /// <summary>IP address to listen on: 127.0.0.1 by default; 0.0.0.0 or :: for every interface.</summary>
    [Required]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>TCP port (0: any free port, for tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8443;

    /// <summary>
    /// At most one enrolment per device in this interval (429 with Retry-After within it).
    /// Stops a looping device from churning certificates and the inventory; zero disables it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan EnrolmentInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Enrolments signing at the same time (a TPM signs one at a time anyway).</summary>
    [Range(1, 256)]
    public int SigningSlots { get; set; } = 4;

    /// <summary>Enrolments that may wait for a signing slot; beyond it a request gets 503 with Retry-After.</summary>
    [Range(0, 1_000_000)]
    public int QueueLimit { get; set; } = 10_000;

    /// <summary>Longest wait for a signing slot before 503 with Retry-After.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The Retry-After sent with 503 (queue full, secret unavailable).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BusyRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often refusals, counted per source address, are written to the audit log: one
    /// entry per source and interval, so a flood of bad requests cannot fill the log.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RefusalAuditInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Open connections the listener accepts at once (Kestrel's MaxConcurrentConnections).</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 4096;

    /// <summary>Longest TLS handshake.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest request body (a base64 CSR); larger requests get 413.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 32 * 1024;

    /// <summary>The address to bind.</summary>
    public IPAddress ListenAddress => IPAddress.Parse(Address);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(Address, out _))
        {
            yield return new ValidationResult($"'{Address}' is not an IP address (use 127.0.0.1, 0.0.0.0 or ::)", [nameof(Address)]);
        }
    }
}

/// <summary>Validates <see cref="EstOptions"/> (source-generated from its attributes) at start.</summary>
[OptionsValidator]
public sealed partial class EstOptionsValidator : IValidateOptions<EstOptions>
{
}
