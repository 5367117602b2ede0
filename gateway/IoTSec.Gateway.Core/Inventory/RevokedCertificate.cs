namespace IoTSec.Gateway.Core.Inventory;

/// <summary>A certificate named by a revocation: (issuer, serial) is what a CRL entry and a TLS peer check need.</summary>
/// <param name="Issuer">The issuer's distinguished name (<c>X500DistinguishedName.Name</c>).</param>
/// <param name="SerialHex">The serial, uppercase hex without leading zero bytes.</param>
/// <param name="Kind">Birth or operational.</param>
public sealed record RevokedCertificate(string Issuer, string SerialHex, CertificateKind Kind);
