using System;
using System.Net;
using System.Threading;

namespace IoTSec.Gateway.Core.Edge;

/// <summary>
/// A device as the device edge sees it while it is connected: who it is (from its verified
/// operational certificate, never from what it says), its class, and whether it is
/// quarantined. Made by the broker when a connection is accepted; shared by the policy, the
/// posture service and the remediation actions for the life of that connection.
/// </summary>
public sealed class EdgeDevice
{
    private int _quarantined;

    /// <summary>A device connected with the certificate whose serial is <paramref name="certificateSerial"/>.</summary>
    public EdgeDevice(string deviceId, string deviceClass, byte[] certificateSerial, IPAddress? source, DateTimeOffset connectedAt, bool quarantined)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentException.ThrowIfNullOrEmpty(deviceClass);
        ArgumentNullException.ThrowIfNull(certificateSerial);
        DeviceId = deviceId;
        DeviceClass = deviceClass;
        CertificateSerial = certificateSerial;
        Source = source;
        ConnectedAt = connectedAt;
        _quarantined = quarantined ? 1 : 0;
    }

    /// <summary>The identifier in the device's certificate (also its MQTT client id).</summary>
    public string DeviceId { get; }

    /// <summary>The class in the inventory, whose allowlist applies while the device is not quarantined.</summary>
    public string DeviceClass { get; }

    /// <summary>Serial number (big-endian bytes) of the operational certificate of this connection; the heartbeat key is derived from it.</summary>
    public byte[] CertificateSerial { get; }

    /// <summary>The peer address of the connection, when known.</summary>
    public IPAddress? Source { get; }

    /// <summary>When the connection was accepted.</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>True once the device is quarantined: only the quarantine class's allowlist applies to it.</summary>
    public bool Quarantined => Volatile.Read(ref _quarantined) == 1;

    /// <summary>Marks the device quarantined; returns false when it already was.</summary>
    public bool MarkQuarantined() => Interlocked.Exchange(ref _quarantined, 1) == 0;

    /// <summary>Lifts the mark (an operator released the device).</summary>
    public void ClearQuarantine() => Volatile.Write(ref _quarantined, 0);
}
