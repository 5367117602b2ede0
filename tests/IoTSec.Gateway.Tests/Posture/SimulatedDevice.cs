using System;
using System.Security.Cryptography;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Gateway.Tests.Posture;

/// <summary>
/// The device side of the heartbeat protocol, built from the shared code exactly as firmware
/// uses it: the key from the derivation the heartbeat-key endpoint serves, the chain head
/// (next sequence, previous link) advanced after each heartbeat, boot count and uptime.
/// </summary>
internal sealed class SimulatedDevice
{
    public SimulatedDevice(string deviceId, byte[] gatewaySecret, byte[] certificateSerial, byte[] firmwareDigest)
    {
        DeviceId = deviceId;
        Key = HeartbeatKeyDerivation.Derive(gatewaySecret, deviceId, certificateSerial);
        FirmwareDigest = firmwareDigest;
    }

    /// <summary>A device holding <paramref name="key"/> as served by the gateway's heartbeat-key endpoint.</summary>
    public SimulatedDevice(string deviceId, byte[] key, byte[] firmwareDigest)
    {
        DeviceId = deviceId;
        Key = key;
        FirmwareDigest = firmwareDigest;
    }

    private SimulatedDevice(SimulatedDevice other)
    {
        DeviceId = other.DeviceId;
        Key = other.Key;
        FirmwareDigest = other.FirmwareDigest;
        Sequence = other.Sequence;
        PreviousLink = (byte[])other.PreviousLink.Clone();
        BootCount = other.BootCount;
        Uptime = other.Uptime;
    }

    public string DeviceId { get; }

    public byte[] Key { get; }

    public byte[] FirmwareDigest { get; set; }

    public string FirmwareVersion { get; set; } = "1.0.0";

    public PostureFlags Flags { get; set; }

    public ulong Sequence { get; private set; }

    public byte[] PreviousLink { get; private set; } = HeartbeatLink.Genesis();

    public uint BootCount { get; set; } = 1;

    public uint Uptime { get; set; } = 10;

    /// <summary>The last heartbeat made, for replays.</summary>
    public byte[] Last { get; private set; } = [];

    /// <summary>A second device with this one's identity, key and chain head: a clone.</summary>
    public SimulatedDevice Clone() => new(this);

    /// <summary>Makes the next heartbeat and advances the chain head, as device rule 2 says.</summary>
    public byte[] Next()
    {
        var fields = new HeartbeatFields
        {
            DeviceId = DeviceId,
            Sequence = Sequence,
            BootCount = BootCount,
            UptimeSeconds = Uptime,
            FirmwareVersion = FirmwareVersion,
            FirmwareDigest = FirmwareDigest,
            ActiveSlot = FirmwareSlot.A,
            ConfigurationDigest = SHA256.HashData("config"u8),
            PreviousDigest = PreviousLink,
            PostureFlags = Flags,
            LastRefusal = 0,
        };
        var encoded = HeartbeatEncoder.Encode(fields, Key);
        PreviousLink = HeartbeatLink.Compute(encoded);
        Sequence++;
        Uptime += 60;
        Last = encoded;
        return encoded;
    }

    /// <summary>A reboot: the boot count goes up, uptime restarts; the chain continues.</summary>
    public void Reboot()
    {
        BootCount++;
        Uptime = 5;
    }
}
