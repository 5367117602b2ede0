namespace IoTSec.Gateway.Core.Inventory;

/// <summary>Which of a device's identities a certificate carries.</summary>
public enum CertificateKind
{
    /// <summary>Issued at manufacturing by the manufacturer's station CA; used for the first enrolment only.</summary>
    Birth = 1,

    /// <summary>Issued by this gateway's CA at enrolment; the device's identity in operation.</summary>
    Operational = 2,
}
