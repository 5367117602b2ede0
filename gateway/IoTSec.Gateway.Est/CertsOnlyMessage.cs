using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Est;

/// <summary>
/// The "certs-only" CMS message EST answers with (RFC 7030 §4.1.3, §4.2.3; RFC 5652 §5):
/// a SignedData with no signers, no content and the certificates in its certificates field.
/// </summary>
/// <remarks>
/// Written with <see cref="AsnWriter"/> rather than System.Security.Cryptography.Pkcs's
/// SignedCms: SignedCms refuses to encode a message without a signer ("The CMS message is not
/// signed"), and the degenerate form needs nothing but DER. The tests read it back with
/// SignedCms and with <c>openssl pkcs7 -print_certs</c>.
/// <code>
/// ContentInfo ::= SEQUENCE { contentType id-signedData, content [0] EXPLICIT SignedData }
/// SignedData  ::= SEQUENCE { version 1, digestAlgorithms SET {}, encapContentInfo SEQUENCE { id-data },
///                            certificates [0] IMPLICIT SET OF Certificate, signerInfos SET {} }
/// </code>
/// </remarks>
public static class CertsOnlyMessage
{
    private const string IdSignedData = "1.2.840.113549.1.7.2";
    private const string IdData = "1.2.840.113549.1.7.1";

    /// <summary>Encodes <paramref name="certificates"/> (public parts only) as a DER certs-only message.</summary>
    public static byte[] Encode(IEnumerable<X509Certificate2> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(IdSignedData);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (writer.PushSequence())
            {
                writer.WriteInteger(1);
                using (writer.PushSetOf())
                {
                }

                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(IdData);
                }

                // DER sorts a SET OF by encoding: the order of the certificates is not kept,
                // and RFC 5652 gives it no meaning.
                using (writer.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    foreach (var certificate in certificates)
                    {
                        writer.WriteEncodedValue(certificate.RawData);
                    }
                }

                using (writer.PushSetOf())
                {
                }
            }
        }

        return writer.Encode();
    }
}
