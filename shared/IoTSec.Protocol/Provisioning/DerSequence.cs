namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// The outer check of a DER certificate or key: one SEQUENCE (tag 0x30) whose definite,
    /// minimally encoded length (X.690 §10.1) spans exactly the given bytes. The content is
    /// not parsed: the device's TLS stack (mbedTLS) does that when it loads the item. The
    /// check catches the usual mistakes early, at the provisioning bench: PEM text sent
    /// instead of DER, a truncated file, a BER indefinite length, two items concatenated.
    /// </summary>
    internal static class DerSequence
    {
        /// <summary>Refuses <paramref name="der"/> unless it is one DER SEQUENCE spanning all its bytes.</summary>
        /// <param name="der">The bytes.</param>
        /// <param name="what">The item, for the message.</param>
        /// <returns>The length of the SEQUENCE's header (tag and length), where its content starts.</returns>
        internal static int Check(byte[] der, string what)
        {
            if (der == null || der.Length < 2)
            {
                throw Refuse(what, "is too short to be a DER SEQUENCE");
            }

            if (der[0] != 0x30)
            {
                string hint = der[0] == (byte)'-' ? " (this looks like PEM: send the DER bytes)" : string.Empty;
                throw Refuse(what, "does not start with a DER SEQUENCE tag 0x30" + hint);
            }

            int first = der[1];
            int headerLength;
            long contentLength;
            if (first < 0x80)
            {
                headerLength = 2;
                contentLength = first;
            }
            else
            {
                int lengthBytes = first & 0x7F;
                if (lengthBytes == 0)
                {
                    throw Refuse(what, "uses a BER indefinite length, which DER forbids");
                }

                if (lengthBytes > 3)
                {
                    throw Refuse(what, "declares a length over 16 MB");
                }

                if (der.Length < 2 + lengthBytes)
                {
                    throw Refuse(what, "ends inside its length");
                }

                contentLength = 0;
                for (int i = 0; i < lengthBytes; i++)
                {
                    contentLength = (contentLength << 8) | der[2 + i];
                }

                // X.690 §10.1: the definite form in the fewest octets; long form only from 128.
                if (der[2] == 0 || contentLength < 0x80)
                {
                    throw Refuse(what, "encodes its length in more bytes than needed, which DER forbids");
                }

                headerLength = 2 + lengthBytes;
            }

            if (headerLength + contentLength != der.Length)
            {
                throw Refuse(
                    what,
                    "declares " + contentLength.ToString() + " content bytes but " + (der.Length - headerLength).ToString() + " follow its header");
            }

            return headerLength;
        }

        private static ProvisioningPayloadException Refuse(string what, string problem)
        {
            return new ProvisioningPayloadException(ProvisioningPayloadError.NotDer, what + " " + problem);
        }
    }
}
