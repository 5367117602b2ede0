namespace IoTSec.Gateway.Core.Inventory;

/// <summary>Whether an issued certificate is still the device's current one.</summary>
public enum CertificateStatus
{
    /// <summary>The current certificate of its kind (at most one active operational certificate per device).</summary>
    Active = 1,

    /// <summary>Replaced by a renewal; not revoked, but no longer the device's current certificate.</summary>
    Superseded = 2,

    /// <summary>Revoked: refused by the broker, the EST service and the CRL.</summary>
    Revoked = 3,
}
