using IoTSec.Protocol.Der;

namespace IoTSec.Firmware.Enrolment
{
    /// <summary>
    /// Reads the certificates out of an EST "certs-only" message (RFC 7030 §4.1.3; RFC 5652 §5):
    /// a ContentInfo holding a SignedData with no signers, whose certificates field carries them.
    /// Nothing is verified here: the certificates came over the TLS session that authenticated
    /// the gateway, and the device checks the one it installs against its own identity.
    /// </summary>
    internal static class CertsOnlyReader
    {
        /// <summary>More certificates than a gateway sends (root and intermediate, or one issued certificate).</summary>
        public const int MaxCertificates = 8;

        private const string IdSignedData = "1.2.840.113549.1.7.2";

        /// <summary>The certificates, each an X.509 DER encoding.</summary>
        /// <exception cref="EnrolmentException"><see cref="EnrolmentFailure.ResponseMalformed"/>.</exception>
        public static byte[][] Read(byte[] der)
        {
            try
            {
                var outer = new DerReader(der);
                DerReader contentInfo = outer.ReadSequence();
                outer.ThrowIfNotEmpty();
                if (contentInfo.ReadObjectIdentifier() != IdSignedData)
                {
                    throw EnrolmentException.Malformed("the certs-only message is not a SignedData", null);
                }

                DerReader signedData = contentInfo.ReadExplicit(0).ReadSequence();
                contentInfo.ThrowIfNotEmpty();
                signedData.ReadInt32();
                signedData.ReadSet();
                signedData.ReadSequence();
                byte[][] found = new byte[MaxCertificates][];
                int count = 0;
                if (signedData.NextIs(DerTag.ContextConstructed(0)))
                {
                    DerReader certificates = signedData.ReadConstructed(DerTag.ContextConstructed(0));
                    while (certificates.HasData)
                    {
                        if (count == MaxCertificates)
                        {
                            throw EnrolmentException.Malformed("the certs-only message holds more than " + MaxCertificates.ToString() + " certificates", null);
                        }

                        found[count++] = certificates.ReadEncodedValue();
                    }
                }

                if (signedData.NextIs(DerTag.ContextConstructed(1)))
                {
                    signedData.Skip();
                }

                signedData.ReadSet();
                signedData.ThrowIfNotEmpty();

                byte[][] result = new byte[count][];
                for (int i = 0; i < count; i++)
                {
                    result[i] = found[i];
                }

                return result;
            }
            catch (DerException e)
            {
                throw EnrolmentException.Malformed("the certs-only message is not valid DER: " + e.Message, e);
            }
        }
    }
}
