using System;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Pki;

namespace IoTSec.Gateway.Broker;

/// <summary>
/// The broker's rule for who may connect, applied inside the TLS handshake: the gateway's
/// rule for device certificates (<see cref="ClientCertificateValidator"/>: a chain to the
/// offline root through a gateway intermediate, not revoked, within validity), then the
/// inventory: the certificate is the device's current operational certificate and the device
/// is neither revoked nor decommissioned. Default deny: anything else is refused with a reason.
/// </summary>
public sealed class DeviceAdmission
{
    private readonly ClientCertificateValidator _validator;
    private readonly DeviceInventory _inventory;

    /// <summary>Admits with <paramref name="validator"/> and <paramref name="inventory"/>.</summary>
    public DeviceAdmission(ClientCertificateValidator validator, DeviceInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(inventory);
        _validator = validator;
        _inventory = inventory;
    }

    /// <summary>Judges a client's certificate; <paramref name="presented"/> are the extra certificates it sent.</summary>
    public AdmissionResult Admit(X509Certificate2? certificate, X509Certificate2Collection? presented = null)
    {
        var verdict = _validator.Validate(certificate, presented);
        if (!verdict.IsAccepted)
        {
            return AdmissionResult.Refuse(ConnectionRefusals.Of(verdict.Reason), verdict.Detail, null);
        }

        var deviceId = verdict.DeviceId!;
        verdict.Intermediate?.Dispose();
        var device = _inventory.Find(deviceId);
        if (device is null)
        {
            return AdmissionResult.Refuse(ConnectionRefusal.UnknownDevice, $"no device '{deviceId}' in the inventory", deviceId);
        }

        if (DeviceLifecycle.IsClosed(device.State) || _inventory.IsDeviceRevoked(deviceId))
        {
            return AdmissionResult.Refuse(ConnectionRefusal.DeviceClosed, $"device '{deviceId}' is {device.State.ToString().ToLowerInvariant()}", deviceId);
        }

        // The certificate must be one this gateway (or a predecessor) recorded for this very
        // device: a certificate the inventory never saw is not an enrolment it knows of.
        var record = _inventory.FindCertificate(certificate!);
        if (record is null || record.Kind != CertificateKind.Operational || !string.Equals(record.DeviceId, deviceId, StringComparison.Ordinal))
        {
            return AdmissionResult.Refuse(
                ConnectionRefusal.UnknownDevice, $"certificate serial {certificate!.SerialNumber} is not an operational certificate recorded for '{deviceId}'", deviceId);
        }

        if (record.Status == CertificateStatus.Superseded)
        {
            return AdmissionResult.Refuse(ConnectionRefusal.CertificateSuperseded, $"certificate serial {record.SerialHex} of '{deviceId}' was superseded", deviceId);
        }

        if (record.Status != CertificateStatus.Active)
        {
            return AdmissionResult.Refuse(ConnectionRefusal.CertificateRevoked, $"certificate serial {record.SerialHex} of '{deviceId}' is {record.Status}", deviceId);
        }

        return AdmissionResult.Admit(new AdmittedDevice(
            deviceId, device.DeviceClass, certificate!.SerialNumberBytes.ToArray(), device.State == DeviceState.Quarantined));
    }
}
