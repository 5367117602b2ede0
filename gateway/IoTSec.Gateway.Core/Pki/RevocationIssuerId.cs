using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>How an issuer is named in the revocation list.</summary>
public static class RevocationIssuerId
{
    /// <summary>
    /// The issuer's subject key identifier in upper-case hex (stable across re-issues of the
    /// same key, unlike a fingerprint), or its subject DN when it carries no SKI.
    /// </summary>
    public static string Of(X509Certificate2 issuer)
    {
        foreach (var extension in issuer.Extensions)
        {
            if (extension is X509SubjectKeyIdentifierExtension ski && ski.SubjectKeyIdentifier is { Length: > 0 } id)
            {
                return id.ToUpperInvariant();
            }
        }

        return issuer.SubjectName.Name;
    }
}
