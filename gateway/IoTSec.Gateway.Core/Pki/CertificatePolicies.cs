using System;
using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// The certificatePolicies extension (RFC 5280 4.2.1.4), which .NET has no type for: written
/// with policy identifiers only (no qualifiers), non-critical so device TLS stacks that do not
/// process policies (mbedTLS) ignore it.
/// </summary>
public static class CertificatePolicies
{
    /// <summary>The policy every gateway intermediate carries (see ADR 0006).</summary>
    public const string GatewayIntermediate = PkiOids.GatewayIntermediatePolicy;

    /// <summary>A non-critical certificatePolicies extension naming <paramref name="policyOids"/>.</summary>
    public static X509Extension Create(params string[] policyOids)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var oid in policyOids)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                }
            }
        }

        return new X509Extension(PkiOids.CertificatePoliciesExtension, writer.Encode(), critical: false);
    }

    /// <summary>True when <paramref name="certificate"/> asserts <paramref name="policyOid"/>. A damaged extension counts as absent.</summary>
    public static bool Contains(X509Certificate2 certificate, string policyOid)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions[PkiOids.CertificatePoliciesExtension];
        if (extension is null)
        {
            return false;
        }

        try
        {
            var policies = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (policies.HasData)
            {
                var information = policies.ReadSequence();
                if (information.ReadObjectIdentifier() == policyOid)
                {
                    return true;
                }
            }
        }
        catch (AsnContentException)
        {
            return false;
        }

        return false;
    }
}
