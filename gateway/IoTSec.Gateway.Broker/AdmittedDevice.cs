using System;

namespace IoTSec.Gateway.Broker;

/// <summary>
/// What the TLS handshake established about a client, handed to the MQTT CONNECT check: the
/// device id from its verified certificate, its class and quarantine state from the inventory,
/// and the certificate serial (the heartbeat key is derived from it).
/// </summary>
/// <param name="DeviceId">The certificate's device id; the MQTT client id must equal it.</param>
/// <param name="DeviceClass">The inventory's class of the device.</param>
/// <param name="CertificateSerial">Big-endian serial of the certificate.</param>
/// <param name="Quarantined">True when the inventory has the device in quarantine.</param>
public sealed record AdmittedDevice(string DeviceId, string DeviceClass, byte[] CertificateSerial, bool Quarantined);

/// <summary>The outcome of <see cref="DeviceAdmission.Admit"/>: a device, or a refusal with its reason.</summary>
public sealed class AdmissionResult
{
    private AdmissionResult(AdmittedDevice? device, ConnectionRefusal? refusal, string detail, string? deviceId)
    {
        Device = device;
        Refusal = refusal;
        Detail = detail;
        DeviceId = deviceId;
    }

    /// <summary>The admitted device, when the connection may proceed.</summary>
    public AdmittedDevice? Device { get; }

    /// <summary>Why not, when refused.</summary>
    public ConnectionRefusal? Refusal { get; }

    /// <summary>For logs only (never sent to the client).</summary>
    public string Detail { get; }

    /// <summary>The device concerned, when known (for the audit entry).</summary>
    public string? DeviceId { get; }

    internal static AdmissionResult Admit(AdmittedDevice device) => new(device, null, "admitted", device.DeviceId);

    internal static AdmissionResult Refuse(ConnectionRefusal refusal, string detail, string? deviceId) =>
        new(null, refusal, detail ?? throw new ArgumentNullException(nameof(detail)), deviceId);
}
