using System;

namespace IoTSec.Firmware.Http
{
    /// <summary>
    /// How much of a response the device accepts. Everything a peer sends is bounded by these,
    /// so a hostile or broken server costs at most this much RAM (a few tens of KB on a
    /// device with a few hundred).
    /// </summary>
    public sealed class HttpLimits
    {
        /// <summary>Creates limits.</summary>
        /// <param name="maxLineLength">Longest status or header line, CRLF excluded.</param>
        /// <param name="maxHeaderCount">Most header lines (trailers included).</param>
        /// <param name="maxHeaderBytes">Most bytes of header lines together.</param>
        /// <param name="maxBodyLength">Longest body.</param>
        public HttpLimits(int maxLineLength, int maxHeaderCount, int maxHeaderBytes, int maxBodyLength)
        {
            if (maxLineLength < 32 || maxHeaderCount < 1 || maxHeaderBytes < maxLineLength || maxBodyLength < 0)
            {
                throw new ArgumentException("HTTP limits: a line of at least 32 bytes, at least one header, header bytes at least one line, a body length not negative.");
            }

            MaxLineLength = maxLineLength;
            MaxHeaderCount = maxHeaderCount;
            MaxHeaderBytes = maxHeaderBytes;
            MaxBodyLength = maxBodyLength;
        }

        /// <summary>
        /// Limits for EST and the heartbeat key: lines of 1 KiB (Kestrel's longest is the
        /// serverkeygen Content-Type, under 100 bytes), 32 headers, 8 KiB of headers, and a 16 KiB
        /// body (a serverkeygen response with a P-256 key and one certificate is under 2 KiB).
        /// </summary>
        public static HttpLimits Default
        {
            get { return new HttpLimits(1024, 32, 8192, 16384); }
        }

        /// <summary>Longest status or header line, CRLF excluded.</summary>
        public int MaxLineLength { get; private set; }

        /// <summary>Most header lines, trailers included.</summary>
        public int MaxHeaderCount { get; private set; }

        /// <summary>Most bytes of header lines together.</summary>
        public int MaxHeaderBytes { get; private set; }

        /// <summary>Longest body.</summary>
        public int MaxBodyLength { get; private set; }

        /// <summary>The same limits with another body limit.</summary>
        /// <param name="maxBodyLength">The body limit.</param>
        /// <returns>New limits.</returns>
        public HttpLimits WithMaxBodyLength(int maxBodyLength)
        {
            return new HttpLimits(MaxLineLength, MaxHeaderCount, MaxHeaderBytes, maxBodyLength);
        }
    }
}
