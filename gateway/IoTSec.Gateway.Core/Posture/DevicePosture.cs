using System;
using System.Collections.Generic;

namespace IoTSec.Gateway.Core.Posture;

/// <summary>
/// What the gateway remembers about one device's posture between heartbeats (a row of
/// posture.db). Mutable: the heartbeat processor changes a copy it loaded and saves it back
/// in one write.
/// </summary>
public sealed class DevicePosture
{
    // The state of a chain that has seen nothing; shared, never mutated (ChainState is replaced, not changed).
    private static readonly byte[] EmptyChain = new IoTSec.Protocol.Heartbeat.HeartbeatChainVerifier().Serialize();

    /// <summary>A record for a device whose first verified heartbeat starts key epoch (<paramref name="certificateSerial"/>, <paramref name="keyId"/>).</summary>
    public DevicePosture(string deviceId, string deviceClass, byte[] certificateSerial, byte[] keyId, DateTimeOffset epochStartedAt, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        DeviceId = deviceId;
        DeviceClass = deviceClass;
        CertificateSerial = certificateSerial;
        KeyId = keyId;
        EpochStartedAt = epochStartedAt;
        ChainState = EmptyChain;
        Verdict = PostureVerdict.Unknown;
        VerdictReason = "none";
        VerdictSince = now;
    }

    /// <summary>The device id.</summary>
    public string DeviceId { get; }

    /// <summary>The class of the device's last connection (which rules judged it).</summary>
    public string DeviceClass { get; set; }

    /// <summary>The serial (big-endian) of the certificate whose key epoch is current.</summary>
    public byte[] CertificateSerial { get; set; }

    /// <summary>The current epoch's key id (first 8 bytes of SHA-256 of the key).</summary>
    public byte[] KeyId { get; set; }

    /// <summary>When the current epoch started at this gateway.</summary>
    public DateTimeOffset EpochStartedAt { get; set; }

    /// <summary>The serialized <see cref="IoTSec.Protocol.Heartbeat.HeartbeatChainVerifier"/>.</summary>
    public byte[] ChainState { get; set; }

    /// <summary>Boot count of the last accepted heartbeat.</summary>
    public uint? BootCount { get; set; }

    /// <summary>Firmware digest of the last accepted heartbeat.</summary>
    public byte[]? FirmwareDigest { get; set; }

    /// <summary>Firmware version of the last accepted heartbeat.</summary>
    public string? FirmwareVersion { get; set; }

    /// <summary>Sequence of the last accepted heartbeat.</summary>
    public ulong? LastSequence { get; set; }

    /// <summary>When the last accepted heartbeat arrived.</summary>
    public DateTimeOffset? LastHeartbeatAt { get; set; }

    /// <summary>The current verdict.</summary>
    public PostureVerdict Verdict { get; set; }

    /// <summary>The code of the finding behind the verdict ("heartbeat.ok", "posture.unknown-firmware", …).</summary>
    public string VerdictReason { get; set; }

    /// <summary>Since when (gateway clock) the verdict holds.</summary>
    public DateTimeOffset VerdictSince { get; set; }

    /// <summary>
    /// Proof of compromise seen in this key epoch (a fork, a boot count going back): keeps the
    /// verdict compromised whatever later heartbeats say, until a new epoch (re-enrolment).
    /// </summary>
    public string? Evidence { get; set; }

    /// <summary>True once the silence detector reported the device; cleared by its next heartbeat.</summary>
    public bool Silent { get; set; }

    /// <summary>When the last boots were seen (gateway clock), oldest first, at most the storm threshold.</summary>
    public List<DateTimeOffset> RecentBoots { get; } = [];

    /// <summary>True once the first healthy heartbeat moved the device from Enrolled to Operating.</summary>
    public bool OperatingConfirmed { get; set; }

    /// <summary>The id the next command to this device gets (ids never go back, docs/protocols/topics.md).</summary>
    public ulong NextCommandId { get; set; } = 1;
}
