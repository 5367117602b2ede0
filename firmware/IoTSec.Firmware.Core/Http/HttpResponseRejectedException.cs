using System;

namespace IoTSec.Firmware.Http
{
    /// <summary>The one exception <see cref="Http11Client"/> throws for a malformed or over-limit response.</summary>
    public sealed class HttpResponseRejectedException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="reason">Why the response was refused.</param>
        /// <param name="message">What was refused; never the body's content.</param>
        public HttpResponseRejectedException(HttpRejection reason, string message)
            : base("HTTP response refused (" + ReasonName(reason) + "): " + message)
        {
            Reason = reason;
        }

        /// <summary>Why the response was refused.</summary>
        public HttpRejection Reason { get; private set; }

        /// <summary>A stable name for logs and heartbeats (an enum's ToString is not reliable on nanoFramework).</summary>
        /// <param name="reason">The reason.</param>
        /// <returns>Its name.</returns>
        public static string ReasonName(HttpRejection reason)
        {
            switch (reason)
            {
                case HttpRejection.ConnectionClosed: return "connection-closed";
                case HttpRejection.StatusLineInvalid: return "status-line-invalid";
                case HttpRejection.UnsupportedVersion: return "unsupported-version";
                case HttpRejection.LineTooLong: return "line-too-long";
                case HttpRejection.TooManyHeaders: return "too-many-headers";
                case HttpRejection.HeaderInvalid: return "header-invalid";
                case HttpRejection.ContentLengthInvalid: return "content-length-invalid";
                case HttpRejection.ConflictingFraming: return "conflicting-framing";
                case HttpRejection.UnsupportedTransferEncoding: return "unsupported-transfer-encoding";
                case HttpRejection.ChunkInvalid: return "chunk-invalid";
                case HttpRejection.BodyTooLarge: return "body-too-large";
                case HttpRejection.BodyLengthMissing: return "body-length-missing";
                case HttpRejection.RangeMismatch: return "range-mismatch";
                default: return "unknown";
            }
        }
    }
}
