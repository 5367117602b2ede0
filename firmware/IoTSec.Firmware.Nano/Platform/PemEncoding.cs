#if NET
// Compiled by the firmware tests too (checked against .NET's own PEM encoder).
#nullable disable
#endif

using System;

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// DER to PEM for nanoFramework's TLS stack. The core keeps certificates and keys as DER;
    /// nanoCLR hands the bytes to mbedTLS, whose parser takes PEM only when the buffer ends with
    /// a NUL terminator (nf-interpreter ssl_generic_init_internal.cpp: "when the format is a
    /// string it has to include the terminator otherwise the parse will fail"). Every sample and
    /// test of nanoFramework's SslStream uses PEM, so the device layer does too.
    /// </summary>
    public static class PemEncoding
    {
        private const int LineLength = 64;

        /// <summary>An X.509 certificate as NUL-terminated PEM ("CERTIFICATE").</summary>
        /// <param name="der">The certificate, DER.</param>
        /// <returns>ASCII PEM with a trailing 0 byte.</returns>
        public static byte[] Certificate(byte[] der)
        {
            return Encode("CERTIFICATE", der);
        }

        /// <summary>A PKCS#8 private key as NUL-terminated PEM ("PRIVATE KEY"). The result holds the key: never log it.</summary>
        /// <param name="pkcs8">The key, PKCS#8 DER.</param>
        /// <returns>ASCII PEM with a trailing 0 byte.</returns>
        public static byte[] PrivateKey(byte[] pkcs8)
        {
            return Encode("PRIVATE KEY", pkcs8);
        }

        private static byte[] Encode(string label, byte[] der)
        {
            if (der == null || der.Length == 0 || der[0] != 0x30)
            {
                // Every DER structure we pass (Certificate, PrivateKeyInfo) is a SEQUENCE.
                throw new ArgumentException("Expected DER starting with a SEQUENCE (0x30) for " + label + ".", "der");
            }

            string body = Convert.ToBase64String(der);
            string header = "-----BEGIN " + label + "-----\n";
            string footer = "-----END " + label + "-----\n";
            int lines = (body.Length + LineLength - 1) / LineLength;

            // Built byte by byte instead of by string concatenation: on the device every
            // intermediate string is a heap allocation of the whole text.
            byte[] pem = new byte[header.Length + body.Length + lines + footer.Length + 1];
            int at = CopyAscii(header, pem, 0);
            for (int start = 0; start < body.Length; start += LineLength)
            {
                int end = start + LineLength < body.Length ? start + LineLength : body.Length;
                for (int i = start; i < end; i++)
                {
                    pem[at++] = (byte)body[i];
                }

                pem[at++] = (byte)'\n';
            }

            at = CopyAscii(footer, pem, at);
            pem[at] = 0;
            return pem;
        }

        private static int CopyAscii(string text, byte[] target, int at)
        {
            for (int i = 0; i < text.Length; i++)
            {
                target[at++] = (byte)text[i];
            }

            return at;
        }
    }
}
