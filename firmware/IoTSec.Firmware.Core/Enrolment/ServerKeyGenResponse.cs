using System;

namespace IoTSec.Firmware.Enrolment
{
    /// <summary>
    /// Reads a serverkeygen response (RFC 7030 §4.4.2; est.md): <c>multipart/mixed</c> with an
    /// <c>application/pkcs8</c> part (the private key, base64 DER) and an
    /// <c>application/pkcs7-mime</c> part (certs-only, base64), in either order, nothing else.
    /// </summary>
    public sealed class ServerKeyGenResponse
    {
        private const int MaxParts = 4;
        private const int MaxPartHeaders = 8;

        private ServerKeyGenResponse(byte[] privateKey, byte[] certsOnly)
        {
            PrivateKey = privateKey;
            CertsOnly = certsOnly;
        }

        /// <summary>The private key, PKCS#8 DER.</summary>
        public byte[] PrivateKey { get; private set; }

        /// <summary>The certs-only message, DER.</summary>
        public byte[] CertsOnly { get; private set; }

        /// <summary>Parses the body of a 200 response.</summary>
        /// <param name="contentType">The response's Content-Type.</param>
        /// <param name="body">The body.</param>
        /// <exception cref="EnrolmentException"><see cref="EnrolmentFailure.ResponseMalformed"/>.</exception>
        public static ServerKeyGenResponse Parse(string contentType, byte[] body)
        {
            string boundary = Boundary(contentType);
            byte[] delimiter = Ascii("--" + boundary);
            int position = FindDelimiter(body, delimiter, 0);
            if (position < 0)
            {
                throw EnrolmentException.Malformed("the serverkeygen body has no boundary line", null);
            }

            byte[] key = null;
            byte[] certs = null;
            for (int part = 0; ; part++)
            {
                position += delimiter.Length;
                if (position + 1 < body.Length && body[position] == '-' && body[position + 1] == '-')
                {
                    break;
                }

                if (part == MaxParts)
                {
                    throw EnrolmentException.Malformed("the serverkeygen body has more than " + MaxParts.ToString() + " parts", null);
                }

                position = SkipLineEnd(body, position);
                string type = null;
                bool base64 = true;
                for (int header = 0; ; header++)
                {
                    int end = LineEnd(body, position);
                    if (end == position)
                    {
                        position += 2;
                        break;
                    }

                    if (header == MaxPartHeaders)
                    {
                        throw EnrolmentException.Malformed("a serverkeygen part has more than " + MaxPartHeaders.ToString() + " header lines", null);
                    }

                    string line = Text(body, position, end - position);
                    int colon = line.IndexOf(':');
                    if (colon <= 0)
                    {
                        throw EnrolmentException.Malformed("a serverkeygen part header without a colon", null);
                    }

                    string name = line.Substring(0, colon).Trim().ToLower();
                    string value = line.Substring(colon + 1).Trim().ToLower();
                    if (name == "content-type")
                    {
                        int semicolon = value.IndexOf(';');
                        type = (semicolon < 0 ? value : value.Substring(0, semicolon)).Trim();
                    }
                    else if (name == "content-transfer-encoding")
                    {
                        base64 = value == "base64";
                    }

                    position = end + 2;
                }

                int next = FindDelimiter(body, delimiter, position);
                if (next < 0)
                {
                    throw EnrolmentException.Malformed("a serverkeygen part is not closed by a boundary line", null);
                }

                if (!base64)
                {
                    throw EnrolmentException.Malformed("a serverkeygen part is not base64 (RFC 8951)", null);
                }

                if (type == EstPaths.Pkcs8MediaType && key == null)
                {
                    key = EstBase64.Decode(body, position, next - position, "the private key part");
                }
                else if (type == EstPaths.Pkcs7MediaType && certs == null)
                {
                    certs = EstBase64.Decode(body, position, next - position, "the certificate part");
                }
                else
                {
                    throw EnrolmentException.Malformed("an unexpected or repeated part in the serverkeygen body", null);
                }

                position = next;
            }

            if (key == null || certs == null)
            {
                throw EnrolmentException.Malformed("the serverkeygen body lacks the key or the certificate part", null);
            }

            return new ServerKeyGenResponse(key, certs);
        }

