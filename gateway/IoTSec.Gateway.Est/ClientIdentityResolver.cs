using System;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Pki;

namespace IoTSec.Gateway.Est;

/// <summary>
/// Decides at the TLS handshake whether a client certificate may connect at all, and whose it
/// is. Refused at TLS: a certificate that chains to no trusted anchor (another CA), one outside
/// its validity (an expired birth certificate), a revoked certificate, a revoked or
/// decommissioned device. Accepted: a device's birth certificate (chain to a birth anchor,
/// fingerprint registered in the inventory), an operational certificate the inventory
/// recorded (chain to the offline root through a gateway intermediate), and — so that the
/// HTTP layer can answer 404 rather than a bare TLS alert — a good chain no device owns.
/// </summary>
public sealed class ClientIdentityResolver
{
    private readonly ClientCertificateValidator _operational;
    private readonly BirthCertificateValidator _birth;
    private readonly DeviceInventory _inventory;

    /// <summary>Resolves with the operational rule, the birth anchors and the inventory.</summary>
    public ClientIdentityResolver(ClientCertificateValidator operational, BirthCertificateValidator birth, DeviceInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(operational);
        ArgumentNullException.ThrowIfNull(birth);
        ArgumentNullException.ThrowIfNull(inventory);
        _operational = operational;
        _birth = birth;
        _inventory = inventory;
    }

    /// <summary>Resolves the client of a handshake; <paramref name="presented"/> are the extra certificates it sent.</summary>
    public ClientIdentityResult Resolve(X509Certificate2? certificate, X509Certificate2Collection? presented = null)
    {
        if (certificate is null)
        {
            return ClientIdentityResult.Refuse(EstRefusal.NoClientCertificate, "no client certificate", null);
        }

        if (_inventory.IsRevoked(certificate))
        {
            return ClientIdentityResult.Refuse(EstRefusal.CertificateRevoked, $"certificate serial {certificate.SerialNumber} of '{certificate.Issuer}' is revoked", null);
        }

        // The birth path first: one indexed look-up tells whether this is a registered birth
        // certificate, and the storm of first enrolments then builds one chain, not two.
        var fingerprint = ClientIdentity.Fingerprint(certificate);
        var device = _inventory.FindByBirthCertificate(fingerprint);
        if (device is not null)
        {
            var verdict = _birth.Validate(certificate, presented);
            if (!verdict.IsAccepted)
            {
                return ClientIdentityResult.Refuse(verdict.Reason!.Value, verdict.Detail, device.DeviceId);
            }

            return IsClosed(device.DeviceId, device.State)
                ? ClientIdentityResult.Refuse(EstRefusal.DeviceRevoked, $"device {device.DeviceId} is {device.State.ToString().ToLowerInvariant()}", device.DeviceId)
                : ClientIdentityResult.Accept(new ClientIdentity(ClientCertificateKind.Birth, device.DeviceId, certificate));
        }

        var operational = _operational.Validate(certificate, presented);
        if (operational.IsAccepted)
        {
            var record = _inventory.FindCertificate(certificate);
            if (record is { Kind: CertificateKind.Operational } && string.Equals(record.DeviceId, operational.DeviceId, StringComparison.Ordinal))
            {
                return _inventory.IsDeviceRevoked(record.DeviceId)
                    ? ClientIdentityResult.Refuse(EstRefusal.DeviceRevoked, $"device {record.DeviceId} is revoked", record.DeviceId)
                    : ClientIdentityResult.Accept(new ClientIdentity(ClientCertificateKind.Operational, record.DeviceId, certificate));
            }

            return ClientIdentityResult.Accept(new ClientIdentity(ClientCertificateKind.Unregistered, null, certificate));
        }

        var birth = _birth.Validate(certificate, presented);
        if (birth.IsAccepted)
        {
            return ClientIdentityResult.Accept(new ClientIdentity(ClientCertificateKind.Unregistered, null, certificate));
        }

        // Neither rule accepts it: report the more telling reason (an expired birth
        // certificate says "outside validity" under the birth rule, "untrusted" under the other).
        var reason = operational.Reason switch
        {
            ClientCertificateRejection.Expired or ClientCertificateRejection.NotYetValid => EstRefusal.CertificateOutsideValidity,
            ClientCertificateRejection.Revoked => EstRefusal.CertificateRevoked,
            _ => birth.Reason!.Value,
        };
        return ClientIdentityResult.Refuse(reason, $"operational rule: {operational.Detail}; birth rule: {birth.Detail}", null);
    }

    private bool IsClosed(string deviceId, DeviceState state) =>
        DeviceLifecycle.IsClosed(state) || _inventory.IsDeviceRevoked(deviceId);
}

/// <summary>The outcome of <see cref="ClientIdentityResolver.Resolve"/>.</summary>
public sealed class ClientIdentityResult
{
    private ClientIdentityResult(ClientIdentity? identity, EstRefusal? refusal, string detail, string? deviceId)
    {
        Identity = identity;
        Refusal = refusal;
        Detail = detail;
        DeviceId = deviceId;
    }

    /// <summary>The identity, when the connection may proceed.</summary>
    public ClientIdentity? Identity { get; }

    /// <summary>Why the connection is refused, when it is.</summary>
    public EstRefusal? Refusal { get; }

    /// <summary>For logs only.</summary>
    public string Detail { get; }

    /// <summary>The device concerned, when known.</summary>
    public string? DeviceId { get; }

    internal static ClientIdentityResult Accept(ClientIdentity identity) => new(identity, null, "accepted", identity.DeviceId);

    internal static ClientIdentityResult Refuse(EstRefusal reason, string detail, string? deviceId) => new(null, reason, detail, deviceId);
}
