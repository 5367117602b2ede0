namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// The gateway's own revocation state (the inventory implements it; the CRL the gateway
/// serves is made from it). Checked in-process on every validation, so a revocation takes
/// effect on the next handshake without a restart or a CRL download.
/// </summary>
public interface IRevocationList
{
    /// <summary>True when the certificate with <paramref name="serial"/> issued by <paramref name="issuerId"/> is revoked.</summary>
    /// <param name="issuerId">The issuer as <see cref="RevocationIssuerId.Of"/> names it: its subject key identifier in upper-case hex, or its subject DN when it has none.</param>
    /// <param name="serial">The serial number, big-endian as encoded in the certificate (<c>X509Certificate2.SerialNumberBytes</c>), leading zero bytes included.</param>
    bool IsRevoked(string issuerId, byte[] serial);
}
