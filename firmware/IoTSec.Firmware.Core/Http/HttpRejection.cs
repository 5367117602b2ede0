namespace IoTSec.Firmware.Http
{
    /// <summary>
    /// Why <see cref="Http11Client"/> refused a response. Each is a fault of the peer (or of
    /// something between it and the device): the response is dropped whole, never half used.
    /// </summary>
    public enum HttpRejection
    {
        /// <summary>The connection ended before the response was complete (a truncated body included).</summary>
        ConnectionClosed = 1,

        /// <summary>The status line is not <c>HTTP/1.x SP 3DIGIT SP reason CRLF</c>, or the code is outside 200-599.</summary>
        StatusLineInvalid = 2,

        /// <summary>A protocol version other than HTTP/1.0 or HTTP/1.1.</summary>
        UnsupportedVersion = 3,

        /// <summary>The status line or a header line is longer than <see cref="HttpLimits.MaxLineLength"/>.</summary>
        LineTooLong = 4,

        /// <summary>More header lines than <see cref="HttpLimits.MaxHeaderCount"/>, or more header bytes than <see cref="HttpLimits.MaxHeaderBytes"/> (trailers count too).</summary>
        TooManyHeaders = 5,

        /// <summary>A header line without a colon, with a bad name, a control character, a bare CR or LF, or an obsolete folded line.</summary>
        HeaderInvalid = 6,

        /// <summary>Content-Length that is not a decimal number, or two Content-Length headers.</summary>
        ContentLengthInvalid = 7,

        /// <summary>Both Content-Length and Transfer-Encoding: the framing that request smuggling exploits (RFC 9112 §6.3).</summary>
        ConflictingFraming = 8,

        /// <summary>A Transfer-Encoding other than exactly "chunked".</summary>
        UnsupportedTransferEncoding = 9,

        /// <summary>A chunk size line that is not hexadecimal, too large, or a chunk not followed by CRLF.</summary>
        ChunkInvalid = 10,

        /// <summary>The body is longer than the limit the caller set.</summary>
        BodyTooLarge = 11,

        /// <summary>
        /// Neither Content-Length nor chunked: the body would run to the connection's end, and a
        /// cut connection would then look like a complete body. The device refuses it.
        /// </summary>
        BodyLengthMissing = 12,

        /// <summary>A range response that does not answer the range asked for (206 without a matching Content-Range, 200 for a range not starting at 0).</summary>
        RangeMismatch = 13,
    }
}
