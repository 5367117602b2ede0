using System;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Http
{
    /// <summary>
    /// Parses one HTTP/1.1 response from a channel, strictly and within <see cref="HttpLimits"/>:
    /// the status line, the headers, and a body framed by Content-Length or chunked transfer
    /// coding. Anything else is refused with an <see cref="HttpResponseRejectedException"/>
    /// naming its <see cref="HttpRejection"/>.
    /// </summary>
    public static class HttpResponseReader
    {
        /// <summary>Reads one response from <paramref name="channel"/>.</summary>
        /// <param name="channel">The connection, positioned at the response's first byte.</param>
        /// <param name="limits">What the device accepts.</param>
        /// <param name="headRequest">True when the request was HEAD (no body follows whatever the headers say).</param>
        /// <returns>The response.</returns>
        /// <exception cref="HttpResponseRejectedException">The response is malformed, over a limit, or cut short.</exception>
        /// <exception cref="NetworkException">The channel failed or timed out.</exception>
        public static HttpResponse Read(ISecureChannel channel, HttpLimits limits, bool headRequest)
        {
            if (channel == null)
            {
                throw new ArgumentNullException("channel");
            }

            if (limits == null)
            {
                throw new ArgumentNullException("limits");
            }

            var reader = new ChannelByteReader(channel);
            string statusLine = reader.ReadLine(limits.MaxLineLength, HttpRejection.StatusLineInvalid, "status line");
            string reason;
            int status = ParseStatusLine(statusLine, out reason);

            var headers = new HeaderBlock(limits);
            headers.ReadFrom(reader, "header");
            string[] names = headers.Names();
            string[] values = headers.Values();

            byte[] body = ReadBody(reader, limits, headers, status, headRequest);
            return new HttpResponse(status, reason, names, values, body);
        }

        /// <summary>Parses a whole response held in memory (the fuzz target's entry point and the tests').</summary>
        /// <param name="response">The response's bytes.</param>
        /// <param name="limits">What the device accepts.</param>
        /// <returns>The response.</returns>
        /// <exception cref="HttpResponseRejectedException">The response is malformed, over a limit, or cut short.</exception>
        public static HttpResponse Parse(byte[] response, HttpLimits limits)
        {
            if (response == null)
            {
                throw new ArgumentNullException("response");
            }

            return Read(new MemoryChannel(response), limits, false);
        }

        private static int ParseStatusLine(string line, out string reason)
        {
            // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4)
            if (line.Length < 12 || line[8] != ' ')
            {
                if (line.Length >= 5 && line.Substring(0, 5) == "HTTP/")
                {
                    if (line.Length < 9 || line.Substring(0, 7) != "HTTP/1." || line[8] != ' ')
                    {
                        throw new HttpResponseRejectedException(HttpRejection.UnsupportedVersion, "the status line's version is not HTTP/1.0 or HTTP/1.1");
                    }
                }

                throw new HttpResponseRejectedException(HttpRejection.StatusLineInvalid, "the status line is not 'HTTP/1.1 NNN reason'");
            }

            string version = line.Substring(0, 8);
            if (version != "HTTP/1.1" && version != "HTTP/1.0")
            {
                if (version.Substring(0, 5) == "HTTP/")
                {
                    throw new HttpResponseRejectedException(HttpRejection.UnsupportedVersion, "the status line's version is not HTTP/1.0 or HTTP/1.1");
                }

                throw new HttpResponseRejectedException(HttpRejection.StatusLineInvalid, "the status line does not start with HTTP/1.x");
            }

            int status = 0;
            for (int i = 9; i < 12; i++)
            {
                char c = line[i];
                if (c < '0' || c > '9')
                {
                    throw new HttpResponseRejectedException(HttpRejection.StatusLineInvalid, "the status code is not three digits");
                }

                status = (status * 10) + (c - '0');
            }

            if (line.Length > 12 && line[12] != ' ')
            {
                throw new HttpResponseRejectedException(HttpRejection.StatusLineInvalid, "the status code is not followed by a space");
            }

            // 1xx: the device never sends Expect or Upgrade, so an interim response is a
            // confused or hostile peer rather than something to skip over.
            if (status < 200 || status > 599)
            {
                throw new HttpResponseRejectedException(HttpRejection.StatusLineInvalid, "status code " + status.ToString() + " is outside 200-599");
            }

            reason = line.Length > 13 ? line.Substring(13) : string.Empty;
            return status;
        }

        private static byte[] ReadBody(ChannelByteReader reader, HttpLimits limits, HeaderBlock headers, int status, bool headRequest)
        {
            string contentLength = null;
            string transferEncoding = null;
            for (int i = 0; i < headers.Count; i++)
            {
                string name = headers.Name(i);
                if (name == "content-length")
                {
                    if (contentLength != null)
                    {
                        throw new HttpResponseRejectedException(HttpRejection.ContentLengthInvalid, "two Content-Length headers");
                    }

                    contentLength = headers.Value(i);
                }
                else if (name == "transfer-encoding")
                {
                    if (transferEncoding != null)
                    {
                        throw new HttpResponseRejectedException(HttpRejection.UnsupportedTransferEncoding, "two Transfer-Encoding headers");
                    }

                    transferEncoding = headers.Value(i);
                }
            }

            if (contentLength != null && transferEncoding != null)
            {
                throw new HttpResponseRejectedException(HttpRejection.ConflictingFraming, "both Content-Length and Transfer-Encoding");
            }

            if (headRequest || status == 204 || status == 304)
            {
                return new byte[0];
            }

            if (transferEncoding != null)
            {
                if (transferEncoding.ToLower() != "chunked")
                {
                    throw new HttpResponseRejectedException(HttpRejection.UnsupportedTransferEncoding, "Transfer-Encoding is not exactly 'chunked'");
                }

                return ReadChunked(reader, limits);
            }

            if (contentLength == null)
            {
                throw new HttpResponseRejectedException(HttpRejection.BodyLengthMissing, "neither Content-Length nor chunked framing");
            }

            long length = ParseDecimal(contentLength);
            if (length < 0)
            {
                throw new HttpResponseRejectedException(HttpRejection.ContentLengthInvalid, "Content-Length is not a decimal number");
            }

            if (length > limits.MaxBodyLength)
            {
                throw new HttpResponseRejectedException(HttpRejection.BodyTooLarge, "Content-Length " + length.ToString() + " is over the limit of " + limits.MaxBodyLength.ToString());
            }

            byte[] body = new byte[(int)length];
            reader.ReadExactly(body, 0, body.Length, "body");
            return body;
        }

        private static byte[] ReadChunked(ChannelByteReader reader, HttpLimits limits)
        {
            byte[] body = new byte[limits.MaxBodyLength < 1024 ? limits.MaxBodyLength : 1024];
            int length = 0;
            while (true)
            {
                string sizeLine = reader.ReadLine(limits.MaxLineLength, HttpRejection.ChunkInvalid, "chunk size line");
                int size = ParseChunkSize(sizeLine, limits.MaxBodyLength - length);
                if (size == 0)
                {
                    break;
                }

                if (length + size > body.Length)
                {
                    int grown = body.Length * 2;
                    if (grown < length + size)
                    {
                        grown = length + size;
                    }

                    if (grown > limits.MaxBodyLength)
                    {
                        grown = limits.MaxBodyLength;
                    }

                    byte[] larger = new byte[grown];
                    Array.Copy(body, larger, length);
                    body = larger;
                }

                reader.ReadExactly(body, length, size, "chunk");
                length += size;
                string end = reader.ReadLine(limits.MaxLineLength, HttpRejection.ChunkInvalid, "chunk end");
                if (end.Length != 0)
                {
                    throw new HttpResponseRejectedException(HttpRejection.ChunkInvalid, "a chunk is longer than its size line says");
                }
            }

            // Trailer fields (RFC 9112 §7.1.2): checked like headers, bounded, and ignored.
            var trailers = new HeaderBlock(limits);
            trailers.ReadFrom(reader, "trailer");

            if (length == body.Length)
            {
                return body;
            }

            byte[] exact = new byte[length];
            Array.Copy(body, exact, length);
            return exact;
        }

        private static int ParseChunkSize(string line, int room)
        {
            int end = line.IndexOf(';');
            if (end < 0)
            {
                end = line.Length;
            }

            // BWS before a chunk extension (RFC 9112 §7.1.1).
            while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t'))
            {
                end--;
            }

            if (end == 0)
            {
                throw new HttpResponseRejectedException(HttpRejection.ChunkInvalid, "an empty chunk size");
            }

            long size = 0;
            for (int i = 0; i < end; i++)
            {
                int digit = HexValue(line[i]);
                if (digit < 0)
                {
                    throw new HttpResponseRejectedException(HttpRejection.ChunkInvalid, "a chunk size that is not hexadecimal");
                }

                size = (size * 16) + digit;
                if (size > room)
                {
                    throw new HttpResponseRejectedException(HttpRejection.BodyTooLarge, "the chunks are over the body limit");
                }
            }

            return (int)size;
        }

        private static int HexValue(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            return -1;
        }

        /// <summary>A non-negative decimal of 1 to 15 digits, or -1.</summary>
        internal static long ParseDecimal(string text)
        {
            if (text == null || text.Length == 0 || text.Length > 15)
            {
                return -1;
            }

            long value = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return -1;
                }

                value = (value * 10) + (c - '0');
            }

            return value;
        }
    }
}
