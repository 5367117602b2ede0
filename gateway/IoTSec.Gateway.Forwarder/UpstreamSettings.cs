using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.IO;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Forwarder;

/// <summary>
/// Settings of the upstream forwarder (configuration section <c>IoTSec:Upstream</c>). With no
/// <see cref="Host"/> (the embedded default) the link is off and the spool still persists
/// every message, so a gateway configured later forwards what it kept.
/// </summary>
public sealed class UpstreamSettings : IValidatableObject
{
    /// <summary>The configuration section under the gateway's root section.</summary>
    public const string SectionName = "Upstream";

    /// <summary>Upstream broker host name or address; empty: no upstream link (the spool still persists).</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>Upstream broker port (MQTT over TLS).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 8883;

    /// <summary>PEM file of the CA(s) that issue the upstream broker's certificate; required with a host. Relative: to the data directory.</summary>
    public string CaFile { get; set; } = string.Empty;

    /// <summary>
    /// Name the broker's certificate must carry (SAN); empty: <see cref="Host"/>. Set it when the
    /// host is an address and the certificate names a DNS name.
    /// </summary>
    public string ServerName { get; set; } = string.Empty;

    /// <summary>MQTT client id (and the CN of the issued client certificate); empty: the gateway name (IoTSec:Pki:GatewayName).</summary>
    [RegularExpression("^$|^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", ErrorMessage = "must be 1-64 characters of [A-Za-z0-9._-]")]
    public string ClientId { get; set; } = string.Empty;

    /// <summary>MQTT user name, when the upstream wants one beside the certificate (Azure IoT Hub: HUB.azure-devices.net/DEVICE/?api-version=2021-04-12); empty: none.</summary>
    public string Username { get; set; } = string.Empty;

    /// <summary>
    /// PEM certificate (chain) registered upstream for this gateway, with <see cref="ClientKeyFile"/>; empty (the
    /// default): a short-lived certificate the gateway's own CA issues for a fresh software key, rotated before expiry.
    /// </summary>
    public string ClientCertificateFile { get; set; } = string.Empty;

    /// <summary>PEM private key of <see cref="ClientCertificateFile"/>.</summary>
    public string ClientKeyFile { get; set; } = string.Empty;

    /// <summary>Lifetime of the issued client certificate; it is reissued (and the link reconnected) after two thirds.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan ClientCertificateValidity { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Topic prefix: records go to PREFIX/records, snapshot requests come on PREFIX/requests. Empty: iotsec/v1/gw/CLIENTID.</summary>
    public string TopicPrefix { get; set; } = string.Empty;

    /// <summary>Overrides the records topic (Azure IoT Hub: devices/GATEWAY/messages/events/).</summary>
    public string RecordsTopic { get; set; } = string.Empty;

    /// <summary>Overrides the request topic filter (Azure IoT Hub: devices/GATEWAY/messages/devicebound/#); "none": no requests.</summary>
    public string RequestTopic { get; set; } = string.Empty;

    /// <summary>Most records in one upstream message.</summary>
    [Range(1, 10_000)]
    public int BatchMaxRecords { get; set; } = 500;

    /// <summary>Largest upstream message before compression (AWS IoT Core: 128 KiB; Azure IoT Hub: 256 KiB).</summary>
    [Range(1024, 268_435_455)]
    public int BatchMaxBytes { get; set; } = 120 * 1024;

    /// <summary>Gzip the batch (the upstream consumer recognises the gzip magic bytes 1f 8b).</summary>
    public bool Compress { get; set; } = true;

    /// <summary>How often each device's full state goes upstream (with its next change) so upstream can resync.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Disk the spool may use (bytes of pending records); alerts get <see cref="AlertReserve"/> slots of it.</summary>
    [Range(1L << 16, 1L << 40)]
    public long SpoolMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Alerts that are still accepted once everything else is refused (each counted as <see cref="AlertSlotBytes"/>).</summary>
    [Range(1, 1_000_000)]
    public int AlertReserve { get; set; } = 1000;

    /// <summary>Size of one reserved alert slot; a larger alert is kept too but counts its real size.</summary>
    [Range(256, 1024 * 1024)]
    public int AlertSlotBytes { get; set; } = 4096;

    /// <summary>"full": fsync at every commit (survives a power cut); "normal": WAL synchronous=NORMAL (survives a process crash, not a power cut).</summary>
    [AllowedValues("full", "normal", ErrorMessage = "must be \"full\" or \"normal\"")]
    public string Fsync { get; set; } = "full";

