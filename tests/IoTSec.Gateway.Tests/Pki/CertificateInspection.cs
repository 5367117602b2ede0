using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Tests.Pki;

/// <summary>Reads extensions of issued certificates for assertions.</summary>
internal static class CertificateInspection
{
    public static T? Extension<T>(this X509Certificate2 certificate)
        where T : X509Extension => certificate.Extensions.OfType<T>().SingleOrDefault();

    public static string SubjectKeyId(this X509Certificate2 certificate) =>
        certificate.Extension<X509SubjectKeyIdentifierExtension>()!.SubjectKeyIdentifier!;

    public static string AuthorityKeyId(this X509Certificate2 certificate) =>
        System.Convert.ToHexString(certificate.Extension<X509AuthorityKeyIdentifierExtension>()!.KeyIdentifier!.Value.Span);

    public static string[] Ekus(this X509Certificate2 certificate) =>
        certificate.Extension<X509EnhancedKeyUsageExtension>()?.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value!).ToArray() ?? [];
}