        private static string Boundary(string contentType)
        {
            if (contentType == null)
            {
                throw EnrolmentException.Malformed("the serverkeygen response has no Content-Type", null);
            }

            string lower = contentType.ToLower();
            int semicolon = lower.IndexOf(';');
            if (semicolon < 0 || lower.Substring(0, semicolon).Trim() != "multipart/mixed")
            {
                throw EnrolmentException.Malformed("the serverkeygen response is not multipart/mixed", null);
            }

            int at = lower.IndexOf("boundary=", semicolon);
            if (at < 0)
            {
                throw EnrolmentException.Malformed("the serverkeygen Content-Type has no boundary", null);
            }

            string boundary = contentType.Substring(at + 9);
            int end = boundary.IndexOf(';');
            if (end >= 0)
            {
                boundary = boundary.Substring(0, end);
            }

            boundary = boundary.Trim();
            if (boundary.Length >= 2 && boundary[0] == '"' && boundary[boundary.Length - 1] == '"')
            {
                boundary = boundary.Substring(1, boundary.Length - 2);
            }

            // RFC 2046 §5.1.1: 1 to 70 characters.
            if (boundary.Length < 1 || boundary.Length > 70)
            {
                throw EnrolmentException.Malformed("the multipart boundary is not 1 to 70 characters", null);
            }

            for (int i = 0; i < boundary.Length; i++)
            {
                if (boundary[i] < 0x20 || boundary[i] > 0x7E)
                {
                    throw EnrolmentException.Malformed("the multipart boundary holds a control or non-ASCII character", null);
                }
            }

            return boundary;
        }

        /// <summary>Index of the next delimiter line at or after <paramref name="from"/> (at the body's start or after a CRLF), or -1.</summary>
        private static int FindDelimiter(byte[] body, byte[] delimiter, int from)
        {
            for (int i = from; i + delimiter.Length <= body.Length; i++)
            {
                if ((i == 0 || (i >= 2 && body[i - 2] == '\r' && body[i - 1] == '\n')) && StartsWith(body, i, delimiter))
                {
                    return i;
                }
            }

            return -1;
        }

        private static bool StartsWith(byte[] body, int at, byte[] prefix)
        {
            for (int i = 0; i < prefix.Length; i++)
            {
                if (body[at + i] != prefix[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static int SkipLineEnd(byte[] body, int position)
        {
            // Transport padding (RFC 2046 §5.1.1) then CRLF.
            while (position < body.Length && (body[position] == ' ' || body[position] == '\t'))
            {
                position++;
            }

            if (position + 1 >= body.Length || body[position] != '\r' || body[position + 1] != '\n')
            {
                throw EnrolmentException.Malformed("a boundary line not ended by CRLF", null);
            }

            return position + 2;
        }

        private static int LineEnd(byte[] body, int position)
        {
            for (int i = position; i + 1 < body.Length; i++)
            {
                if (body[i] == '\r' && body[i + 1] == '\n')
                {
                    return i;
                }
            }

            throw EnrolmentException.Malformed("a serverkeygen part's headers are not ended", null);
        }

        private static string Text(byte[] body, int offset, int count)
        {
            char[] chars = new char[count];
            for (int i = 0; i < count; i++)
            {
                byte b = body[offset + i];
                if ((b < 0x20 && b != '\t') || b > 0x7E)
                {
                    throw EnrolmentException.Malformed("a control or non-ASCII byte in a serverkeygen part header", null);
                }

                chars[i] = (char)b;
            }

            return new string(chars);
        }

        private static byte[] Ascii(string text)
        {
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = (byte)text[i];
            }

            return bytes;
        }
    }
}