    /// <summary>First reconnect delay; doubled after each failure up to <see cref="ReconnectMaxDelay"/>, with full jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest reconnect delay.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>MQTT keep-alive.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:20:00")]
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>True when an upstream host is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>Bytes of the spool kept for alerts.</summary>
    public long AlertReserveBytes => (long)AlertReserve * AlertSlotBytes;

    /// <summary>The client id with the gateway name as default.</summary>
    public string ClientIdOr(string gatewayName) => ClientId.Length > 0 ? ClientId : gatewayName;

    /// <summary>The topic records are published on.</summary>
    public string RecordsTopicFor(string clientId) => RecordsTopic.Length > 0 ? RecordsTopic : PrefixFor(clientId) + "/records";

    /// <summary>The topic filter snapshot requests come on; null: none.</summary>
    public string? RequestTopicFor(string clientId) =>
        string.Equals(RequestTopic, "none", StringComparison.Ordinal) ? null : RequestTopic.Length > 0 ? RequestTopic : PrefixFor(clientId) + "/requests";

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled)
        {
            if (Host.Trim() != Host || Host.Contains('/', StringComparison.Ordinal) || Host.Contains(':', StringComparison.Ordinal) && !System.Net.IPAddress.TryParse(Host, out _))
            {
                yield return new ValidationResult($"'{Host}' is not a host name or address (no scheme, no port: set Port)", [nameof(Host)]);
            }

            if (string.IsNullOrWhiteSpace(CaFile))
            {
                yield return new ValidationResult("required when Host is set: the PEM file of the CA that issues the upstream broker's certificate", [nameof(CaFile)]);
            }
        }

        if (ClientCertificateFile.Length > 0 != ClientKeyFile.Length > 0)
        {
            yield return new ValidationResult("ClientCertificateFile and ClientKeyFile go together (or neither: the gateway CA issues a short-lived one)", [nameof(ClientKeyFile)]);
        }

        foreach (var (name, topic) in new[] { (nameof(TopicPrefix), TopicPrefix), (nameof(RecordsTopic), RecordsTopic) })
        {
            if (topic.Contains('+', StringComparison.Ordinal) || topic.Contains('#', StringComparison.Ordinal) || topic.Contains('\0', StringComparison.Ordinal))
            {
                yield return new ValidationResult($"'{topic}' holds a wildcard (+ or #) or NUL: a publish topic cannot", [name]);
            }
        }

        if (AlertReserveBytes >= SpoolMaxBytes)
        {
            yield return new ValidationResult($"{AlertReserve} slots of {AlertSlotBytes} bytes leave nothing of SpoolMaxBytes ({SpoolMaxBytes}) for telemetry", [nameof(AlertReserve)]);
        }

        if (ReconnectMaxDelay < ReconnectMinDelay)
        {
            yield return new ValidationResult("shorter than ReconnectMinDelay", [nameof(ReconnectMaxDelay)]);
        }
    }

    /// <summary>Checks the files named here exist and hold what they should (at start, after the data directory is known).</summary>
    /// <returns>Problems, each starting with the key's name.</returns>
    public IReadOnlyList<string> CheckFiles(string dataDirectory)
    {
        var problems = new List<string>();
        if (!Enabled)
        {
            return problems;
        }

        CheckPem(nameof(CaFile), CaFile, "CERTIFICATE");
        if (ClientCertificateFile.Length > 0)
        {
            CheckPem(nameof(ClientCertificateFile), ClientCertificateFile, "CERTIFICATE");
            CheckPem(nameof(ClientKeyFile), ClientKeyFile, "PRIVATE KEY");
        }

        return problems;

        void CheckPem(string key, string path, string label)
        {
            if (path.Length == 0)
            {
                return;
            }

            var full = Resolve(dataDirectory, path);
            if (!File.Exists(full))
            {
                problems.Add($"{key}: '{full}' does not exist");
            }
            else if (!File.ReadAllText(full).Contains(label, StringComparison.Ordinal))
            {
                problems.Add($"{key}: '{full}' holds no PEM {label}");
            }
        }
    }

    /// <summary>A path from these settings, relative to the data directory unless absolute.</summary>
    public static string Resolve(string dataDirectory, string path) => Path.IsPathRooted(path) ? path : Path.Combine(dataDirectory, path);

    private string PrefixFor(string clientId) => (TopicPrefix.Length > 0 ? TopicPrefix : "iotsec/v1/gw/" + clientId).TrimEnd('/');
}

/// <summary>Validates <see cref="UpstreamSettings"/> (source-generated from its attributes) at start.</summary>
[OptionsValidator]
public sealed partial class UpstreamSettingsValidator : IValidateOptions<UpstreamSettings>
{
}
