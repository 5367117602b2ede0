using System;

namespace IoTSec.Protocol.Der
{
    /// <summary>
    /// Takes the DER bytes out of a PEM "CERTIFICATE" block (RFC 7468 §5): text before the
    /// block is ignored (RFC 7468 §2 allows explanatory text), the Base64 body may be wrapped
    /// with any whitespace, and padding must be complete. Anything else throws
    /// <see cref="DerException"/> with <see cref="DerError.InvalidPem"/> and the character offset.
    /// </summary>
    public static class PemCertificate
    {
        /// <summary>The encapsulation boundary that opens a certificate.</summary>
        public const string BeginMarker = "-----BEGIN CERTIFICATE-----";

        /// <summary>The encapsulation boundary that closes a certificate.</summary>
        public const string EndMarker = "-----END CERTIFICATE-----";

        /// <summary>Extracts the DER of the first certificate block of PEM text.</summary>
        /// <param name="pem">PEM text.</param>
        /// <returns>The decoded bytes (not checked to be a certificate: see <see cref="X509CertificateInfo.Parse"/>).</returns>
        public static byte[] ExtractDer(string pem)
        {
            if (pem == null)
            {
                throw new ArgumentNullException("pem");
            }

            int begin = pem.IndexOf(BeginMarker);
            if (begin < 0)
            {
                throw new DerException(DerError.InvalidPem, 0, "no " + BeginMarker + " line");
            }

            int bodyStart = begin + BeginMarker.Length;
            int end = pem.IndexOf(EndMarker, bodyStart);
            if (end < 0)
            {
                throw new DerException(DerError.InvalidPem, bodyStart, "no " + EndMarker + " line");
            }

            return DecodeBase64(pem, bodyStart, end);
        }

        /// <summary>Extracts the DER of the first certificate block of PEM text held as ASCII bytes (as read from a file).</summary>
        /// <param name="pemAscii">PEM text as bytes; a trailing NUL (as nanoFramework's TLS API wants) is allowed.</param>
        /// <returns>The decoded bytes.</returns>
        public static byte[] ExtractDer(byte[] pemAscii)
        {
            if (pemAscii == null)
            {
                throw new ArgumentNullException("pemAscii");
            }

            int length = pemAscii.Length;
            if (length > 0 && pemAscii[length - 1] == 0)
            {
                length--;
            }

            var chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                if (pemAscii[i] > 0x7F || pemAscii[i] == 0)
                {
                    throw new DerException(DerError.InvalidPem, i, "PEM text must be ASCII");
                }

                chars[i] = (char)pemAscii[i];
            }

            return ExtractDer(new string(chars, 0, length));
        }

        /// <summary>Strict Base64 (RFC 4648 §4) between two indices, whitespace ignored.</summary>
        private static byte[] DecodeBase64(string text, int start, int end)
        {
            // First pass: keep the Base64 characters, check the alphabet and where '=' sits.
            var data = new char[end - start];
            int count = 0;
            int padding = 0;
            for (int i = start; i < end; i++)
            {
                char c = text[i];
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
                {
                    continue;
                }

                if (c == '=')
                {
                    padding++;
                    if (padding > 2)
                    {
                        throw new DerException(DerError.InvalidPem, i, "more than two '=' padding characters");
                    }
                }
                else if (IsBase64Letter(c))
                {
                    if (padding > 0)
                    {
                        throw new DerException(DerError.InvalidPem, i, "Base64 data after '=' padding");
                    }
                }
                else
                {
                    throw new DerException(DerError.InvalidPem, i, "character not in the Base64 alphabet");
                }

                data[count++] = c;
            }

            if (count == 0)
            {
                throw new DerException(DerError.InvalidPem, start, "empty certificate block");
            }

            if ((count & 3) != 0)
            {
                throw new DerException(DerError.InvalidPem, end, "Base64 length is not a multiple of 4 (padding missing?)");
            }

            // Second pass: four characters make three bytes, less one per '='.
            var der = new byte[((count / 4) * 3) - padding];
            int o = 0;
            for (int i = 0; i < count; i += 4)
            {
                int quantum = (Value(data[i]) << 18) | (Value(data[i + 1]) << 12) | (Value(data[i + 2]) << 6) | Value(data[i + 3]);
                der[o++] = (byte)(quantum >> 16);
                if (o < der.Length)
                {
                    der[o++] = (byte)(quantum >> 8);
                }

                if (o < der.Length)
                {
                    der[o++] = (byte)quantum;
                }
            }

            return der;
        }

        private static bool IsBase64Letter(char c)
        {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
        }

        /// <summary>The 6-bit value of a Base64 character; '=' counts as zero.</summary>
        private static int Value(char c)
        {
            if (c >= 'A' && c <= 'Z')
            {
                return c - 'A';
            }

            if (c >= 'a' && c <= 'z')
            {
                return c - 'a' + 26;
            }

            if (c >= '0' && c <= '9')
            {
                return c - '0' + 52;
            }

            if (c == '+')
            {
                return 62;
            }

            return c == '/' ? 63 : 0;
        }
    }
}
