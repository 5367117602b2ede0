using System;
using IoTSec.Protocol.Der;

namespace IoTSec.Fuzz.Targets;

/// <summary>
/// The device's X.509 reader (its own certificate, trust anchors written over the serial
/// console). Oracle: an accepted certificate's signed part is a sub-range of the input,
/// and looking an extension up by its OID finds that extension.
/// </summary>
public sealed class DerCertificateFuzzTarget : FuzzTarget
{
    public override string Name => "der";

    protected override void Decode(byte[] input)
    {
        var certificate = X509CertificateInfo.Parse(input);
        if (certificate.TbsCertificateOffset < 0
            || certificate.TbsCertificateLength <= 0
            || certificate.TbsCertificateOffset + certificate.TbsCertificateLength > input.Length)
        {
            throw new InvalidOperationException("tbsCertificate range lies outside the input");
        }

        foreach (var extension in certificate.Extensions)
        {
            if (certificate.GetExtension(extension.Oid) != extension)
            {
                throw new InvalidOperationException("extension lookup by OID disagrees with the extension list");
            }
        }
    }

    protected override bool IsExpectedRejection(Exception exception) => exception is DerException;
}
