using IoTSec.Protocol.Der;

namespace IoTSec.Firmware.Enrolment
{
    /// <summary>
    /// The public half recorded inside an EC private key in PKCS#8 (RFC 5208 §5, RFC 5915 §3):
    /// what lets a device that cannot do elliptic-curve arithmetic still check that the key the
    /// gateway generated belongs to the certificate it issued.
    /// </summary>
    internal sealed class Pkcs8EcPublicKey
    {
        private const string IdEcPublicKey = "1.2.840.10045.2.1";

        private Pkcs8EcPublicKey(byte[] curve, byte[] point)
        {
            Curve = curve;
            Point = point;
        }

        /// <summary>The curve, as the whole DER encoding of its OID (the form X509CertificateInfo.PublicKeyAlgorithmParameters has).</summary>
        public byte[] Curve { get; private set; }

        /// <summary>The public point (the ECPrivateKey's publicKey BIT STRING octets).</summary>
        public byte[] Point { get; private set; }

        /// <summary>Reads the curve and public point; the private scalar is skipped, never copied.</summary>
        /// <exception cref="EnrolmentException"><see cref="EnrolmentFailure.ResponseMalformed"/> or <see cref="EnrolmentFailure.CertificateMismatch"/>.</exception>
        public static Pkcs8EcPublicKey Read(byte[] pkcs8)
        {
            try
            {
                var outer = new DerReader(pkcs8);
                DerReader privateKeyInfo = outer.ReadSequence();
                outer.ThrowIfNotEmpty();
                if (privateKeyInfo.ReadInt32() != 0)
                {
                    throw EnrolmentException.Malformed("the PKCS#8 key is not version 0", null);
                }

                DerReader algorithm = privateKeyInfo.ReadSequence();
                if (algorithm.ReadObjectIdentifier() != IdEcPublicKey)
                {
                    throw EnrolmentException.Mismatch("the generated key is not an EC key");
                }

                byte[] curve = algorithm.ReadEncodedValue();
                algorithm.ThrowIfNotEmpty();

                // The octet string holds the private scalar: read from a copy that is wiped after.
                byte[] inner = privateKeyInfo.ReadOctetString();
                try
                {
                    DerReader fields = new DerReader(inner).ReadSequence();
                    if (fields.ReadInt32() != 1)
                    {
                        throw EnrolmentException.Malformed("the ECPrivateKey is not version 1", null);
                    }

                    fields.Skip();
                    if (fields.NextIs(DerTag.ContextConstructed(0)))
                    {
                        fields.Skip();
                    }

                    if (!fields.NextIs(DerTag.ContextConstructed(1)))
                    {
                        throw EnrolmentException.Mismatch("the generated key carries no public key, so it cannot be matched to the certificate");
                    }

                    int unused;
                    byte[] point = fields.ReadExplicit(1).ReadBitString(out unused);
                    return new Pkcs8EcPublicKey(curve, point);
                }
                finally
                {
                    System.Array.Clear(inner, 0, inner.Length);
                }
            }
            catch (DerException e)
            {
                throw EnrolmentException.Malformed("the PKCS#8 key is not valid DER: " + e.Message, e);
            }
        }
    }
}
