using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Broker;

/// <summary>
/// Settings of the device broker (configuration section <c>IoTSec:Broker</c>). The defaults
/// are the gateway's embedded defaults: loopback only, MQTT over TLS on 8883.
/// </summary>
public sealed class BrokerSettings : IValidatableObject
{
    /// <summary>The configuration section under the gateway's root section.</summary>
    public const string SectionName = "Broker";

    /// <summary>IP address to listen on: 127.0.0.1 by default; 0.0.0.0 or :: for every interface.</summary>
    [Required]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>TCP port (0: any free port, for tests and benchmarks).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8883;

    /// <summary>Open connections at once; further connections are closed before their TLS handshake (counted, audited).</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 20_000;

    /// <summary>Longest TLS handshake; a client that stalls it is dropped (slowloris).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for CONNECT and other protocol round trips (MQTTnet's communication timeout).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CommunicationTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Messages queued for one slow subscriber before the oldest are dropped (bounded memory per device).</summary>
    [Range(1, 100_000)]
    public int MaxPendingMessagesPerClient { get; set; } = 100;

    /// <summary>
    /// How often refused connections, counted per source address, are written to the audit
    /// log: one entry per source and interval, so a flood cannot fill the log.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RefusalAuditInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Let OpenSSL free each connection's TLS record buffers (about 32 KB) while it is idle
    /// (<c>SSL_MODE_RELEASE_BUFFERS</c>, as Mosquitto does). On by default; off restores .NET's
    /// behaviour (buffers held for the connection's life). Where the runtime does not allow it
    /// (not Linux, another SslStream layout) connections keep their buffers. ADR 0009.
    /// </summary>
    public bool ReleaseIdleTlsBuffers { get; set; } = true;

    /// <summary>
    /// MQTTnet's per-connection packet-writer buffer, allocated at CONNECT and kept for the
    /// connection's life (MQTTnet's default is 4,096 bytes). The broker mostly writes PUBACKs
    /// (4 bytes) and small downlinks, so a small buffer that grows for a large packet keeps idle
    /// connections small; after a packet larger than <see cref="WriterBufferSizeMax"/> it is
    /// shrunk back to that size.
    /// </summary>
    [Range(64, 65_536)]
    public int WriterBufferSize { get; set; } = 256;

    /// <summary>The size MQTTnet's packet writer shrinks back to after a larger packet (MQTTnet's default is 65,535).</summary>
    [Range(64, 1_048_576)]
    public int WriterBufferSizeMax { get; set; } = 4_096;

    /// <summary>The address to bind.</summary>
    public IPAddress ListenAddress => IPAddress.Parse(Address);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(Address, out _))
        {
            yield return new ValidationResult($"'{Address}' is not an IP address (use 127.0.0.1, 0.0.0.0 or ::)", [nameof(Address)]);
        }

        if (WriterBufferSizeMax < WriterBufferSize)
        {
            yield return new ValidationResult($"WriterBufferSizeMax ({WriterBufferSizeMax}) is smaller than WriterBufferSize ({WriterBufferSize})", [nameof(WriterBufferSizeMax)]);
        }
    }
}

/// <summary>Validates <see cref="BrokerSettings"/> (source-generated from its attributes) at start.</summary>
[OptionsValidator]
public sealed partial class BrokerSettingsValidator : IValidateOptions<BrokerSettings>
{
}
